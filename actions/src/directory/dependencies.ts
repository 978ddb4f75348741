import type { Logger } from 'pino';
import type { MfaDependencies } from '../mfa/sign-in.js';
import type { KeyValueStore } from '../store/store.js';

/** What the directory actions use: the MFA dependencies, the counters and the logger. */
export interface DirectoryDependencies extends MfaDependencies {
  store: KeyValueStore;
  logger: Logger;
}
