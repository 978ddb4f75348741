DROP TABLE public.audit_events;
