-- Tenant lifecycle: deletion after a grace period, invitations of pending users, and the
-- guards that keep every tenant administrable.

ALTER TABLE public.tenants ADD COLUMN deletion_scheduled_at timestamptz;
COMMENT ON COLUMN public.tenants.deletion_scheduled_at IS 'When the tenant and all its rows may be purged; null unless deletion was scheduled.';
CREATE INDEX tenants_deletion_scheduled ON public.tenants (deletion_scheduled_at)
  WHERE deletion_scheduled_at IS NOT NULL;

CREATE TABLE public.user_invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  invited_by uuid REFERENCES public.users (id) ON DELETE SET NULL,
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES public.users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE public.user_invitations IS 'Invitation of a pending user; the token is sent to the user and only its SHA-256 is stored.';
COMMENT ON COLUMN public.user_invitations.id IS 'Invitation id.';
COMMENT ON COLUMN public.user_invitations.tenant_id IS 'Tenant of the invited user.';
COMMENT ON COLUMN public.user_invitations.user_id IS 'Pending user who accepts the invitation by setting a password.';
COMMENT ON COLUMN public.user_invitations.token_hash IS 'SHA-256 of the opaque invitation token. No role may select it.';
COMMENT ON COLUMN public.user_invitations.invited_by IS 'User who sent the invitation; null when the platform provisioned the tenant.';
COMMENT ON COLUMN public.user_invitations.expires_at IS 'When the token stops being accepted.';
COMMENT ON COLUMN public.user_invitations.accepted_at IS 'When the invitation was accepted; an accepted token is not accepted again.';
COMMENT ON COLUMN public.user_invitations.created_at IS 'When the invitation was created.';
CREATE INDEX user_invitations_user ON public.user_invitations (user_id);

-- True while the tenant row exists. A cascade from DELETE FROM tenants no longer sees it, so
-- the guards below let a purge remove system roles and their last holders.
CREATE FUNCTION public.tenant_exists(tenant uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM public.tenants WHERE id = tenant);
$$;
COMMENT ON FUNCTION public.tenant_exists(uuid) IS 'Whether the tenant row exists; false inside the cascade of its deletion.';

-- System roles keep their name and flag and are not deleted while their tenant exists.
CREATE FUNCTION public.protect_system_roles() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.is_system AND public.tenant_exists(OLD.tenant_id) THEN
      RAISE EXCEPTION 'system role "%" cannot be deleted', OLD.name
        USING ERRCODE = 'check_violation', HINT = 'Delete a role the tenant created instead.';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.is_system AND (NEW.name <> OLD.name OR NOT NEW.is_system OR NEW.tenant_id <> OLD.tenant_id) THEN
    RAISE EXCEPTION 'system role "%" cannot be renamed or turned into a custom role', OLD.name
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.is_system AND NOT OLD.is_system THEN
    RAISE EXCEPTION 'role "%" cannot become a system role', OLD.name
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
COMMENT ON FUNCTION public.protect_system_roles() IS 'Trigger function that rejects deleting, renaming or unflagging a system role of an existing tenant.';
CREATE TRIGGER roles_protect_system BEFORE UPDATE OR DELETE ON public.roles
  FOR EACH ROW EXECUTE FUNCTION public.protect_system_roles();

-- The last holder of tenant_admin or platform_admin keeps it, so no tenant is left without an
-- administrator. The role row is locked first, so two concurrent removals of the last two
-- holders are serialised and the second one sees that only one holder is left.
CREATE FUNCTION public.protect_last_admin() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  role_name text;
  role_system boolean;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.role_id = OLD.role_id AND NEW.user_id = OLD.user_id THEN
    RETURN NEW;
  END IF;
  SELECT name, is_system INTO role_name, role_system
    FROM public.roles WHERE id = OLD.role_id FOR UPDATE;
  IF role_system AND role_name IN ('tenant_admin', 'platform_admin')
     AND public.tenant_exists(OLD.tenant_id)
     AND NOT EXISTS (SELECT 1 FROM public.user_roles
                      WHERE role_id = OLD.role_id AND id <> OLD.id) THEN
    RAISE EXCEPTION 'the last holder of the system role "%" cannot lose it', role_name
      USING ERRCODE = 'check_violation',
            HINT = 'Grant the role to another user of the tenant first.';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;
COMMENT ON FUNCTION public.protect_last_admin() IS 'Trigger function that keeps at least one holder of tenant_admin and platform_admin in every existing tenant.';
CREATE TRIGGER user_roles_protect_last_admin BEFORE UPDATE OR DELETE ON public.user_roles
  FOR EACH ROW EXECUTE FUNCTION public.protect_last_admin();
