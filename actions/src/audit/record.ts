import type pg from 'pg';

/** One row of `audit_events`. Never put secrets or personal data into `after`. */
export interface AuditEvent {
  tenantId: string;
  actorUserId: string | null;
  /** Dotted event name, for example `auth.login.succeeded`. */
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  ip: string | null;
  userAgent: string | null;
  after: Record<string, unknown> | null;
}

/** Appends an audit event through `client`, which may be inside a transaction. */
export async function recordAuditEvent(client: pg.ClientBase | pg.Pool, event: AuditEvent) {
  await client.query(
    `INSERT INTO public.audit_events
       (tenant_id, actor_user_id, action, resource_type, resource_id, ip, user_agent, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      event.tenantId,
      event.actorUserId,
      event.action,
      event.resourceType,
      event.resourceId,
      event.ip,
      event.userAgent,
      event.after === null ? null : JSON.stringify(event.after),
    ],
  );
}
