import type { Request, Response } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record.js';
import { ActionError } from '../errors.js';
import { parseActionPayload } from '../http/action-payload.js';
import { clientInfo } from '../http/client.js';
import { requireTenantCaller } from './access.js';
import type { TenantDependencies } from './dependencies.js';
import { resolveTenant } from './resolve.js';
import { isSecretColumn } from './secret-columns.js';

/** Input of `exportTenant`. */
export const exportTenantInputSchema = z.object({
  tenantId: z.uuid({ error: 'must be a tenant id (UUID)' }),
});

interface TenantTable {
  table: string;
  columns: string[];
}

/**
 * Lists the base tables of schema public with a tenant_id column, and their columns except
 * secrets. Read from the catalog, so tables added by later migrations are exported too.
 */
async function tenantTables(client: pg.Pool | pg.ClientBase): Promise<TenantTable[]> {
  const result = await client.query<{ table_name: string; columns: string[] }>(
    `SELECT c.table_name, array_agg(c.column_name::text ORDER BY c.ordinal_position) AS columns
       FROM information_schema.columns c
       JOIN information_schema.tables t
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
      GROUP BY c.table_name
     HAVING bool_or(c.column_name = 'tenant_id')
      ORDER BY c.table_name`,
  );
  return result.rows.map((row) => ({
    table: row.table_name,
    columns: row.columns.filter((column) => !isSecretColumn(column)),
  }));
}

/** Reads the rows of `tenantId` in every tenant-owned table, inside one snapshot. */
export async function exportTenantRows(
  client: pg.ClientBase,
  tenantId: string,
): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  const tenantColumns = await client.query<{ row: unknown }>(
    'SELECT to_jsonb(t) AS row FROM public.tenants t WHERE id = $1',
    [tenantId],
  );
  tables.tenants = tenantColumns.rows.map((row) => row.row);
  for (const { table, columns } of await tenantTables(client)) {
    const list = columns.map((column) => client.escapeIdentifier(column)).join(', ');
    const result = await client.query<{ rows: unknown[] | null }>(
      `SELECT json_agg(r) AS rows FROM (SELECT ${list} FROM public.${client.escapeIdentifier(table)}
        WHERE tenant_id = $1) AS r`,
      [tenantId],
    );
    tables[table] = result.rows[0]?.rows ?? [];
  }
  return tables;
}

/**
 * Handles `exportTenant` for platform_admin: a JSON object of the tenant's rows by table,
 * without password hashes, token hashes or encrypted columns. Works in every status, archived
 * included, and audits the export.
 */
export function createExportTenantHandler(deps: TenantDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input, sessionVariables } = parseActionPayload(
      request.body,
      'exportTenant',
      exportTenantInputSchema,
    );
    const caller = await requireTenantCaller(deps.pool, sessionVariables, ['platform_admin']);
    response.locals.context.tenantId = input.tenantId;

    const client = await deps.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const tenant = await resolveTenant(client, { kind: 'id', id: input.tenantId });
      if (tenant === null) {
        throw new ActionError('not-found', `No tenant has the id "${input.tenantId}".`);
      }
      const tables = await exportTenantRows(client, tenant.id);
      await client.query('COMMIT');
      await recordAuditEvent(deps.pool, {
        tenantId: tenant.id,
        actorUserId: caller.userId,
        action: 'tenant.exported',
        resourceType: 'tenants',
        resourceId: tenant.id,
        ...clientInfo(request),
        after: { tables: Object.keys(tables).length },
      });
      response.json({ tenantId: tenant.id, exportedAt: new Date(), tables });
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
}
