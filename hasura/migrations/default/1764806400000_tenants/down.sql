DROP TABLE public.tenant_features;
DROP TABLE public.tenants;
DROP FUNCTION public.set_updated_at();
