import {
  createPluginServer,
  type HookHandler,
  type HookHandlers,
  knownHooks,
  type PluginServer,
} from '@acci/plugin-sdk';

const insertAuditEvent = `
  mutation RecordChange($event: audit_events_insert_input!) {
    insert_audit_events_one(object: $event) { id }
  }`;

/**
 * Records one change as an `audit_events` row through GraphQL with the delivery's `plugin`
 * credential, whose rules fill in the tenant. The actor is the user of the session that
 * made the change. It is null when that user belongs to another tenant (a platform admin),
 * because the rules accept only actors of the tenant, and when the change deleted them.
 */
export const recordChange: HookHandler = async (event, context) => {
  const skipped = (context.config.skipTables as string[] | undefined) ?? [];
  if (skipped.includes(event.table)) return;

  const row = event.new ?? event.old ?? {};
  const session = event.sessionVariables ?? {};
  const actor = session['x-hasura-user-id'];
  const sameTenant = session['x-hasura-tenant-id'] === context.tenantId;
  const deletedSelf = event.table === 'users' && event.operation === 'delete' && row.id === actor;
  await context.graphql(insertAuditEvent, {
    event: {
      action: event.hook,
      resource_type: event.table,
      resource_id: row.id === undefined ? null : String(row.id),
      actor_user_id: actor !== undefined && sameTenant && !deletedSelf ? actor : null,
      before: event.old,
      after: event.new,
    },
  });
};

/** The handlers of every hook the manifest subscribes to. */
export function auditLogHooks(): HookHandlers {
  return Object.fromEntries(knownHooks.map((hook) => [hook, recordChange])) as HookHandlers;
}

export interface AuditLogOptions {
  secret: string | ((installationId: string) => string | undefined);
  host?: string;
  port?: number;
  /** GraphQL endpoint when deliveries carry none (the platform lacks ACCI_GRAPHQL_URL). */
  graphqlUrl?: string;
}

/** Starts the audit-log plugin server. */
export function startAuditLog(options: AuditLogOptions): Promise<PluginServer> {
  return createPluginServer({ ...options, hooks: auditLogHooks() });
}
