import { useSyncExternalStore } from 'react';
import type { SessionState, SessionStore } from './SessionStore';

/** Returns the state of `store` and re-renders the caller whenever it changes. */
export function useSessionState(store: SessionStore): SessionState {
  return useSyncExternalStore(store.subscribe, store.getState);
}
