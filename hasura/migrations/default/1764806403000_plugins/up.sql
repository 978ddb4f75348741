CREATE TABLE public.plugins (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9-]{0,62}$'),
  version text NOT NULL CHECK (version ~ '^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$'),
  description text NOT NULL DEFAULT '',
  webhook_url text NOT NULL,
  hooks jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(hooks) = 'array'),
  dependencies jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(dependencies) = 'object'),
  requested_permissions jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(requested_permissions) = 'array'),
  config_schema jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (name, version)
);
COMMENT ON TABLE public.plugins IS 'Catalog of plugin versions that tenants can install.';
COMMENT ON COLUMN public.plugins.id IS 'Catalog entry id.';
COMMENT ON COLUMN public.plugins.name IS 'Plugin name from its manifest.';
COMMENT ON COLUMN public.plugins.version IS 'Semantic version from its manifest.';
COMMENT ON COLUMN public.plugins.description IS 'What the plugin does.';
COMMENT ON COLUMN public.plugins.webhook_url IS 'Where deliveries for this plugin are sent.';
COMMENT ON COLUMN public.plugins.hooks IS 'Event names the plugin subscribes to, as a JSON array.';
COMMENT ON COLUMN public.plugins.dependencies IS 'Other plugins it needs: name to semver range.';
COMMENT ON COLUMN public.plugins.requested_permissions IS 'Resources and actions the plugin asks for.';
COMMENT ON COLUMN public.plugins.config_schema IS 'JSON Schema of the per-tenant configuration.';
COMMENT ON COLUMN public.plugins.created_at IS 'When the version entered the catalog.';

CREATE TABLE public.plugin_installations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
  plugin_id uuid NOT NULL REFERENCES public.plugins (id) ON DELETE RESTRICT,
  plugin_name text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  config jsonb NOT NULL DEFAULT '{}'::jsonb,
  secret_encrypted bytea,
  installed_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, plugin_name)
);
COMMENT ON TABLE public.plugin_installations IS 'A plugin installed for one tenant, at one catalog version.';
COMMENT ON COLUMN public.plugin_installations.id IS 'Installation id.';
COMMENT ON COLUMN public.plugin_installations.tenant_id IS 'Tenant that installed the plugin.';
COMMENT ON COLUMN public.plugin_installations.plugin_id IS 'Catalog entry, which fixes the installed version.';
COMMENT ON COLUMN public.plugin_installations.plugin_name IS 'Plugin name, so a tenant has at most one version of each plugin.';
COMMENT ON COLUMN public.plugin_installations.enabled IS 'Whether the plugin receives deliveries.';
COMMENT ON COLUMN public.plugin_installations.config IS 'Configuration, valid against the plugin''s config schema.';
COMMENT ON COLUMN public.plugin_installations.secret_encrypted IS 'Signing secret of the deliveries, AES-256-GCM. No role may select it.';
COMMENT ON COLUMN public.plugin_installations.installed_at IS 'When the plugin was installed.';
COMMENT ON COLUMN public.plugin_installations.updated_at IS 'When the installation last changed.';
CREATE INDEX plugin_installations_plugin ON public.plugin_installations (plugin_id);
CREATE TRIGGER plugin_installations_set_updated_at BEFORE UPDATE ON public.plugin_installations
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
