CREATE TABLE public.audit_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid REFERENCES public.tenants (id) ON DELETE CASCADE,
  actor_user_id uuid REFERENCES public.users (id) ON DELETE SET NULL,
  action text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_.-]{0,99}$'),
  resource_type text,
  resource_id text,
  before jsonb,
  after jsonb,
  ip inet,
  user_agent text CHECK (length(user_agent) <= 512),
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE public.audit_events IS 'Append-only record of security and administrative events.';
COMMENT ON COLUMN public.audit_events.id IS 'Event number, increasing.';
COMMENT ON COLUMN public.audit_events.tenant_id IS 'Tenant the event concerns; null for platform-wide events.';
COMMENT ON COLUMN public.audit_events.actor_user_id IS 'User who acted, when known.';
COMMENT ON COLUMN public.audit_events.action IS 'What happened, for example auth.login.succeeded.';
COMMENT ON COLUMN public.audit_events.resource_type IS 'Kind of the thing acted on, for example users.';
COMMENT ON COLUMN public.audit_events.resource_id IS 'Id of the thing acted on.';
COMMENT ON COLUMN public.audit_events.before IS 'State before the change, without secrets.';
COMMENT ON COLUMN public.audit_events.after IS 'State after the change, without secrets.';
COMMENT ON COLUMN public.audit_events.ip IS 'Client address of the request.';
COMMENT ON COLUMN public.audit_events.user_agent IS 'User-Agent of the request, cut to 512 characters.';
COMMENT ON COLUMN public.audit_events.created_at IS 'When the event was recorded.';
CREATE INDEX audit_events_tenant_time ON public.audit_events (tenant_id, created_at DESC);
