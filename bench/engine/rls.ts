// Row-level security of the PostGraphile copy: the select rules of hasura/metadata for the
// roles user and tenant_admin on users, user_roles and roles, written as policies over the
// claims that the server sets with SET LOCAL (jwt.claims.*). The policies bind only the
// database role bench_postgraphile. The migrations' permissive tenant_read policy is dropped,
// because it would let every row through, and their write policies stay.

const claim = (name: string) => `current_setting('jwt.claims.${name}', true)`;
const tenant = `${claim('tenant_id')}::uuid`;
const userId = `${claim('user_id')}::uuid`;
const sessionId = `${claim('session_id')}::uuid`;

const liveSession = `EXISTS (SELECT 1 FROM public.active_sessions s
  WHERE s.id = ${sessionId} AND s.user_id = ${userId} AND s.tenant_id = ${tenant})`;
const liveAdminSession = `EXISTS (SELECT 1 FROM public.active_session_roles s
  WHERE s.id = ${sessionId} AND s.user_id = ${userId} AND s.tenant_id = ${tenant}
    AND s.role = 'tenant_admin')`;
const readGrant = `EXISTS (SELECT 1 FROM public.user_permissions p
  WHERE p.user_id = ${userId} AND p.tenant_id = ${tenant}
    AND p.resource = 'users' AND p.action = 'read')`;

function sessionRule(userRule: string): string {
  return `CASE ${claim('role')}
    WHEN 'tenant_admin' THEN ${liveAdminSession}
    WHEN 'user' THEN ${liveSession} AND (${userRule})
    ELSE false END`;
}

/** Statements run once on the copy database, as its owner. */
export const rlsStatements: string[] = [
  `DO $$ BEGIN
     IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bench_postgraphile') THEN
       CREATE ROLE bench_postgraphile NOLOGIN;
     END IF;
   END $$`,
  'GRANT USAGE ON SCHEMA public TO bench_postgraphile',
  'GRANT SELECT ON public.users, public.user_roles, public.roles TO bench_postgraphile',
  // Policy subqueries run with the privileges of the querying role, and the views as their owner.
  'GRANT SELECT ON public.active_sessions, public.active_session_roles, public.user_permissions TO bench_postgraphile',
  'DROP POLICY tenant_read ON public.users',
  'DROP POLICY tenant_read ON public.user_roles',
  'DROP POLICY tenant_read ON public.roles',
  `CREATE POLICY bench_read ON public.users FOR SELECT TO bench_postgraphile
     USING (tenant_id = ${tenant} AND ${sessionRule(`id = ${userId} OR ${readGrant}`)})`,
  `CREATE POLICY bench_read ON public.user_roles FOR SELECT TO bench_postgraphile
     USING (tenant_id = ${tenant} AND ${sessionRule('true')})`,
  `CREATE POLICY bench_read ON public.roles FOR SELECT TO bench_postgraphile
     USING (tenant_id = ${tenant} AND ${sessionRule('true')})`,
];
