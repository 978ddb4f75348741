-- Second-factor state: the last accepted TOTP step (so a code works once), pending sign-ins
-- that wait for a second factor, and the one-time codes sent by SMS.
ALTER TABLE public.auth_factors
  ADD COLUMN last_used_step bigint CHECK (last_used_step >= 0);
COMMENT ON COLUMN public.auth_factors.last_used_step IS 'Highest TOTP time step (Unix time / 30 s) accepted so far; codes of this step or earlier are rejected as replays.';
ALTER TABLE public.auth_factors
  ADD CONSTRAINT auth_factors_phone_number_check
  CHECK ((type = 'sms') = (phone_number IS NOT NULL) AND (phone_number IS NULL OR phone_number ~ '^\+[1-9][0-9]{6,14}$'));
-- At most one TOTP and one SMS factor per user, confirmed or not; a new enrolment replaces an
-- unconfirmed one.
CREATE UNIQUE INDEX auth_factors_user_type ON public.auth_factors (user_id, type)
  WHERE type IN ('totp', 'sms');

CREATE TABLE public.mfa_challenges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  purpose text NOT NULL CHECK (purpose IN ('verification', 'enrolment')),
  method text NOT NULL CHECK (method IN ('password', 'directory')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  consumed_at timestamptz,
  CHECK (expires_at > created_at),
  FOREIGN KEY (tenant_id, user_id) REFERENCES public.users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE public.mfa_challenges IS 'Sign-ins that passed the first factor and wait for a second one; the client holds the opaque mfaToken.';
COMMENT ON COLUMN public.mfa_challenges.id IS 'Challenge id.';
COMMENT ON COLUMN public.mfa_challenges.tenant_id IS 'Tenant of the user.';
COMMENT ON COLUMN public.mfa_challenges.user_id IS 'User who passed the first factor.';
COMMENT ON COLUMN public.mfa_challenges.token_hash IS 'SHA-256 of the mfaToken. No role may select it.';
COMMENT ON COLUMN public.mfa_challenges.purpose IS 'verification when the user has a confirmed factor, enrolment when the tenant policy requires one and the user has none.';
COMMENT ON COLUMN public.mfa_challenges.method IS 'First factor that was passed: password or directory.';
COMMENT ON COLUMN public.mfa_challenges.attempts IS 'Wrong codes given so far; the challenge is rejected after five.';
COMMENT ON COLUMN public.mfa_challenges.created_at IS 'When the first factor was passed.';
COMMENT ON COLUMN public.mfa_challenges.expires_at IS 'When the mfaToken stops being accepted, five minutes after creation.';
COMMENT ON COLUMN public.mfa_challenges.consumed_at IS 'When the challenge completed a sign-in; a consumed challenge is never accepted again.';
CREATE INDEX mfa_challenges_user ON public.mfa_challenges (user_id);
CREATE INDEX mfa_challenges_expires ON public.mfa_challenges (expires_at);

CREATE TABLE public.mfa_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  factor_id uuid NOT NULL REFERENCES public.auth_factors (id) ON DELETE CASCADE,
  code_hash bytea NOT NULL CHECK (length(code_hash) = 32),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts BETWEEN 0 AND 5),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  consumed_at timestamptz,
  CHECK (expires_at > created_at),
  FOREIGN KEY (tenant_id, user_id) REFERENCES public.users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE public.mfa_codes IS 'One-time codes sent by SMS to confirm an SMS factor or to complete a sign-in.';
COMMENT ON COLUMN public.mfa_codes.id IS 'Code row id, also the salt of code_hash.';
COMMENT ON COLUMN public.mfa_codes.tenant_id IS 'Tenant of the user.';
COMMENT ON COLUMN public.mfa_codes.user_id IS 'User the code was sent to.';
COMMENT ON COLUMN public.mfa_codes.factor_id IS 'SMS factor whose phone number received the code.';
COMMENT ON COLUMN public.mfa_codes.code_hash IS 'SHA-256 of the row id and the code. No role may select it.';
COMMENT ON COLUMN public.mfa_codes.attempts IS 'Wrong codes given against this row; it is rejected after five.';
COMMENT ON COLUMN public.mfa_codes.created_at IS 'When the code was sent.';
COMMENT ON COLUMN public.mfa_codes.expires_at IS 'When the code stops being accepted, five minutes after sending.';
COMMENT ON COLUMN public.mfa_codes.consumed_at IS 'When the code was accepted or replaced by a newer one.';
CREATE INDEX mfa_codes_factor ON public.mfa_codes (factor_id, created_at DESC);
CREATE INDEX mfa_codes_tenant ON public.mfa_codes (tenant_id);
