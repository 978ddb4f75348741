DROP VIEW public.active_sessions;
DROP TABLE public.tenant_directories;
DROP TABLE public.auth_factors;
DROP TABLE public.refresh_tokens;
DROP TABLE public.sessions;
