CREATE TABLE public.users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
  email citext NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 320),
  password_hash text,
  first_name text NOT NULL DEFAULT '' CHECK (length(first_name) <= 100),
  last_name text NOT NULL DEFAULT '' CHECK (length(last_name) <= 100),
  preferred_language text NOT NULL DEFAULT 'en' CHECK (preferred_language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'locked', 'pending')),
  source text NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'directory')),
  directory_dn text,
  email_verified_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz,
  UNIQUE (tenant_id, email),
  UNIQUE (tenant_id, id)
);
COMMENT ON TABLE public.users IS 'A person who signs in to one tenant.';
COMMENT ON COLUMN public.users.id IS 'User id, also the value of the x-hasura-user-id claim.';
COMMENT ON COLUMN public.users.tenant_id IS 'Tenant the user belongs to.';
COMMENT ON COLUMN public.users.email IS 'Sign-in address, unique within the tenant, compared case-insensitively.';
COMMENT ON COLUMN public.users.password_hash IS 'argon2id hash in PHC format; null for invited and directory users. No role may select it.';
COMMENT ON COLUMN public.users.first_name IS 'Given name.';
COMMENT ON COLUMN public.users.last_name IS 'Family name.';
COMMENT ON COLUMN public.users.preferred_language IS 'BCP 47 language tag for the console and mail.';
COMMENT ON COLUMN public.users.status IS 'active, inactive (deactivated by an admin), locked (too many failures) or pending (invited).';
COMMENT ON COLUMN public.users.source IS 'local for password users, directory for users created by LDAP or Active Directory sign-in.';
COMMENT ON COLUMN public.users.directory_dn IS 'Distinguished name of the directory entry of a directory user.';
COMMENT ON COLUMN public.users.email_verified_at IS 'When the user proved to own the email address.';
COMMENT ON COLUMN public.users.created_at IS 'When the user was created.';
COMMENT ON COLUMN public.users.updated_at IS 'When the user row last changed.';
COMMENT ON COLUMN public.users.last_login_at IS 'Time of the last successful sign-in.';
CREATE INDEX users_tenant_status ON public.users (tenant_id, status);
CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON public.users
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE TABLE public.roles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_-]{0,62}$'),
  description text NOT NULL DEFAULT '',
  is_system boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name),
  UNIQUE (tenant_id, id)
);
COMMENT ON TABLE public.roles IS 'A named set of permissions within a tenant; system roles map to Hasura roles.';
COMMENT ON COLUMN public.roles.id IS 'Role id.';
COMMENT ON COLUMN public.roles.tenant_id IS 'Tenant that owns the role.';
COMMENT ON COLUMN public.roles.name IS 'Role name, unique within the tenant; the system roles are user, tenant_admin and platform_admin.';
COMMENT ON COLUMN public.roles.description IS 'What the role is for.';
COMMENT ON COLUMN public.roles.is_system IS 'True for roles the platform creates; they cannot be deleted.';
COMMENT ON COLUMN public.roles.created_at IS 'When the role was created.';
COMMENT ON COLUMN public.roles.updated_at IS 'When the role last changed.';
CREATE TRIGGER roles_set_updated_at BEFORE UPDATE ON public.roles
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE TABLE public.permissions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  resource text NOT NULL CHECK (resource ~ '^[a-z][a-z0-9_.]{0,62}$'),
  action text NOT NULL CHECK (action IN ('create', 'read', 'update', 'delete')),
  description text NOT NULL DEFAULT '',
  UNIQUE (resource, action)
);
COMMENT ON TABLE public.permissions IS 'Catalog of grantable permissions: one action on one resource.';
COMMENT ON COLUMN public.permissions.id IS 'Permission id.';
COMMENT ON COLUMN public.permissions.resource IS 'Resource name, usually a table or a plugin scope.';
COMMENT ON COLUMN public.permissions.action IS 'create, read, update or delete.';
COMMENT ON COLUMN public.permissions.description IS 'What the permission allows.';

CREATE TABLE public.user_roles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  role_id uuid NOT NULL REFERENCES public.roles (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, role_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES public.users (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, role_id) REFERENCES public.roles (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE public.user_roles IS 'Grants a role to a user; both must belong to the row''s tenant.';
COMMENT ON COLUMN public.user_roles.id IS 'Grant id.';
COMMENT ON COLUMN public.user_roles.tenant_id IS 'Tenant of the user and of the role, enforced by the composite foreign keys.';
COMMENT ON COLUMN public.user_roles.user_id IS 'User who holds the role.';
COMMENT ON COLUMN public.user_roles.role_id IS 'Role granted.';
COMMENT ON COLUMN public.user_roles.created_at IS 'When the role was granted.';
CREATE INDEX user_roles_role ON public.user_roles (role_id);
CREATE INDEX user_roles_tenant ON public.user_roles (tenant_id);

CREATE TABLE public.role_permissions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
  role_id uuid NOT NULL REFERENCES public.roles (id) ON DELETE CASCADE,
  permission_id uuid NOT NULL REFERENCES public.permissions (id) ON DELETE CASCADE,
  conditions jsonb CHECK (conditions IS NULL OR jsonb_typeof(conditions) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (role_id, permission_id),
  FOREIGN KEY (tenant_id, role_id) REFERENCES public.roles (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE public.role_permissions IS 'Grants a permission to a role of the row''s tenant.';
COMMENT ON COLUMN public.role_permissions.id IS 'Grant id.';
COMMENT ON COLUMN public.role_permissions.tenant_id IS 'Tenant of the role.';
COMMENT ON COLUMN public.role_permissions.role_id IS 'Role that receives the permission.';
COMMENT ON COLUMN public.role_permissions.permission_id IS 'Permission granted.';
COMMENT ON COLUMN public.role_permissions.conditions IS 'Optional JSON object narrowing the grant, for example {"own": true}.';
COMMENT ON COLUMN public.role_permissions.created_at IS 'When the permission was granted.';
CREATE INDEX role_permissions_tenant ON public.role_permissions (tenant_id);

CREATE VIEW public.user_permissions AS
  SELECT ur.tenant_id, ur.user_id, p.resource, p.action, rp.conditions
    FROM public.user_roles ur
    JOIN public.role_permissions rp ON rp.role_id = ur.role_id AND rp.tenant_id = ur.tenant_id
    JOIN public.permissions p ON p.id = rp.permission_id;
COMMENT ON VIEW public.user_permissions IS 'Every permission a user holds through the roles of their tenant; permission rules check it with _exists.';
