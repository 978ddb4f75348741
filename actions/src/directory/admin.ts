import type { Request, Response } from 'express';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record.js';
import { type Caller, callerFrom, requireLiveSession } from '../auth/caller.js';
import { ActionError } from '../errors.js';
import { parseActionPayload, textField } from '../http/action-payload.js';
import { clientInfo } from '../http/client.js';
import { secretBoxOf } from '../mfa/sign-in.js';
import { testDirectoryConnection } from './connection-test.js';
import type { DirectoryDependencies } from './dependencies.js';
import {
  bindPasswordContext,
  type DirectorySettings,
  directorySettingsInputSchema,
  loadDirectory,
  settingsOutput,
} from './settings.js';

export const setDirectorySettingsInputSchema = z.object({ settings: directorySettingsInputSchema });

/**
 * Throws `access-denied` unless the caller's session is live and the caller has the system
 * role tenant_admin now, not only when the access token was issued.
 */
export async function requireTenantAdmin(
  deps: DirectoryDependencies,
  sessionVariables: Record<string, string>,
): Promise<Caller> {
  const caller = callerFrom(sessionVariables);
  if (caller.role !== 'tenant_admin') {
    throw new ActionError(
      'access-denied',
      `The role "${caller.role}" may not change directory settings. Use tenant_admin.`,
    );
  }
  await requireLiveSession(deps.pool, caller);
  const granted = await deps.pool.query(
    `SELECT 1 FROM public.user_roles ur
       JOIN public.roles r ON r.id = ur.role_id AND r.tenant_id = ur.tenant_id
      WHERE ur.user_id = $1 AND ur.tenant_id = $2 AND r.name = 'tenant_admin' AND r.is_system`,
    [caller.userId, caller.tenantId],
  );
  if (granted.rowCount === 0) {
    throw new ActionError(
      'access-denied',
      'The caller no longer has the tenant_admin role. Sign in again as a tenant admin.',
    );
  }
  return caller;
}

/**
 * Handles `setDirectorySettings`: validates and stores the tenant's directory settings. The
 * bind password is encrypted with the first key of ACCI_ENCRYPTION_KEYS and kept when the
 * input leaves it out. Every role named in `groupRoleMap` must exist in the tenant.
 */
export function createSetDirectorySettingsHandler(deps: DirectoryDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const payload = parseActionPayload(
      request.body,
      'setDirectorySettings',
      setDirectorySettingsInputSchema,
    );
    const caller = await requireTenantAdmin(deps, payload.sessionVariables);
    response.locals.context.tenantId = caller.tenantId;
    response.locals.context.userId = caller.userId;
    const box = secretBoxOf(deps.config);
    const { bindPassword, enabled, ...settings } = payload.input.settings;

    await requireKnownRoles(deps, caller.tenantId, settings);
    const previous = await loadDirectory(deps.pool, box, caller.tenantId);
    if (bindPassword == null && (previous === null || previous.bindPassword === null)) {
      throw new ActionError(
        'validation-failed',
        'Invalid "setDirectorySettings" input: "input.settings.bindPassword" is required while no ' +
          'bind password is stored.',
      );
    }

    const encrypted =
      bindPassword == null ? null : box.encrypt(bindPassword, bindPasswordContext(caller.tenantId));
    await deps.pool.query(
      `INSERT INTO public.tenant_directories (tenant_id, enabled, settings, bind_password_encrypted)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id) DO UPDATE
         SET enabled = EXCLUDED.enabled, settings = EXCLUDED.settings,
             bind_password_encrypted = COALESCE(EXCLUDED.bind_password_encrypted,
                                                tenant_directories.bind_password_encrypted)`,
      [caller.tenantId, enabled, JSON.stringify(settings), encrypted],
    );
    const client = clientInfo(request);
    await recordAuditEvent(deps.pool, {
      tenantId: caller.tenantId,
      actorUserId: caller.userId,
      action: 'directory.settings.updated',
      resourceType: 'tenant_directories',
      resourceId: caller.tenantId,
      ip: client.ip,
      userAgent: client.userAgent,
      after: {
        enabled,
        ...settings,
        caCertificate: settings.caCertificate !== null,
        bindPasswordChanged: encrypted !== null,
      },
    });
    response.json(settingsOutput({ enabled, settings, bindPasswordSet: true }));
  };
}

async function requireKnownRoles(
  deps: DirectoryDependencies,
  tenantId: string,
  settings: DirectorySettings,
) {
  const names = settings.groupRoleMap.map((entry) => entry.role);
  const known = await deps.pool.query<{ name: string }>(
    'SELECT name FROM public.roles WHERE tenant_id = $1 AND name = ANY($2::text[])',
    [tenantId, names],
  );
  const existing = new Set(known.rows.map((row) => row.name));
  const index = names.findIndex((name) => !existing.has(name));
  if (index === -1) return;
  throw new ActionError(
    'validation-failed',
    `Invalid "setDirectorySettings" input: "input.settings.groupRoleMap.${index}.role" names the ` +
      `role "${names[index]}", which the tenant does not have. Create the role first or fix the name.`,
  );
}

export const testLdapConnectionInputSchema = z.object({ username: textField(1, 256).nullish() });

/**
 * Handles `testLdapConnection`: connects and binds with the saved settings, reads the search
 * base and, given a username, counts the entries its filter matches. Problems come back as
 * `{ok: false, code, message}` so the console can show them; the attempt is audited.
 */
export function createTestLdapConnectionHandler(deps: DirectoryDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const payload = parseActionPayload(
      request.body,
      'testLdapConnection',
      testLdapConnectionInputSchema,
    );
    const caller = await requireTenantAdmin(deps, payload.sessionVariables);
    response.locals.context.tenantId = caller.tenantId;
    response.locals.context.userId = caller.userId;

    const directory = await loadDirectory(deps.pool, secretBoxOf(deps.config), caller.tenantId);
    if (directory === null) {
      throw new ActionError(
        'directory-not-configured',
        'No directory settings are saved. Save them with "setDirectorySettings" first.',
      );
    }
    const result = await testDirectoryConnection(directory, payload.input.username ?? null);
    const client = clientInfo(request);
    await recordAuditEvent(deps.pool, {
      tenantId: caller.tenantId,
      actorUserId: caller.userId,
      action: 'directory.connection.tested',
      resourceType: 'tenant_directories',
      resourceId: caller.tenantId,
      ip: client.ip,
      userAgent: client.userAgent,
      after: { ok: result.ok, code: result.code },
    });
    response.json(result);
  };
}
