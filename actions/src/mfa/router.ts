import { type RequestHandler, Router } from 'express';
import type { KeyValueStore } from '../store/store.js';
import { createConfirmMfaHandler } from './confirm.js';
import { createDisableMfaHandler, createSendMfaSmsHandler } from './disable.js';
import { createEnableMfaHandler } from './enable.js';
import type { MfaDependencies } from './sign-in.js';
import { createVerifyMfaHandler } from './verify.js';

/**
 * Routes of the MFA actions, each behind `guards` (the action secret and the JSON body
 * parser), at the kebab-case path of the action name that actions.yaml points at.
 */
export function createMfaRouter(
  deps: MfaDependencies & { store: KeyValueStore },
  guards: RequestHandler[],
): Router {
  const router = Router();
  router.post('/enable-mfa', ...guards, createEnableMfaHandler(deps));
  router.post('/confirm-mfa', ...guards, createConfirmMfaHandler(deps));
  router.post('/verify-mfa', ...guards, createVerifyMfaHandler(deps));
  router.post('/disable-mfa', ...guards, createDisableMfaHandler(deps));
  router.post('/send-mfa-sms', ...guards, createSendMfaSmsHandler(deps));
  return router;
}
