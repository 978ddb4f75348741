DROP TABLE public.plugin_installations;
DROP TABLE public.plugins;
