-- Row-level security as a second wall behind Hasura's permission rules: on tenant-owned tables
-- INSERT, UPDATE and DELETE only touch rows of the caller's tenant. Reads stay open to every
-- role that has the table privilege, because Hasura's select rules already filter them.
--
-- Superusers and table owners bypass these policies (no FORCE ROW LEVEL SECURITY), so the
-- migration runner and the seed keep working. The policies bind a connection only when it
-- uses a role such as acci_graphql (Hasura or the engine) or acci_actions (the action server).

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'acci_actions') THEN
    CREATE ROLE acci_actions NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'acci_graphql') THEN
    CREATE ROLE acci_graphql NOLOGIN;
  END IF;
END;
$$;
COMMENT ON ROLE acci_actions IS 'Database role of the action server; writes without hasura.user are allowed only for it.';
COMMENT ON ROLE acci_graphql IS 'Database role for Hasura or the engine, bound by the tenant row-level security policies.';

GRANT USAGE ON SCHEMA public TO acci_actions, acci_graphql;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO acci_actions, acci_graphql;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO acci_actions, acci_graphql;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO acci_actions, acci_graphql;
-- Tables that later migrations create, as the same migrating role, get the same privileges.
ALTER DEFAULT PRIVILEGES IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO acci_actions, acci_graphql;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO acci_actions, acci_graphql;

CREATE FUNCTION public.tenant_is_archived(tenant uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM public.tenants WHERE id = tenant AND status = 'archived');
$$;
COMMENT ON FUNCTION public.tenant_is_archived(uuid) IS 'Whether the tenant is archived, which makes its rows read-only for platform admins.';

-- hasura.user is the JSON of the session variables that Hasura and the engine set with
-- SET LOCAL in every mutation transaction; an unset or reset setting reads as ''.
CREATE FUNCTION public.tenant_write_allowed(row_tenant uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN caller.session IS NULL THEN current_user = 'acci_actions'
    WHEN caller.session ->> 'x-hasura-role' = 'admin' THEN true
    WHEN caller.session ->> 'x-hasura-role' = 'platform_admin'
      THEN NOT public.tenant_is_archived(row_tenant)
    ELSE coalesce(row_tenant = (caller.session ->> 'x-hasura-tenant-id')::uuid, false)
  END
  FROM (SELECT nullif(current_setting('hasura.user', true), '')::json AS session) AS caller;
$$;
COMMENT ON FUNCTION public.tenant_write_allowed(uuid) IS 'Row-level security test of writes: the row belongs to the caller''s tenant, or the caller is admin, platform_admin (not on archived tenants) or the action server without a Hasura session.';

-- Enables row-level security on a tenant-owned table: reads open, writes through
-- tenant_write_allowed on the old row (UPDATE, DELETE) and the new row (INSERT, UPDATE).
CREATE FUNCTION public.enable_tenant_write_policies(target regclass, tenant_column name DEFAULT 'tenant_id')
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
  EXECUTE format('CREATE POLICY tenant_read ON %s FOR SELECT USING (true)', target);
  EXECUTE format(
    'CREATE POLICY tenant_insert ON %s FOR INSERT WITH CHECK (public.tenant_write_allowed(%I))',
    target, tenant_column);
  EXECUTE format(
    'CREATE POLICY tenant_update ON %s FOR UPDATE USING (public.tenant_write_allowed(%I)) '
    'WITH CHECK (public.tenant_write_allowed(%I))',
    target, tenant_column, tenant_column);
  EXECUTE format(
    'CREATE POLICY tenant_delete ON %s FOR DELETE USING (public.tenant_write_allowed(%I))',
    target, tenant_column);
END;
$$;
COMMENT ON FUNCTION public.enable_tenant_write_policies(regclass, name) IS 'Enables the tenant write policies on a tenant-owned table; call it for every new table with a tenant_id column.';

SELECT public.enable_tenant_write_policies('public.tenants', 'id');
SELECT public.enable_tenant_write_policies('public.tenant_features');
SELECT public.enable_tenant_write_policies('public.users');
SELECT public.enable_tenant_write_policies('public.roles');
SELECT public.enable_tenant_write_policies('public.user_roles');
SELECT public.enable_tenant_write_policies('public.role_permissions');
SELECT public.enable_tenant_write_policies('public.sessions');
SELECT public.enable_tenant_write_policies('public.refresh_tokens');
SELECT public.enable_tenant_write_policies('public.auth_factors');
SELECT public.enable_tenant_write_policies('public.tenant_directories');
SELECT public.enable_tenant_write_policies('public.plugin_installations');
SELECT public.enable_tenant_write_policies('public.audit_events');
SELECT public.enable_tenant_write_policies('public.user_tokens');
SELECT public.enable_tenant_write_policies('public.api_keys');
SELECT public.enable_tenant_write_policies('public.mfa_challenges');
SELECT public.enable_tenant_write_policies('public.mfa_codes');
