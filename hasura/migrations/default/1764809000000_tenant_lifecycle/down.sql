DROP TRIGGER IF EXISTS user_roles_protect_last_admin ON public.user_roles;
DROP FUNCTION IF EXISTS public.protect_last_admin();
DROP TRIGGER IF EXISTS roles_protect_system ON public.roles;
DROP FUNCTION IF EXISTS public.protect_system_roles();
DROP FUNCTION IF EXISTS public.tenant_exists(uuid);
DROP INDEX IF EXISTS public.tenants_deletion_scheduled;
ALTER TABLE public.tenants DROP COLUMN IF EXISTS deletion_scheduled_at;
