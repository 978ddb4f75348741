DROP VIEW public.active_session_roles;
