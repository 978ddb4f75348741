-- Demo data: the platform tenant acci.test with its platform admin, and two customer tenants,
-- demo.test and acme.test, each with a tenant admin and a few users in the system roles
-- user and tenant_admin. Ids are fixed so the demo reads the same everywhere.
--
-- Users are created without a password hash. `npm start` sets every demo password to
-- ACCI_ADMIN_PASSWORD (or one it generates and prints); elsewhere set them with the
-- resetPassword flow or an UPDATE of users.password_hash with an argon2id hash.
-- The file can be applied more than once: existing rows are left as they are.

INSERT INTO public.tenants (id, name, domain, status, plan, is_platform) VALUES
  ('00000000-0000-4000-8000-000000000001', 'ACCI Platform', 'acci.test', 'active', 'platform', true),
  ('00000000-0000-4000-8000-000000000002', 'Demo Corporation', 'demo.test', 'active', 'standard', false),
  ('00000000-0000-4000-8000-000000000003', 'Acme Industries', 'acme.test', 'active', 'standard', false)
ON CONFLICT (id) DO NOTHING;

INSERT INTO public.roles (id, tenant_id, name, description, is_system) VALUES
  ('00000000-0000-4000-8001-000000000001', '00000000-0000-4000-8000-000000000001', 'user', 'Every signed-in member of the tenant.', true),
  ('00000000-0000-4000-8001-000000000002', '00000000-0000-4000-8000-000000000001', 'platform_admin', 'Administers every tenant of the platform.', true),
  ('00000000-0000-4000-8001-000000000003', '00000000-0000-4000-8000-000000000002', 'user', 'Every signed-in member of the tenant.', true),
  ('00000000-0000-4000-8001-000000000004', '00000000-0000-4000-8000-000000000002', 'tenant_admin', 'Administers the users, roles and settings of the tenant.', true),
  ('00000000-0000-4000-8001-000000000005', '00000000-0000-4000-8000-000000000003', 'user', 'Every signed-in member of the tenant.', true),
  ('00000000-0000-4000-8001-000000000006', '00000000-0000-4000-8000-000000000003', 'tenant_admin', 'Administers the users, roles and settings of the tenant.', true),
  ('00000000-0000-4000-8001-000000000007', '00000000-0000-4000-8000-000000000002', 'auditor', 'Reads the audit log.', false)
ON CONFLICT (id) DO NOTHING;

INSERT INTO public.permissions (id, resource, action, description) VALUES
  ('00000000-0000-4000-8002-000000000001', 'users', 'read', 'Read the users of the tenant.'),
  ('00000000-0000-4000-8002-000000000002', 'users', 'create', 'Create users in the tenant.'),
  ('00000000-0000-4000-8002-000000000003', 'users', 'update', 'Change users of the tenant.'),
  ('00000000-0000-4000-8002-000000000004', 'users', 'delete', 'Delete users of the tenant.'),
  ('00000000-0000-4000-8002-000000000005', 'audit_events', 'read', 'Read the audit log of the tenant.')
ON CONFLICT (id) DO NOTHING;

INSERT INTO public.role_permissions (id, tenant_id, role_id, permission_id) VALUES
  ('00000000-0000-4000-8003-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8001-000000000007', '00000000-0000-4000-8002-000000000005'),
  ('00000000-0000-4000-8003-000000000002', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8001-000000000007', '00000000-0000-4000-8002-000000000001')
ON CONFLICT (id) DO NOTHING;

INSERT INTO public.users (id, tenant_id, email, first_name, last_name, status, email_verified_at) VALUES
  ('00000000-0000-4000-8004-000000000001', '00000000-0000-4000-8000-000000000001', 'platform@acci.test', 'Pat', 'Platform', 'active', now()),
  ('00000000-0000-4000-8004-000000000002', '00000000-0000-4000-8000-000000000002', 'admin@demo.test', 'Dana', 'Admin', 'active', now()),
  ('00000000-0000-4000-8004-000000000003', '00000000-0000-4000-8000-000000000002', 'alice@demo.test', 'Alice', 'Archer', 'active', now()),
  ('00000000-0000-4000-8004-000000000004', '00000000-0000-4000-8000-000000000002', 'bob@demo.test', 'Bob', 'Baker', 'active', now()),
  ('00000000-0000-4000-8004-000000000005', '00000000-0000-4000-8000-000000000003', 'admin@acme.test', 'Ari', 'Admin', 'active', now()),
  ('00000000-0000-4000-8004-000000000006', '00000000-0000-4000-8000-000000000003', 'carol@acme.test', 'Carol', 'Cooper', 'active', now()),
  ('00000000-0000-4000-8004-000000000007', '00000000-0000-4000-8000-000000000003', 'dave@acme.test', 'Dave', 'Dalton', 'inactive', now())
ON CONFLICT (id) DO NOTHING;

INSERT INTO public.user_roles (tenant_id, user_id, role_id) VALUES
  ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8004-000000000001', '00000000-0000-4000-8001-000000000001'),
  ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8004-000000000001', '00000000-0000-4000-8001-000000000002'),
  ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8004-000000000002', '00000000-0000-4000-8001-000000000003'),
  ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8004-000000000002', '00000000-0000-4000-8001-000000000004'),
  ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8004-000000000003', '00000000-0000-4000-8001-000000000003'),
  ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8004-000000000003', '00000000-0000-4000-8001-000000000007'),
  ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8004-000000000004', '00000000-0000-4000-8001-000000000003'),
  ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8004-000000000005', '00000000-0000-4000-8001-000000000005'),
  ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8004-000000000005', '00000000-0000-4000-8001-000000000006'),
  ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8004-000000000006', '00000000-0000-4000-8001-000000000005'),
  ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8004-000000000007', '00000000-0000-4000-8001-000000000005')
ON CONFLICT (user_id, role_id) DO NOTHING;
