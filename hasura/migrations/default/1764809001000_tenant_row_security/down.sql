DO $$
DECLARE
  target text;
BEGIN
  FOREACH target IN ARRAY ARRAY['tenants', 'tenant_features', 'users', 'roles', 'user_roles',
    'role_permissions', 'sessions', 'refresh_tokens', 'auth_factors', 'tenant_directories',
    'plugin_installations', 'audit_events', 'user_tokens', 'api_keys', 'mfa_challenges',
    'mfa_codes'] LOOP
    EXECUTE format('DROP POLICY IF EXISTS tenant_read ON public.%I', target);
    EXECUTE format('DROP POLICY IF EXISTS tenant_insert ON public.%I', target);
    EXECUTE format('DROP POLICY IF EXISTS tenant_update ON public.%I', target);
    EXECUTE format('DROP POLICY IF EXISTS tenant_delete ON public.%I', target);
    EXECUTE format('ALTER TABLE public.%I DISABLE ROW LEVEL SECURITY', target);
  END LOOP;
END;
$$;
DROP FUNCTION IF EXISTS public.enable_tenant_write_policies(regclass, name);
DROP FUNCTION IF EXISTS public.tenant_write_allowed(uuid);
DROP FUNCTION IF EXISTS public.tenant_is_archived(uuid);
ALTER DEFAULT PRIVILEGES IN SCHEMA public
  REVOKE USAGE, SELECT ON SEQUENCES FROM acci_actions, acci_graphql;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
  REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM acci_actions, acci_graphql;
-- The roles are shared by every database of the cluster, so they are dropped only when no
-- other database still grants them anything.
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM acci_actions, acci_graphql;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM acci_actions, acci_graphql;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM acci_actions, acci_graphql;
REVOKE ALL ON SCHEMA public FROM acci_actions, acci_graphql;
DO $$
BEGIN
  DROP ROLE IF EXISTS acci_actions;
  DROP ROLE IF EXISTS acci_graphql;
EXCEPTION WHEN dependent_objects_still_exist THEN
  RAISE NOTICE 'roles acci_actions and acci_graphql kept: another database still uses them';
END;
$$;
