DROP TABLE public.api_keys;
DROP TABLE public.user_tokens;
DROP INDEX public.sessions_user_live;
DELETE FROM public.sessions WHERE kind = 'api-key';
UPDATE public.sessions SET revoked_reason = 'revoked'
 WHERE revoked_reason IN ('password-reset', 'api-key-revoked');
ALTER TABLE public.sessions DROP CONSTRAINT sessions_revoked_reason_check;
ALTER TABLE public.sessions ADD CONSTRAINT sessions_revoked_reason_check
  CHECK (revoked_reason IN ('logout', 'logout-all', 'revoked', 'refresh-token-reuse', 'password-changed', 'admin'));
ALTER TABLE public.sessions DROP COLUMN kind;
