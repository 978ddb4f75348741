import type pg from 'pg';

/** One row of `audit_events`. Never put secrets or personal data into `before` or `after`. */
export interface AuditEvent {
  /** Tenant the event concerns; null for platform-wide events such as a purged tenant. */
  tenantId: string | null;
  actorUserId: string | null;
  /** Dotted event name, for example `auth.login.succeeded`. */
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  ip: string | null;
  userAgent: string | null;
  /** State before a change; left out for events that change nothing. */
  before?: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Appends an audit event through `client`, which may be inside a transaction. */
export async function recordAuditEvent(client: pg.ClientBase | pg.Pool, event: AuditEvent) {
  await client.query(
    `INSERT INTO public.audit_events
       (tenant_id, actor_user_id, action, resource_type, resource_id, ip, user_agent, after,
        before)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      event.tenantId,
      event.actorUserId,
      event.action,
      event.resourceType,
      event.resourceId,
      event.ip,
      event.userAgent,
      event.after === null ? null : JSON.stringify(event.after),
      event.before === undefined || event.before === null ? null : JSON.stringify(event.before),
    ],
  );
}
