-- Directory sign-in: which role grants come from directory groups, so a sign-in can take back
-- the ones whose group the user left, and when a directory user was last checked.
ALTER TABLE public.user_roles
  ADD COLUMN source text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'directory'));
COMMENT ON COLUMN public.user_roles.source IS 'manual for grants by an admin, directory for grants from the group mapping; directory sign-in adds and removes only the latter.';

ALTER TABLE public.users ADD COLUMN directory_checked_at timestamptz;
COMMENT ON COLUMN public.users.directory_checked_at IS 'When the directory last confirmed that the entry of a directory user exists and is enabled.';
CREATE UNIQUE INDEX users_tenant_directory_dn ON public.users (tenant_id, lower(directory_dn))
  WHERE directory_dn IS NOT NULL;
