DROP INDEX public.users_tenant_directory_dn;
ALTER TABLE public.users DROP COLUMN directory_checked_at;
ALTER TABLE public.user_roles DROP COLUMN source;
