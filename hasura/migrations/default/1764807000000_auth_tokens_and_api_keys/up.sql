-- Sessions opened by an API key instead of a sign-in. The permission rules read both kinds
-- through active_sessions, so revoking the key's session stops its access tokens.
ALTER TABLE public.sessions
  ADD COLUMN kind text NOT NULL DEFAULT 'sign-in' CHECK (kind IN ('sign-in', 'api-key'));
COMMENT ON COLUMN public.sessions.kind IS 'sign-in for a password or directory sign-in, api-key for the session that backs one API key.';

ALTER TABLE public.sessions DROP CONSTRAINT sessions_revoked_reason_check;
ALTER TABLE public.sessions ADD CONSTRAINT sessions_revoked_reason_check
  CHECK (revoked_reason IN ('logout', 'logout-all', 'revoked', 'refresh-token-reuse',
                            'password-changed', 'password-reset', 'api-key-revoked', 'admin'));
CREATE INDEX sessions_user_live ON public.sessions (user_id) WHERE revoked_at IS NULL;

CREATE TABLE public.user_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('password-reset', 'invite')),
  token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  CHECK (expires_at > created_at),
  FOREIGN KEY (tenant_id, user_id) REFERENCES public.users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE public.user_tokens IS 'Single-use tokens mailed to a user: password reset and invitation links.';
COMMENT ON COLUMN public.user_tokens.id IS 'Token row id.';
COMMENT ON COLUMN public.user_tokens.tenant_id IS 'Tenant of the user.';
COMMENT ON COLUMN public.user_tokens.user_id IS 'User the token acts for.';
COMMENT ON COLUMN public.user_tokens.purpose IS 'password-reset or invite.';
COMMENT ON COLUMN public.user_tokens.token_hash IS 'SHA-256 of the mailed token. No role may select it.';
COMMENT ON COLUMN public.user_tokens.created_at IS 'When the token was issued.';
COMMENT ON COLUMN public.user_tokens.expires_at IS 'When the token stops being accepted.';
COMMENT ON COLUMN public.user_tokens.used_at IS 'When the token was redeemed or superseded; a used token is never accepted again.';
CREATE INDEX user_tokens_user ON public.user_tokens (user_id, purpose) WHERE used_at IS NULL;

CREATE TABLE public.api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  session_id uuid NOT NULL UNIQUE REFERENCES public.sessions (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
  secret_hash bytea NOT NULL CHECK (length(secret_hash) = 32),
  roles text[] NOT NULL
    CHECK (cardinality(roles) >= 1 AND roles <@ ARRAY['user', 'tenant_admin', 'platform_admin']),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  CHECK (expires_at IS NULL OR expires_at > created_at),
  FOREIGN KEY (tenant_id, user_id) REFERENCES public.users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE public.api_keys IS 'Long-lived keys that a user exchanges for short-lived access tokens; each has a session of kind api-key.';
COMMENT ON COLUMN public.api_keys.id IS 'Key id, also the public part of the key (acci_<id without dashes>_<secret>).';
COMMENT ON COLUMN public.api_keys.tenant_id IS 'Tenant of the owner.';
COMMENT ON COLUMN public.api_keys.user_id IS 'User who created the key; its tokens act as this user.';
COMMENT ON COLUMN public.api_keys.session_id IS 'Session of kind api-key whose id the key''s access tokens carry.';
COMMENT ON COLUMN public.api_keys.name IS 'Label the owner gave the key.';
COMMENT ON COLUMN public.api_keys.secret_hash IS 'SHA-256 of the secret part of the key. No role may select it.';
COMMENT ON COLUMN public.api_keys.roles IS 'Hasura roles the key''s tokens may use, a subset of the owner''s roles at creation.';
COMMENT ON COLUMN public.api_keys.created_at IS 'When the key was created.';
COMMENT ON COLUMN public.api_keys.expires_at IS 'When the key stops being accepted; null for no end.';
COMMENT ON COLUMN public.api_keys.last_used_at IS 'When the key was last exchanged for an access token.';
COMMENT ON COLUMN public.api_keys.revoked_at IS 'When the key was revoked; its session is revoked at the same time.';
CREATE INDEX api_keys_user ON public.api_keys (user_id, created_at DESC);
CREATE INDEX api_keys_tenant ON public.api_keys (tenant_id);
