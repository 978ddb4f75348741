import type { Session } from './session';

/** What the console shows: a signed-in session, or the sign-in page. */
export type SessionState =
  | { status: 'signed-in'; session: Session }
  /** `expired` is true when the server rejected the token or its lifetime ran out. */
  | { status: 'signed-out'; expired: boolean };

/** The sessionStorage key of the refresh token. */
export const refreshTokenKey = 'acci.refreshToken';

/** The largest delay `setTimeout` accepts; longer delays fire at once. */
const maxTimerDelayMs = 2 ** 31 - 1;

/**
 * Stores the console session and notifies subscribers when it changes, in the shape React's
 * `useSyncExternalStore` expects.
 *
 * The access token stays in memory only. It is never written to storage, so it ends with the
 * page and a reload signs the user out. The refresh token goes to sessionStorage, which is
 * scoped to the tab and cleared when the tab closes.
 * TODO: nothing reads the refresh token back yet. Once the API rotates refresh tokens, use it
 * to renew the access token before it expires and after a reload.
 */
export class SessionStore {
  readonly #storage: Storage;
  readonly #listeners = new Set<() => void>();
  #state: SessionState = { status: 'signed-out', expired: false };
  #expiryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  getState = (): SessionState => this.#state;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  /** Starts a session and ends it as expired once `expiresIn` seconds have passed. */
  signIn(session: Session): void {
    this.#clearTimer();
    this.#storage.setItem(refreshTokenKey, session.refreshToken);
    const delayMs = Math.min(Math.max(session.expiresIn, 0) * 1000, maxTimerDelayMs);
    this.#expiryTimer = setTimeout(() => this.expire(session), delayMs);
    this.#update({ status: 'signed-in', session });
  }

  /** Ends the current session at the user's request. */
  signOut(): void {
    this.#end(false);
  }

  /**
   * Ends `session` because its token is no longer valid. Does nothing when another session has
   * started since, so a late answer to an old request cannot sign out the next user.
   */
  expire(session: Session): void {
    if (this.#state.status !== 'signed-in' || this.#state.session !== session) return;

    this.#end(true);
  }

  #end(expired: boolean): void {
    this.#clearTimer();
    this.#storage.removeItem(refreshTokenKey);
    this.#update({ status: 'signed-out', expired });
  }

  #clearTimer(): void {
    clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
  }

  #update(state: SessionState): void {
    this.#state = state;
    for (const listener of this.#listeners) listener();
  }
}
