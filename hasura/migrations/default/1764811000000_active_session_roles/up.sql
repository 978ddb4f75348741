-- The Hasura roles a live session may still act in. A token names its roles when it is
-- signed, but a tenant admin whose tenant_admin role is taken away must lose it on the next
-- request, as sign-out does. The rules of the roles tenant_admin and platform_admin therefore
-- require the caller's session here with their role; every live session holds user.
-- An API key session holds only the roles the key lists and its owner still has.
CREATE VIEW public.active_session_roles AS
  SELECT a.id, a.tenant_id, a.user_id, held.role
    FROM public.active_sessions a
    JOIN public.sessions s ON s.id = a.id
    CROSS JOIN LATERAL (
      SELECT 'user'::text AS role
      UNION
      SELECT r.name
        FROM public.user_roles ur
        JOIN public.roles r ON r.id = ur.role_id AND r.is_system
        JOIN public.tenants t ON t.id = r.tenant_id
       WHERE ur.user_id = a.user_id
         AND ur.tenant_id = a.tenant_id
         AND (r.name = 'tenant_admin' OR (r.name = 'platform_admin' AND t.is_platform))
    ) held
   WHERE s.kind <> 'api-key'
      OR EXISTS (SELECT 1 FROM public.api_keys k WHERE k.session_id = s.id AND held.role = ANY (k.roles));
COMMENT ON VIEW public.active_session_roles IS 'Each live session with every Hasura role it may still use; the rules of tenant_admin and platform_admin check it.';

GRANT SELECT ON public.active_session_roles TO acci_actions, acci_graphql;
