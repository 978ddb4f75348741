import type { Authenticator } from '../auth/authenticate.js';
import type { EngineState } from '../state.js';

/** What the HTTP handlers share. */
export interface App {
  state: EngineState;
  authenticate: Authenticator;
}
