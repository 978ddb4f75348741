import type { Session, SessionTokens } from './session';
import { readStoredProfile, type StoredProfile, writeStoredProfile } from './storedProfile';
import { readTokenRoles } from './tokenRoles';

/** Reason for the sign-in page that the user is told, when there is one. */
export type SignedOutNotice =
  /** The server rejected the session, or its token ran out and could not be renewed. */
  | 'session-ended'
  /** A stored session could not be renewed after a reload because the server failed. */
  | 'restore-failed';

/** State of the console: a signed-in session, the sign-in page, or the restore on page load. */
export type SessionState =
  | { status: 'restoring' }
  | { status: 'signed-in'; session: Session }
  | { status: 'signed-out'; notice: SignedOutNotice | null };

/**
 * The result of sending a refresh token to the server. `rejected` means the token is invalid,
 * expired or revoked. `unavailable` means the request failed for another reason, such as a
 * network error, so the same token may still work later.
 */
export type RefreshOutcome =
  | { status: 'renewed'; tokens: SessionTokens }
  | { status: 'rejected' }
  | { status: 'unavailable' };

/** Sends `refreshToken` to the server's "refreshToken" mutation. */
export type RefreshTokens = (refreshToken: string) => Promise<RefreshOutcome>;

/** The sessionStorage key of the refresh token. */
export const refreshTokenKey = 'acci.refreshToken';

/** The largest delay `setTimeout` accepts; longer delays fire at once. */
const maxTimerDelayMs = 2 ** 31 - 1;

/** How long before the access token runs out the store renews it, at most. */
const refreshLeadSeconds = 60;

/** The wait before a renewal that failed with `unavailable` is tried again. */
export const refreshRetryDelayMs = 10_000;

/**
 * Returns when to renew an access token that lives `expiresIn` seconds: a minute before it
 * runs out, or halfway through a lifetime of two minutes or less.
 */
export function refreshDelayMs(expiresIn: number): number {
  const lifetime = Math.max(expiresIn, 0);
  const lead = Math.min(refreshLeadSeconds, lifetime / 2);
  return Math.min((lifetime - lead) * 1000, maxTimerDelayMs);
}

/**
 * Stores the console session, renews its tokens and notifies subscribers when it changes, in
 * the shape React's `useSyncExternalStore` expects.
 *
 * The access token stays in memory only. The refresh token and the non-secret profile (user
 * and organisation) go to sessionStorage, which is scoped to the tab and cleared when the tab
 * closes, so `restore` can renew the session after a reload. Every refresh token is used once:
 * the stored one is replaced by the one each renewal returns. A tab duplicated by the browser
 * copies sessionStorage, so two tabs may send the same refresh token at once. The server
 * returns the same successor to both within its grace window, so both stay signed in.
 */
export class SessionStore {
  readonly #storage: Storage;
  readonly #refreshTokens: RefreshTokens;
  readonly #listeners = new Set<() => void>();
  #state: SessionState;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the current access token runs out, in milliseconds since the epoch. */
  #expiresAt = 0;
  /** The renewal in flight, shared by every caller until it settles. */
  #renewal: Promise<boolean> | null = null;
  /** Counts sign-ins and sign-outs, so a renewal that outlives its session is dropped. */
  #generation = 0;

  constructor(storage: Storage, refreshTokens: RefreshTokens) {
    this.#storage = storage;
    this.#refreshTokens = refreshTokens;
    const stored = this.#readStored() !== null;
    this.#state = stored ? { status: 'restoring' } : { status: 'signed-out', notice: null };
  }

  getState = (): SessionState => this.#state;

  /** Returns the signed-in session, or null. */
  currentSession = (): Session | null =>
    this.#state.status === 'signed-in' ? this.#state.session : null;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  /**
   * Renews the session whose refresh token is in storage, once on page load. Ends on the
   * sign-in page when the token is rejected or the server fails. Calling it again while the
   * renewal runs, as React's strict mode does, joins that renewal.
   */
  restore(): Promise<boolean> {
    if (this.#state.status !== 'restoring') return Promise.resolve(false);

    return this.#renew();
  }

  /** Starts a session and schedules the renewal of its access token. */
  signIn(session: Session): void {
    this.#generation += 1;
    this.#accept(session);
  }

  /** Ends the session locally. The caller revokes it on the server first. */
  signOut(): void {
    this.#end(null);
  }

  /**
   * Renews the session after the server rejected `accessToken` with "invalid-jwt". Resolves
   * true when a newer access token is in place, without a request when one already is, and
   * ends the session as expired when the renewal fails.
   */
  renewRejected = async (accessToken: string): Promise<boolean> => {
    const session = this.currentSession();
    if (session === null) return false;
    if (session.accessToken !== accessToken) return true;

    const renewed = await this.#renew();
    if (!renewed && this.currentSession() === session) this.#end('session-ended');

    return renewed;
  };

  #renew(): Promise<boolean> {
    this.#renewal ??= this.#sendRefresh().finally(() => {
      this.#renewal = null;
    });
    return this.#renewal;
  }

  async #sendRefresh(): Promise<boolean> {
    const stored = this.#readStored();
    if (stored === null) {
      this.#end(this.#state.status === 'restoring' ? null : 'session-ended');
      return false;
    }

    const generation = this.#generation;
    const outcome = await this.#refreshTokens(stored.refreshToken);
    if (generation !== this.#generation) return false;

    switch (outcome.status) {
      case 'renewed':
        this.#accept(renewedSession(stored.profile, outcome.tokens));
        return true;
      case 'rejected':
        this.#end('session-ended');
        return false;
      case 'unavailable':
        this.#retryLater();
        return false;
      default:
        return assertNever(outcome);
    }
  }

  /**
   * Handles a renewal that failed with `unavailable`. After a reload there is no access token
   * to keep working with, so the sign-in page opens. Otherwise the renewal is tried again
   * until the access token runs out.
   */
  #retryLater(): void {
    if (this.#state.status === 'restoring') {
      this.#end('restore-failed');
      return;
    }

    const remainingMs = this.#expiresAt - Date.now();
    if (remainingMs <= 0) {
      this.#end('session-ended');
      return;
    }

    this.#schedule(Math.min(refreshRetryDelayMs, remainingMs));
  }

  #accept(session: Session): void {
    this.#storage.setItem(refreshTokenKey, session.refreshToken);
    writeStoredProfile(this.#storage, { organisation: session.organisation, user: session.user });
    this.#expiresAt = Date.now() + Math.max(session.expiresIn, 0) * 1000;
    this.#schedule(refreshDelayMs(session.expiresIn));
    this.#update({ status: 'signed-in', session });
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      void this.#renew();
    }, delayMs);
  }

  #end(notice: SignedOutNotice | null): void {
    this.#generation += 1;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#storage.removeItem(refreshTokenKey);
    writeStoredProfile(this.#storage, null);
    this.#update({ status: 'signed-out', notice });
  }

  #readStored(): { refreshToken: string; profile: StoredProfile } | null {
    const refreshToken = this.#storage.getItem(refreshTokenKey);
    const profile = readStoredProfile(this.#storage);
    if (refreshToken === null || refreshToken === '' || profile === null) return null;

    return { refreshToken, profile };
  }

  #update(state: SessionState): void {
    this.#state = state;
    for (const listener of this.#listeners) listener();
  }
}

/** Builds the session of renewed tokens, with the roles the new access token allows. */
function renewedSession(profile: StoredProfile, tokens: SessionTokens): Session {
  const roles = readTokenRoles(tokens.accessToken) ?? profile.user.roles;
  return { ...tokens, organisation: profile.organisation, user: { ...profile.user, roles } };
}

function assertNever(value: never): never {
  throw new TypeError(`Unexpected refresh outcome ${JSON.stringify(value)}.`);
}
