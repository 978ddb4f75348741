export type { ActionsConfig } from './config.js';
export { loadActionsConfig } from './config.js';
export { ActionError, type ActionErrorCode } from './errors.js';
export type { ActionServer, ActionServerOptions } from './server.js';
export { startActionServer } from './server.js';
export { generateSigningKey } from './tokens/keys.js';
