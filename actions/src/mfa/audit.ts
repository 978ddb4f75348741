import type pg from 'pg';
import { recordAuditEvent } from '../audit/record.js';
import type { ClientInfo } from '../http/client.js';

/** Records an `auth.mfa.*` event of the user about their own factors. */
export async function auditMfa(
  pool: pg.Pool | pg.ClientBase,
  subject: { tenantId: string; userId: string },
  client: ClientInfo,
  action: `auth.mfa.${string}`,
  after: Record<string, unknown>,
): Promise<void> {
  await recordAuditEvent(pool, {
    tenantId: subject.tenantId,
    actorUserId: subject.userId,
    action,
    resourceType: 'users',
    resourceId: subject.userId,
    ip: client.ip,
    userAgent: client.userAgent,
    after,
  });
}
