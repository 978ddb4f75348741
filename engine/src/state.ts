import pg from 'pg';
import type { EngineConfig } from './config/env.js';
import { introspectFunctions } from './database/functions.js';
import { introspectTables } from './database/introspect.js';
import { PlanCache } from './execute/prepare.js';
import { readStoredMetadata, storeMetadata } from './metadata/catalog-store.js';
import type { Metadata } from './metadata/types.js';
import { buildRoleSchema, type RoleSchema } from './schema/build.js';
import type { Catalog, InconsistentObject } from './schema/model.js';
import {
  computedFieldFunctions,
  qualify,
  resolveCatalog,
  trackedTables,
} from './schema/resolve.js';
import { trackedFunctions } from './schema/root-functions.js';

/** Writes one structured log entry. */
export type Log = (entry: Record<string, unknown>) => void;

/** The engine's live metadata, the catalog built from it and the caches that depend on it. */
export class EngineState {
  metadata: Metadata = { version: 3, sources: [] };
  resourceVersion = 0;
  catalog: Catalog = { tables: new Map(), roles: new Set() };
  inconsistent: InconsistentObject[] = [];
  /**
   * Runs after each activation, before the new metadata serves requests, and returns the
   * objects it could not build. Event triggers install their SQL triggers here.
   */
  onActivate: ((previous: Metadata) => Promise<InconsistentObject[]>) | undefined;
  readonly plans = new PlanCache();
  private schemas = new Map<string, RoleSchema>();

  constructor(
    readonly config: EngineConfig,
    readonly pool: pg.Pool,
    readonly log: Log,
  ) {}

  static create(config: EngineConfig, log: Log): EngineState {
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 20 });
    pool.on('error', (error) => log({ level: 'error', type: 'pg-pool', message: error.message }));
    return new EngineState(config, pool, log);
  }

  /** Builds the catalog for `metadata` from the database's current tables and makes it live. */
  // NOTE: every source is served from HASURA_GRAPHQL_DATABASE_URL; the URL a source names is
  // kept in the metadata but not connected to.
  async activate(metadata: Metadata, resourceVersion: number): Promise<void> {
    const tables = trackedTables(metadata).map((entry) => qualify(entry.table));
    const shapes = await introspectTables(this.pool, tables);
    const functions = await introspectFunctions(this.pool, [
      ...computedFieldFunctions(metadata),
      ...trackedFunctions(metadata),
    ]);
    const { catalog, inconsistent } = resolveCatalog(metadata, shapes, functions);
    const previous = this.metadata;
    this.metadata = metadata;
    this.resourceVersion = resourceVersion;
    this.catalog = catalog;
    this.inconsistent = inconsistent;
    if (this.onActivate !== undefined) inconsistent.push(...(await this.onActivate(previous)));
    this.schemas = new Map();
    this.plans.clear();
    for (const item of inconsistent) {
      this.log({
        level: 'warn',
        type: 'inconsistent-metadata',
        name: item.name,
        reason: item.reason,
      });
    }
  }

  /** Stores metadata in the catalog, then makes it live. */
  async replace(metadata: Metadata): Promise<void> {
    const version = await storeMetadata(this.pool, metadata);
    await this.activate(metadata, version);
  }

  /** Reloads the stored metadata and re-reads the database's tables. */
  async reload(): Promise<void> {
    const stored = await readStoredMetadata(this.pool);
    await this.activate(stored.metadata, stored.resourceVersion);
  }

  /**
   * Cancels the statement running on backend `pid` over a connection outside the pool, which
   * may be exhausted. Failures are logged, never thrown.
   */
  async cancelBackend(pid: number): Promise<void> {
    const client = new pg.Client({
      connectionString: this.config.databaseUrl,
      connectionTimeoutMillis: 5000,
    });
    try {
      await client.connect();
      await client.query('SELECT pg_cancel_backend($1)', [pid]);
      this.log({ level: 'info', type: 'statement-cancel', pid });
    } catch (error) {
      this.log({ level: 'error', type: 'statement-cancel', pid, error: String(error) });
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Returns the role's schema, built on first use and kept until the metadata changes. */
  roleSchema(role: string, backendOnly = false): RoleSchema {
    const key = `${role}\u0000${backendOnly}`;
    let schema = this.schemas.get(key);
    if (schema === undefined) {
      schema = buildRoleSchema(this.catalog, this.metadata, role, backendOnly);
      this.schemas.set(key, schema);
    }
    return schema;
  }
}
