DROP VIEW public.user_permissions;
DROP TABLE public.role_permissions;
DROP TABLE public.user_roles;
DROP TABLE public.permissions;
DROP TABLE public.roles;
DROP TABLE public.users;
