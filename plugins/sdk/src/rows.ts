import type { CoreTable, HookName, Row } from './events.js';

// Column values as Hasura puts them into event payloads: timestamps are ISO 8601 strings.
// Secret columns (users.password_hash and every *_encrypted column) never reach plugins.

export interface TenantRow extends Row {
  id: string;
  name: string;
  domain: string;
  status: 'active' | 'suspended' | 'trial' | 'archived';
  plan: string;
  is_platform: boolean;
  configuration: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface TenantFeatureRow extends Row {
  id: string;
  tenant_id: string;
  name: string;
  enabled: boolean;
  config: Record<string, unknown>;
}

export interface UserRow extends Row {
  id: string;
  tenant_id: string;
  email: string;
  first_name: string;
  last_name: string;
  preferred_language: string;
  status: 'active' | 'inactive' | 'locked' | 'pending';
  source: 'local' | 'directory';
  created_at: string;
  updated_at: string;
}

export interface RoleRow extends Row {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  is_system: boolean;
}

export interface UserRoleRow extends Row {
  id: string;
  tenant_id: string;
  user_id: string;
  role_id: string;
  created_at: string;
}

export interface RolePermissionRow extends Row {
  id: string;
  tenant_id: string;
  role_id: string;
  permission_id: string;
}

/** Row type of each core table. */
export interface RowOfTable {
  tenants: TenantRow;
  tenant_features: TenantFeatureRow;
  users: UserRow;
  roles: RoleRow;
  user_roles: UserRoleRow;
  role_permissions: RolePermissionRow;
}

/** Row type of the table a hook name starts with. */
export type RowOfHook<H extends HookName> = H extends `${infer T extends CoreTable}.${string}`
  ? RowOfTable[T]
  : Row;
