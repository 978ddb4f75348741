-- Tenant lifecycle: deletion after a grace period, and the guards that keep every tenant
-- administrable.

ALTER TABLE public.tenants ADD COLUMN deletion_scheduled_at timestamptz;
COMMENT ON COLUMN public.tenants.deletion_scheduled_at IS 'When the tenant and all its rows may be purged; null unless deletion was scheduled.';
CREATE INDEX tenants_deletion_scheduled ON public.tenants (deletion_scheduled_at)
  WHERE deletion_scheduled_at IS NOT NULL;

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
