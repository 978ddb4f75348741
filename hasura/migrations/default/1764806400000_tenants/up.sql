CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS citext;

-- Keeps updated_at current on every UPDATE of a table that has the column.
CREATE FUNCTION public.set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
COMMENT ON FUNCTION public.set_updated_at() IS 'Trigger function that stamps updated_at with the time of the update.';

CREATE TABLE public.tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  domain citext NOT NULL UNIQUE
    CHECK (domain ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$'),
  status text NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'suspended', 'trial', 'archived')),
  plan text NOT NULL DEFAULT 'standard',
  is_platform boolean NOT NULL DEFAULT false,
  trial_ends_at timestamptz,
  configuration jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(configuration) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'trial' OR trial_ends_at IS NOT NULL)
);
COMMENT ON TABLE public.tenants IS 'An organisation using the platform; every tenant-owned row points here.';
COMMENT ON COLUMN public.tenants.id IS 'Tenant id, also the value of the x-hasura-tenant-id claim.';
COMMENT ON COLUMN public.tenants.name IS 'Display name of the tenant.';
COMMENT ON COLUMN public.tenants.domain IS 'Unique DNS-style domain, for example demo.test; sign-in accepts it in place of the id.';
COMMENT ON COLUMN public.tenants.status IS 'active, trial (until trial_ends_at), suspended (no sign-in, sessions stop) or archived (read-only).';
COMMENT ON COLUMN public.tenants.plan IS 'Name of the plan whose feature defaults apply.';
COMMENT ON COLUMN public.tenants.is_platform IS 'True for the one tenant whose members administer the whole platform.';
COMMENT ON COLUMN public.tenants.trial_ends_at IS 'End of the trial; required while status is trial.';
COMMENT ON COLUMN public.tenants.configuration IS 'Theme, security policy and integration settings as a JSON object.';
COMMENT ON COLUMN public.tenants.created_at IS 'When the tenant was created.';
COMMENT ON COLUMN public.tenants.updated_at IS 'When the tenant row last changed.';
CREATE UNIQUE INDEX tenants_single_platform ON public.tenants (is_platform) WHERE is_platform;
CREATE TRIGGER tenants_set_updated_at BEFORE UPDATE ON public.tenants
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE TABLE public.tenant_features (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  enabled boolean NOT NULL DEFAULT true,
  config jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);
COMMENT ON TABLE public.tenant_features IS 'Feature flags of a tenant that override its plan defaults.';
COMMENT ON COLUMN public.tenant_features.id IS 'Feature row id.';
COMMENT ON COLUMN public.tenant_features.tenant_id IS 'Tenant the flag belongs to.';
COMMENT ON COLUMN public.tenant_features.name IS 'Feature name, lower case, for example ldap or plugins.';
COMMENT ON COLUMN public.tenant_features.enabled IS 'Whether the feature is on for the tenant.';
COMMENT ON COLUMN public.tenant_features.config IS 'Settings of the feature as JSON.';
COMMENT ON COLUMN public.tenant_features.created_at IS 'When the flag was set first.';
COMMENT ON COLUMN public.tenant_features.updated_at IS 'When the flag last changed.';
CREATE TRIGGER tenant_features_set_updated_at BEFORE UPDATE ON public.tenant_features
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
