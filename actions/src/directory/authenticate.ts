import type { Entry } from 'ldapts';
import { type AccountProblem, accountProblem, bindProblem } from './account.js';
import {
  bindAsUser,
  DirectoryFailure,
  findUserEntries,
  groupsContaining,
  withServiceBind,
} from './client.js';
import { memberOf } from './provision.js';
import type { SavedDirectory } from './settings.js';

/** Outcome of checking a username and password against the directory. */
export type DirectoryAuthentication =
  | { kind: 'accepted'; entry: Entry; groups: string[] }
  | { kind: 'rejected'; reason: 'entry-not-found' | 'entry-ambiguous' | 'password-mismatch' }
  | { kind: 'problem'; problem: AccountProblem; dn: string };

/**
 * Finds the one entry of `username` with the service account, reads its groups, then binds
 * as the entry with `password` on the same connection. Account problems are reported only
 * after that bind succeeded or failed with an Active Directory code that proves the
 * password. Throws `DirectoryFailure` when the directory cannot be reached or rejects the
 * service account.
 */
export async function authenticateWithDirectory(
  directory: SavedDirectory,
  username: string,
  password: string,
): Promise<DirectoryAuthentication> {
  const { settings, bindPassword } = directory;
  if (bindPassword === null) {
    throw new DirectoryFailure('service-bind', 'No bind password is stored for the directory.');
  }
  return withServiceBind(settings, bindPassword, async (session) => {
    const entries = await findUserEntries(session, username);
    const [entry] = entries;
    if (entry === undefined) return { kind: 'rejected', reason: 'entry-not-found' };
    if (entries.length > 1) return { kind: 'rejected', reason: 'entry-ambiguous' };

    let groups = memberOf(entry);
    if (groups.length === 0 && settings.groupRoleMap.length > 0) {
      const mapped = [...new Set(settings.groupRoleMap.map((item) => item.group))];
      groups = await groupsContaining(session, mapped, entry.dn);
    }

    const bind = await bindAsUser(session, entry.dn, password);
    if (!bind.ok) {
      const problem = bindProblem(bind.adCode);
      if (problem !== null) return { kind: 'problem', problem, dn: entry.dn };
      return { kind: 'rejected', reason: 'password-mismatch' };
    }

    const problem = accountProblem(entry);
    if (problem !== null) return { kind: 'problem', problem, dn: entry.dn };
    return { kind: 'accepted', entry, groups };
  });
}
