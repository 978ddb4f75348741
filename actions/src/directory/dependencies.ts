import type { Logger } from 'pino';
import type { MfaDependencies } from '../mfa/sign-in.js';
import type { KeyValueStore } from '../store/store.js';

/** Dependencies of the directory actions: those of MFA, the counters and the logger. */
export interface DirectoryDependencies extends MfaDependencies {
  store: KeyValueStore;
  logger: Logger;
}
