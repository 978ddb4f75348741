-- Deliveries of table events to plugin installations. The action server's event receiver
-- writes one row per subscribed, enabled installation of the row's tenant; its delivery
-- worker sends them with retries and records every attempt.

CREATE TABLE public.plugin_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
  installation_id uuid NOT NULL REFERENCES public.plugin_installations (id) ON DELETE CASCADE,
  hook text NOT NULL CHECK (hook ~ '^[a-z_]+\.(insert|update|delete)$'),
  event_id text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 200),
  payload jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'delivered', 'dead')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts integer NOT NULL CHECK (max_attempts >= 1),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  last_status_code integer,
  last_error text CHECK (length(last_error) <= 1000),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  UNIQUE (installation_id, event_id)
);
COMMENT ON TABLE public.plugin_deliveries IS 'One table event to send to one plugin installation, with its retry state.';
COMMENT ON COLUMN public.plugin_deliveries.id IS 'Message id, sent as webhook-id on every attempt and replay so the plugin can deduplicate.';
COMMENT ON COLUMN public.plugin_deliveries.tenant_id IS 'Tenant of the changed row and of the installation.';
COMMENT ON COLUMN public.plugin_deliveries.installation_id IS 'Installation that receives the event.';
COMMENT ON COLUMN public.plugin_deliveries.hook IS 'Event name, for example users.insert.';
COMMENT ON COLUMN public.plugin_deliveries.event_id IS 'Id of the Hasura event; a repeated call of the event receiver adds no second delivery.';
COMMENT ON COLUMN public.plugin_deliveries.payload IS 'Hasura event payload without secret columns; the action server adds the acci context when sending.';
COMMENT ON COLUMN public.plugin_deliveries.status IS 'pending (waiting for next_attempt_at), sending (claimed until locked_until), delivered, or dead after max_attempts failures.';
COMMENT ON COLUMN public.plugin_deliveries.attempts IS 'Attempts since the delivery was created or last replayed.';
COMMENT ON COLUMN public.plugin_deliveries.max_attempts IS 'Attempts after which the delivery becomes dead.';
COMMENT ON COLUMN public.plugin_deliveries.next_attempt_at IS 'Earliest time of the next attempt, set by the backoff after a failure.';
COMMENT ON COLUMN public.plugin_deliveries.locked_until IS 'End of the claim of a worker; a sending delivery past it is claimed again.';
COMMENT ON COLUMN public.plugin_deliveries.last_status_code IS 'HTTP status of the last attempt, null when it got no response.';
COMMENT ON COLUMN public.plugin_deliveries.last_error IS 'Why the last attempt failed, without response bodies.';
COMMENT ON COLUMN public.plugin_deliveries.created_at IS 'When the event receiver stored the delivery.';
COMMENT ON COLUMN public.plugin_deliveries.updated_at IS 'When the delivery last changed.';
COMMENT ON COLUMN public.plugin_deliveries.delivered_at IS 'When the plugin answered with a 2xx status.';
CREATE INDEX plugin_deliveries_due ON public.plugin_deliveries (next_attempt_at)
  WHERE status IN ('pending', 'sending');
CREATE INDEX plugin_deliveries_installation ON public.plugin_deliveries (installation_id, created_at DESC);
CREATE INDEX plugin_deliveries_tenant ON public.plugin_deliveries (tenant_id, created_at DESC);
CREATE TRIGGER plugin_deliveries_set_updated_at BEFORE UPDATE ON public.plugin_deliveries
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE TABLE public.plugin_delivery_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id uuid NOT NULL REFERENCES public.plugin_deliveries (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
  attempt integer NOT NULL CHECK (attempt >= 1),
  outcome text NOT NULL CHECK (outcome IN ('delivered', 'failed', 'timeout')),
  status_code integer,
  error text CHECK (length(error) <= 1000),
  started_at timestamptz NOT NULL,
  duration_ms integer NOT NULL CHECK (duration_ms >= 0),
  UNIQUE (delivery_id, attempt)
);
COMMENT ON TABLE public.plugin_delivery_attempts IS 'Every HTTP attempt of a delivery, kept across replays.';
COMMENT ON COLUMN public.plugin_delivery_attempts.id IS 'Attempt row id.';
COMMENT ON COLUMN public.plugin_delivery_attempts.delivery_id IS 'Delivery that was attempted.';
COMMENT ON COLUMN public.plugin_delivery_attempts.tenant_id IS 'Tenant of the delivery.';
COMMENT ON COLUMN public.plugin_delivery_attempts.attempt IS 'Number of the attempt within the delivery, from 1, counting across replays.';
COMMENT ON COLUMN public.plugin_delivery_attempts.outcome IS 'delivered (2xx), failed (other status or network error) or timeout.';
COMMENT ON COLUMN public.plugin_delivery_attempts.status_code IS 'HTTP status, null when no response came.';
COMMENT ON COLUMN public.plugin_delivery_attempts.error IS 'Why the attempt failed, without response bodies.';
COMMENT ON COLUMN public.plugin_delivery_attempts.started_at IS 'When the request was sent.';
COMMENT ON COLUMN public.plugin_delivery_attempts.duration_ms IS 'Milliseconds until the response, the error or the timeout.';

-- Permissions that enabled installations of open tenants hold, one row per resource and
-- action. The plugin role's rules require a row here for the token's installation, so a
-- disabled or uninstalled plugin, or one of a suspended tenant, reads and writes nothing.
CREATE VIEW public.plugin_grants AS
  SELECT i.id AS installation_id, i.tenant_id, permission.value ->> 'resource' AS resource,
         action.value AS action
    FROM public.plugin_installations i
    JOIN public.plugins p ON p.id = i.plugin_id
    JOIN public.tenants t ON t.id = i.tenant_id
   CROSS JOIN LATERAL jsonb_array_elements(p.requested_permissions) AS permission (value)
   CROSS JOIN LATERAL jsonb_array_elements_text(permission.value -> 'actions') AS action (value)
   WHERE i.enabled
     AND (t.status = 'active' OR (t.status = 'trial' AND t.trial_ends_at > now()));
COMMENT ON VIEW public.plugin_grants IS 'Resource and action grants of enabled plugin installations in open tenants; the plugin role''s rules check it with _exists.';

SELECT public.enable_tenant_write_policies('public.plugin_deliveries');
SELECT public.enable_tenant_write_policies('public.plugin_delivery_attempts');
