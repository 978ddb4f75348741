DROP TABLE public.mfa_codes;
DROP TABLE public.mfa_challenges;
DROP INDEX public.auth_factors_user_type;
ALTER TABLE public.auth_factors DROP CONSTRAINT auth_factors_phone_number_check;
ALTER TABLE public.auth_factors DROP COLUMN last_used_step;
