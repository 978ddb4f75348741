CREATE TABLE public.sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  user_agent text CHECK (length(user_agent) <= 512),
  ip inet,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text CHECK (revoked_reason IN ('logout', 'logout-all', 'revoked', 'refresh-token-reuse', 'password-changed', 'admin')),
  FOREIGN KEY (tenant_id, user_id) REFERENCES public.users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE public.sessions IS 'One sign-in of a user; holds one family of rotated refresh tokens.';
COMMENT ON COLUMN public.sessions.id IS 'Session id, also the value of the x-hasura-session-id claim.';
COMMENT ON COLUMN public.sessions.tenant_id IS 'Tenant the session is scoped to.';
COMMENT ON COLUMN public.sessions.user_id IS 'User who signed in.';
COMMENT ON COLUMN public.sessions.user_agent IS 'User-Agent header of the sign-in request, cut to 512 characters.';
COMMENT ON COLUMN public.sessions.ip IS 'Client address of the sign-in request.';
COMMENT ON COLUMN public.sessions.created_at IS 'Time of sign-in.';
COMMENT ON COLUMN public.sessions.last_used_at IS 'Time of the last refresh.';
COMMENT ON COLUMN public.sessions.expires_at IS 'Absolute end of the session; no refresh extends it.';
COMMENT ON COLUMN public.sessions.revoked_at IS 'When the session was ended; access tokens of a revoked session read and write nothing.';
COMMENT ON COLUMN public.sessions.revoked_reason IS 'Why the session was ended.';
CREATE INDEX sessions_user ON public.sessions (user_id, created_at DESC);

CREATE TABLE public.refresh_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id uuid NOT NULL REFERENCES public.sessions (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  replaced_by uuid REFERENCES public.refresh_tokens (id) ON DELETE SET NULL
);
COMMENT ON TABLE public.refresh_tokens IS 'Refresh tokens of a session, stored as SHA-256 hashes; each is used once and replaced.';
COMMENT ON COLUMN public.refresh_tokens.id IS 'Token row id.';
COMMENT ON COLUMN public.refresh_tokens.session_id IS 'Session (token family) the token belongs to.';
COMMENT ON COLUMN public.refresh_tokens.tenant_id IS 'Tenant of the session.';
COMMENT ON COLUMN public.refresh_tokens.token_hash IS 'SHA-256 of the opaque token. No role may select it.';
COMMENT ON COLUMN public.refresh_tokens.created_at IS 'When the token was issued.';
COMMENT ON COLUMN public.refresh_tokens.expires_at IS 'When the token stops being accepted.';
COMMENT ON COLUMN public.refresh_tokens.used_at IS 'When the token was exchanged; a second use after the grace window revokes the session.';
COMMENT ON COLUMN public.refresh_tokens.replaced_by IS 'Token issued in exchange for this one.';
CREATE INDEX refresh_tokens_session ON public.refresh_tokens (session_id);

CREATE TABLE public.auth_factors (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  type text NOT NULL CHECK (type IN ('totp', 'sms', 'recovery-code')),
  secret_encrypted bytea,
  phone_number text,
  confirmed_at timestamptz,
  last_used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES public.users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE public.auth_factors IS 'Second factors of a user: TOTP, SMS and single-use recovery codes.';
COMMENT ON COLUMN public.auth_factors.id IS 'Factor id.';
COMMENT ON COLUMN public.auth_factors.tenant_id IS 'Tenant of the user.';
COMMENT ON COLUMN public.auth_factors.user_id IS 'User the factor belongs to.';
COMMENT ON COLUMN public.auth_factors.type IS 'totp, sms or recovery-code.';
COMMENT ON COLUMN public.auth_factors.secret_encrypted IS 'TOTP secret (AES-256-GCM) or recovery-code hash. No role may select it.';
COMMENT ON COLUMN public.auth_factors.phone_number IS 'Phone number in E.164 form for SMS factors.';
COMMENT ON COLUMN public.auth_factors.confirmed_at IS 'When enrolment was confirmed with a valid code; unconfirmed factors are not used.';
COMMENT ON COLUMN public.auth_factors.last_used_at IS 'When the factor last completed a sign-in.';
COMMENT ON COLUMN public.auth_factors.created_at IS 'When enrolment started.';
CREATE INDEX auth_factors_user ON public.auth_factors (user_id);

CREATE TABLE public.tenant_directories (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL UNIQUE REFERENCES public.tenants (id) ON DELETE CASCADE,
  enabled boolean NOT NULL DEFAULT false,
  settings jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(settings) = 'object'),
  bind_password_encrypted bytea,
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE public.tenant_directories IS 'LDAP or Active Directory settings of a tenant.';
COMMENT ON COLUMN public.tenant_directories.id IS 'Settings row id.';
COMMENT ON COLUMN public.tenant_directories.tenant_id IS 'Tenant the directory serves; one row per tenant.';
COMMENT ON COLUMN public.tenant_directories.enabled IS 'Whether directory sign-in is on.';
COMMENT ON COLUMN public.tenant_directories.settings IS 'URL, TLS, bind DN, search base, filter, attribute and group mapping, timeout; never the password.';
COMMENT ON COLUMN public.tenant_directories.bind_password_encrypted IS 'Service account password, AES-256-GCM. No role may select it.';
COMMENT ON COLUMN public.tenant_directories.updated_at IS 'When the settings last changed.';
CREATE TRIGGER tenant_directories_set_updated_at BEFORE UPDATE ON public.tenant_directories
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- Sessions that may still act: not revoked, not expired, of an active user in an active or
-- trial tenant. Every non-anonymous permission rule requires the caller's session to be here,
-- so logout, deactivation and suspension stop a still-valid access token on its next request.
CREATE VIEW public.active_sessions AS
  SELECT s.id, s.tenant_id, s.user_id
    FROM public.sessions s
    JOIN public.users u ON u.id = s.user_id AND u.tenant_id = s.tenant_id
    JOIN public.tenants t ON t.id = s.tenant_id
   WHERE s.revoked_at IS NULL
     AND s.expires_at > now()
     AND u.status = 'active'
     AND (t.status = 'active' OR (t.status = 'trial' AND t.trial_ends_at > now()));
COMMENT ON VIEW public.active_sessions IS 'Sessions whose access tokens are still honoured by the permission rules.';
