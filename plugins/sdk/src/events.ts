/**
 * Tables whose changes reach plugins. Each has a Hasura event trigger that posts to the
 * action server, and each row names its tenant in `tenant_id` (in `id` for `tenants`).
 */
export const coreTables = [
  'tenants',
  'tenant_features',
  'users',
  'roles',
  'user_roles',
  'role_permissions',
] as const;

export type CoreTable = (typeof coreTables)[number];

/** Row operations, as the hook suffix spells them. */
export const hookOperations = ['insert', 'update', 'delete'] as const;

export type HookOperation = (typeof hookOperations)[number];

/** Name of a subscribable event, such as `users.insert`. */
export type HookName = `${CoreTable}.${HookOperation}`;

/** Every hook name a manifest may subscribe to. */
export const knownHooks: readonly HookName[] = coreTables.flatMap((table) =>
  hookOperations.map((operation): HookName => `${table}.${operation}`),
);

export function isHookName(value: string): value is HookName {
  return (knownHooks as readonly string[]).includes(value);
}

/** Splits a hook name into its table and operation. */
export function parseHookName(hook: HookName): { table: CoreTable; operation: HookOperation } {
  const [table, operation] = hook.split('.') as [CoreTable, HookOperation];
  return { table, operation };
}

/** Actions that a plugin may request on a resource. */
export type PermissionAction = 'read' | 'create';

/**
 * Resources and the actions the `plugin` role's rules in hasura/metadata grant on them. A
 * hook on a table needs `read` on that table, because the event carries its rows.
 */
export const grantablePermissions: Readonly<Record<string, readonly PermissionAction[]>> = {
  tenants: ['read'],
  tenant_features: ['read'],
  users: ['read'],
  roles: ['read'],
  user_roles: ['read'],
  role_permissions: ['read'],
  audit_events: ['read', 'create'],
};

/** One entry of a manifest's `requestedPermissions`. */
export interface RequestedPermission {
  resource: string;
  actions: PermissionAction[];
}

/** Column values of one row, as Hasura puts them into an event. */
export type Row = Record<string, unknown>;

/** Operation names of Hasura's event payload. */
export type HasuraOperation = 'INSERT' | 'UPDATE' | 'DELETE' | 'MANUAL';

/** The event payload Hasura v2 posts to an event trigger's webhook. */
export interface HasuraEventPayload<TRow extends Row = Row> {
  id: string;
  created_at: string;
  event: {
    session_variables: Record<string, string> | null;
    op: HasuraOperation;
    data: { old: TRow | null; new: TRow | null };
    trace_context?: { trace_id: string; span_id: string };
  };
  delivery_info: { max_retries: number; current_retry: number };
  trigger: { name: string };
  table: { schema: string; name: string };
}

/** Context that ACCI adds under `acci` to the Hasura payload of every delivery. */
export interface DeliveryContext {
  /** The hook this delivery is for, such as `users.insert`. */
  hook: HookName;
  tenantId: string;
  installationId: string;
  plugin: { name: string; version: string };
  /** The installation's configuration, valid against the manifest's `configSchema`. */
  config: Record<string, unknown>;
  /**
   * Short-lived JWT with the Hasura role `plugin`, limited to the requested permissions of
   * this installation. It reads nothing once the installation is disabled or uninstalled.
   */
  credential: { token: string; expiresAt: string };
  /** GraphQL endpoint to call with the credential, when the platform is configured with it. */
  graphqlUrl: string | null;
}

/** Body of one delivery: Hasura's event payload plus the `acci` context. */
export interface DeliveryPayload<TRow extends Row = Row> extends HasuraEventPayload<TRow> {
  acci: DeliveryContext;
}
