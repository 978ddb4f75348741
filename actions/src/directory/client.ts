import {
  Client,
  type Entry,
  InvalidCredentialsError,
  ResultCodeError,
  SizeLimitExceededError,
} from 'ldapts';
import { escapeFilterValue, renderFilter } from './filter.js';
import type { DirectorySettings } from './settings.js';

/**
 * Failure of the directory itself, never of the user's credentials: unreachable, TLS
 * failed, timed out, service account rejected or search base missing. `stage` names the step.
 */
export class DirectoryFailure extends Error {
  readonly stage: 'connect' | 'service-bind' | 'search';

  constructor(
    stage: DirectoryFailure['stage'],
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'DirectoryFailure';
    this.stage = stage;
  }
}

/** Attributes that sign-in reads besides the configured name and mail attributes. */
export const accountAttributes = [
  'memberOf',
  'userAccountControl',
  'msDS-User-Account-Control-Computed',
  'pwdLastSet',
  'accountExpires',
];

/** A connection bound as the service account. */
export interface DirectorySession {
  client: Client;
  settings: DirectorySettings;
}

function describe(error: unknown): string {
  if (error instanceof ResultCodeError) return `LDAP result ${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Connects (with StartTLS when set, trusting `caCertificate` when given), binds as the
 * service account, runs `work` and unbinds. Throws `DirectoryFailure` for the connection
 * and the service bind; errors of `work` pass through.
 */
export async function withServiceBind<T>(
  settings: DirectorySettings,
  bindPassword: string,
  work: (session: DirectorySession) => Promise<T>,
): Promise<T> {
  const tlsOptions = settings.caCertificate === null ? {} : { ca: [settings.caCertificate] };
  const client = new Client({
    url: settings.url,
    timeout: settings.timeoutMs,
    connectTimeout: settings.timeoutMs,
    tlsOptions,
    strictDN: false,
  });
  try {
    if (settings.startTls) {
      await client.startTLS(tlsOptions).catch((error: unknown) => {
        throw new DirectoryFailure('connect', `StartTLS failed: ${describe(error)}`, {
          cause: error,
        });
      });
    }
    await client.bind(settings.bindDn, bindPassword).catch((error: unknown) => {
      const stage = error instanceof ResultCodeError ? 'service-bind' : 'connect';
      throw new DirectoryFailure(stage, `Service bind failed: ${describe(error)}`, {
        cause: error,
      });
    });
    return await work({ client, settings });
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/**
 * Searches the user entries that the filter matches for `username`, at most two, since two
 * already mean the sign-in is ambiguous.
 */
export async function findUserEntries(
  session: DirectorySession,
  username: string,
): Promise<Entry[]> {
  const { settings } = session;
  try {
    const { searchEntries } = await session.client.search(settings.searchBase, {
      scope: 'sub',
      filter: renderFilter(settings.searchFilter, username),
      sizeLimit: 2,
      attributes: [
        settings.emailAttribute,
        settings.firstNameAttribute,
        settings.lastNameAttribute,
        ...accountAttributes,
      ],
    });
    return searchEntries;
  } catch (error) {
    // A size limit error means more entries matched than the two that were asked for.
    if (error instanceof SizeLimitExceededError) return [{ dn: '' }, { dn: '' }];
    throw searchFailure(error);
  }
}

function searchFailure(error: unknown): Error {
  if (error instanceof DirectoryFailure) return error;
  const stage = error instanceof ResultCodeError ? 'search' : 'connect';
  return new DirectoryFailure(stage, `Search failed: ${describe(error)}`, { cause: error });
}

/** Reads one entry by DN with the sign-in attributes; null when it does not exist. */
export async function readEntry(session: DirectorySession, dn: string): Promise<Entry | null> {
  const { settings } = session;
  try {
    const { searchEntries } = await session.client.search(dn, {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: [
        settings.emailAttribute,
        settings.firstNameAttribute,
        settings.lastNameAttribute,
        ...accountAttributes,
      ],
    });
    return searchEntries[0] ?? null;
  } catch (error) {
    if (error instanceof ResultCodeError && error.code === 32) return null;
    throw searchFailure(error);
  }
}

/** Result of binding as the user. `adCode` is the Active Directory sub-code of a rejection. */
export type UserBind = { ok: true } | { ok: false; adCode: string | null };

/**
 * Binds as `dn` with `password` on the session's connection. Callers must reject an empty
 * password first, because a simple bind with a DN and no password is an unauthenticated bind
 * that many servers accept (RFC 4513 section 5.1.2).
 */
export async function bindAsUser(
  session: DirectorySession,
  dn: string,
  password: string,
): Promise<UserBind> {
  if (password === '') throw new TypeError('bindAsUser needs a non-empty password.');
  try {
    await session.client.bind(dn, password);
    return { ok: true };
  } catch (error) {
    if (error instanceof InvalidCredentialsError) {
      return { ok: false, adCode: /\bdata ([0-9a-f]{3,4})\b/i.exec(error.message)?.[1] ?? null };
    }
    if (error instanceof ResultCodeError) return { ok: false, adCode: null };
    throw searchFailure(error);
  }
}

/** Returns the first value of an attribute as text, or null. */
export function firstValue(entry: Entry, name: string): string | null {
  const key = Object.keys(entry).find(
    (candidate) => candidate.toLowerCase() === name.toLowerCase(),
  );
  const value = key === undefined ? undefined : entry[key];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return null;
  return typeof first === 'string' ? first : first.toString('utf8');
}

/** Returns every value of an attribute as text. */
export function allValues(entry: Entry, name: string): string[] {
  const key = Object.keys(entry).find(
    (candidate) => candidate.toLowerCase() === name.toLowerCase(),
  );
  const value = key === undefined ? undefined : entry[key];
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.map((item) => (typeof item === 'string' ? item : item.toString('utf8')));
}

/**
 * Returns those of `groupDns` that list `memberDn` as `member` or `uniqueMember`, for
 * directories without memberOf. Groups that do not exist are skipped.
 */
export async function groupsContaining(
  session: DirectorySession,
  groupDns: string[],
  memberDn: string,
): Promise<string[]> {
  const value = escapeFilterValue(memberDn);
  const found: string[] = [];
  for (const group of groupDns) {
    try {
      const { searchEntries } = await session.client.search(group, {
        scope: 'base',
        filter: `(|(member=${value})(uniqueMember=${value}))`,
        attributes: ['1.1'],
      });
      if (searchEntries.length > 0) found.push(group);
    } catch (error) {
      if (error instanceof ResultCodeError && error.code === 32) continue;
      throw searchFailure(error);
    }
  }
  return found;
}
