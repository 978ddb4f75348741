export { type EngineConfig, engineConfigFromEnv } from './config/env.js';
export type { ClaimSource, JwtConfig } from './config/jwt-config.js';
export { EngineError, type ErrorCode } from './errors.js';
export { loadMetadataDir, readYamlWithIncludes } from './metadata/load-dir.js';
export type { Metadata } from './metadata/types.js';
export { type RunningEngine, type StartOptions, startEngine } from './start.js';
