import {
  createPluginServer,
  type HookHandler,
  type PluginServer,
  type UserRoleRow,
} from '@acci/plugin-sdk';

/** Settings of the configSchema in acci-plugin.json, with its defaults filled in. */
interface RoleWatchConfig {
  notifyUrl: string;
  watchedRoles: string[];
}

/** JSON body posted to `notifyUrl`; `text` suits chat webhooks such as Slack's. */
export interface RoleNotice {
  text: string;
  change: 'granted' | 'revoked';
  role: string;
  email: string | null;
  userId: string;
  tenantId: string;
}

const lookup = `
  query RoleGrant($roleId: uuid!, $userId: uuid!) {
    roles_by_pk(id: $roleId) { name }
    users_by_pk(id: $userId) { email }
  }`;

interface Lookup {
  roles_by_pk: { name: string } | null;
  users_by_pk: { email: string } | null;
}

/**
 * Notifies `notifyUrl` of a grant or revocation of a watched role. The role and user names
 * come through GraphQL with the delivery's credential, because user_roles rows hold ids
 * only. A revocation caused by deleting the role or the user finds no name and is skipped.
 */
export const notifyRoleChange: HookHandler<UserRoleRow> = async (event, context) => {
  const grant = event.new ?? event.old;
  if (grant === null) return;
  const config = context.config as unknown as RoleWatchConfig;

  const found = await context.graphql<Lookup>(lookup, {
    roleId: grant.role_id,
    userId: grant.user_id,
  });
  const role = found.roles_by_pk?.name;
  if (role === undefined || !config.watchedRoles.includes(role)) return;

  const email = found.users_by_pk?.email ?? null;
  const change = event.operation === 'insert' ? 'granted' : 'revoked';
  const notice: RoleNotice = {
    text: `The role ${role} was ${change} ${change === 'granted' ? 'to' : 'from'} ${email ?? grant.user_id}. See the audit log for who did it.`,
    change,
    role,
    email,
    userId: grant.user_id,
    tenantId: context.tenantId,
  };
  const response = await fetch(config.notifyUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(notice),
    signal: AbortSignal.timeout(5000),
  });
  await response.body?.cancel();
  if (!response.ok)
    throw new Error(`The notify webhook responded with HTTP ${response.status}. Check notifyUrl.`);
};

export interface RoleWatchOptions {
  secret: string | ((installationId: string) => string | undefined);
  host?: string;
  port?: number;
  graphqlUrl?: string;
}

/** Starts the role-watch plugin server. */
export function startRoleWatch(options: RoleWatchOptions): Promise<PluginServer> {
  return createPluginServer({
    ...options,
    hooks: { 'user_roles.insert': notifyRoleChange, 'user_roles.delete': notifyRoleChange },
  });
}
