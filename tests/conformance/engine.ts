/** A running engine as `startEngine` of `engine/src/index.ts` returns it. */
export interface RunningEngine {
  url: string;
  port: number;
  close(): Promise<void>;
}

interface EngineModule {
  engineConfigFromEnv(env: Record<string, string | undefined>): unknown;
  startEngine(config: unknown): Promise<RunningEngine>;
}

// Loaded by path at run time rather than imported, so the runner still type-checks and reports
// a clear failure while the engine's entry point is missing or incomplete.
const ENGINE_ENTRY = new URL('../../engine/src/index.ts', import.meta.url);

let loaded: Promise<EngineModule> | undefined;

/** Imports the engine once. Rejects, naming the missing exports, when its API is incomplete. */
export function loadEngine(): Promise<EngineModule> {
  loaded ??= import(ENGINE_ENTRY.href).then((module: Record<string, unknown>) => {
    const missing = ['engineConfigFromEnv', 'startEngine'].filter(
      (name) => typeof module[name] !== 'function',
    );
    if (missing.length > 0) {
      throw new Error(`engine/src/index.ts does not export ${missing.join(' and ')}.`);
    }
    return module as unknown as EngineModule;
  });
  return loaded;
}

/**
 * Starts an engine with Hasura's variables in `env`, listening on 127.0.0.1 on a free port.
 * `process.env` is left out, so a shell's own `HASURA_GRAPHQL_*` settings cannot change a class.
 */
export async function startEngineWith(env: Record<string, string>): Promise<RunningEngine> {
  const engine = await loadEngine();
  const config = engine.engineConfigFromEnv({
    ...env,
    HASURA_GRAPHQL_SERVER_PORT: '0',
    HASURA_GRAPHQL_SERVER_HOST: '127.0.0.1',
  });
  const running = await engine.startEngine(config);
  return {
    url: running.url.replace(/\/+$/, ''),
    port: running.port,
    close: () => running.close(),
  };
}
