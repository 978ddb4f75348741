import type pg from 'pg';
import { recordAuditEvent } from '../audit/record.js';
import type { ActionsConfig } from '../config.js';
import { secretBoxOf } from '../mfa/sign-in.js';
import { accountProblem } from './account.js';
import { DirectoryFailure, groupsContaining, readEntry, withServiceBind } from './client.js';
import { mappedRoleNames, memberOf, syncDirectoryRoles } from './provision.js';
import { loadDirectory } from './settings.js';

/**
 * Outcome of `recheckDirectoryUser`. `revoked` means that every session of the user was
 * ended, because the directory entry is gone or disabled or directory sign-in is off. The
 * refresh must then fail, and every other outcome lets it go on.
 */
export type DirectoryRecheck = 'not-directory' | 'fresh' | 'confirmed' | 'unavailable' | 'revoked';

/**
 * Re-checks the directory entry of a directory user on refresh, at most once every
 * LDAP_RECHECK_SECONDS per user: the entry must still exist without an account problem, and
 * its groups update the mapped roles. A directory that cannot be reached leaves the session
 * alone and returns `unavailable`, so an outage does not sign everyone out.
 */
export async function recheckDirectoryUser(
  deps: { config: ActionsConfig; pool: pg.Pool },
  subject: { tenantId: string; userId: string; sessionId: string },
): Promise<DirectoryRecheck> {
  const found = await deps.pool.query<{ directory_dn: string | null; due: boolean }>(
    `SELECT directory_dn,
            directory_checked_at IS NULL
              OR directory_checked_at <= now() - make_interval(secs => $3) AS due
       FROM public.users WHERE id = $1 AND tenant_id = $2 AND source = 'directory'`,
    [subject.userId, subject.tenantId, deps.config.ldapRecheckSeconds],
  );
  const user = found.rows[0];
  if (user === undefined || user.directory_dn === null) return 'not-directory';
  if (!user.due) return 'fresh';
  const dn = user.directory_dn;

  const directory = await loadDirectory(deps.pool, secretBoxOf(deps.config), subject.tenantId);
  if (directory === null || !directory.enabled || directory.bindPassword === null) {
    return revoke(deps.pool, subject, 'directory-disabled');
  }

  let roles: string[] | null;
  try {
    roles = await withServiceBind(directory.settings, directory.bindPassword, async (session) => {
      const entry = await readEntry(session, dn);
      if (entry === null || accountProblem(entry) !== null) return null;
      let groups = memberOf(entry);
      if (groups.length === 0 && directory.settings.groupRoleMap.length > 0) {
        groups = await groupsContaining(
          session,
          directory.settings.groupRoleMap.map((item) => item.group),
          dn,
        );
      }
      return mappedRoleNames(directory.settings, groups);
    });
  } catch (error) {
    if (error instanceof DirectoryFailure) return 'unavailable';
    throw error;
  }
  if (roles === null) return revoke(deps.pool, subject, 'directory-account-inactive');

  await syncDirectoryRoles(deps.pool, { id: subject.userId, tenantId: subject.tenantId }, roles);
  await deps.pool.query('UPDATE public.users SET directory_checked_at = now() WHERE id = $1', [
    subject.userId,
  ]);
  return 'confirmed';
}

async function revoke(
  pool: pg.Pool,
  subject: { tenantId: string; userId: string; sessionId: string },
  reason: string,
): Promise<'revoked'> {
  // Every session of the user ends, since the entry that signed them in no longer may.
  await pool.query(
    `UPDATE public.sessions SET revoked_at = now(), revoked_reason = 'revoked'
      WHERE user_id = $1 AND tenant_id = $2 AND revoked_at IS NULL`,
    [subject.userId, subject.tenantId],
  );
  await recordAuditEvent(pool, {
    tenantId: subject.tenantId,
    actorUserId: null,
    action: 'directory.user.rejected',
    resourceType: 'sessions',
    resourceId: subject.sessionId,
    ip: null,
    userAgent: null,
    after: { reason, userId: subject.userId },
  });
  return 'revoked';
}
