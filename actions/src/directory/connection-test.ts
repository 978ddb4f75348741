import { ResultCodeError } from 'ldapts';
import { DirectoryFailure, findUserEntries, withServiceBind } from './client.js';
import type { SavedDirectory } from './settings.js';

/** The `DirectoryTestResult` of `testLdapConnection`. */
export interface ConnectionTestResult {
  ok: boolean;
  code: string | null;
  message: string;
  entryCount: number | null;
}

const failureCodes = {
  connect: 'directory-unavailable',
  'service-bind': 'directory-bind-failed',
  search: 'directory-search-failed',
} as const;

const failureHints = {
  connect: 'Check the URL, the port, StartTLS and the CA certificate.',
  'service-bind': 'Check the bind DN and the bind password.',
  search: 'Check the search base and the search filter.',
} as const;

/**
 * Binds as the service account, reads the search base entry and, when `username` is given,
 * counts the entries the user filter matches (up to two). Directory problems come back in
 * the result, whose message names the failing step and what to check.
 */
export async function testDirectoryConnection(
  directory: SavedDirectory,
  username: string | null,
): Promise<ConnectionTestResult> {
  const { settings, bindPassword } = directory;
  if (bindPassword === null) {
    return {
      ok: false,
      code: 'directory-bind-failed',
      message: 'No bind password is stored. Save one with "setDirectorySettings".',
      entryCount: null,
    };
  }
  try {
    return await withServiceBind(settings, bindPassword, async (session) => {
      try {
        await session.client.search(settings.searchBase, {
          scope: 'base',
          filter: '(objectClass=*)',
          attributes: ['1.1'],
        });
      } catch (error) {
        const detail =
          error instanceof ResultCodeError ? `LDAP result ${error.code}` : String(error);
        throw new DirectoryFailure(
          'search',
          `The search base "${settings.searchBase}" cannot be read (${detail}).`,
          { cause: error },
        );
      }
      const entryCount =
        username === null ? null : (await findUserEntries(session, username)).length;
      const found =
        entryCount === null
          ? ''
          : ` The filter matches ${entryCount === 2 ? 'two or more entries' : `${entryCount} entr${entryCount === 1 ? 'y' : 'ies'}`} for "${username}".`;
      return {
        ok: true,
        code: null,
        message: `Connected, bound as "${settings.bindDn}" and read the search base.${found}`,
        entryCount,
      };
    });
  } catch (error) {
    if (!(error instanceof DirectoryFailure)) throw error;
    return {
      ok: false,
      code: failureCodes[error.stage],
      message: `${error.message} ${failureHints[error.stage]}`,
      entryCount: null,
    };
  }
}
