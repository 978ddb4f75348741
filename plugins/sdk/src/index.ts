export { createPluginContext, GraphqlRequestError, type PluginContext } from './context.js';
export * from './events.js';
export {
  ManifestError,
  manifestFileName,
  type PluginManifest,
  parseManifest,
  readManifest,
  resolveWebhookUrl,
  validateManifest,
} from './manifest.js';
export type * from './rows.js';
export {
  createPluginServer,
  type HookHandler,
  type HookHandlers,
  type PluginEvent,
  type PluginServer,
  type PluginServerOptions,
} from './server.js';
export {
  defaultToleranceSeconds,
  generateSigningSecret,
  type HeaderSource,
  signatureHeaders,
  signatureHeadersFor,
  signPayload,
  type VerificationResult,
  type VerifyOptions,
  verifySignature,
} from './signature.js';
export { type SampleEvent, sampleDelivery, sendSampleEvent } from './testing.js';
export { compareVersions, satisfiesRange } from './versions.js';
