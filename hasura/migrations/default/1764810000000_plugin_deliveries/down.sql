DROP VIEW IF EXISTS public.plugin_grants;
DROP TABLE IF EXISTS public.plugin_delivery_attempts;
DROP TABLE IF EXISTS public.plugin_deliveries;
