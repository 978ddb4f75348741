import type { Action, Metadata } from '../../engine/src/metadata/types.js';
import { type AttackCase, tenantRoles } from './cases.js';
import { tenants } from './platform.js';

/** Sample argument values for action attacks: every id names a row of tenant B. */
function actionArgument(name: string, type: string, victimIds: Map<string, string>): string {
  const base = type.replace(/[![\]]/g, '');
  if (/tenant/i.test(name) && base === 'uuid') return `"${tenants.b}"`;
  if (/tenant/i.test(name)) return '"acme.test"';
  if (/session/i.test(name)) return `"${victimIds.get('sessions') ?? tenants.b}"`;
  if (/user/i.test(name) && base === 'uuid') return `"${victimIds.get('users') ?? tenants.b}"`;
  if (name === 'email' || /email/i.test(name)) return '"carol@acme.test"';
  switch (base) {
    case 'uuid':
      return `"${victimIds.get('users') ?? tenants.b}"`;
    case 'Int':
      return '1';
    case 'Boolean':
      return 'false';
    case 'jsonb':
      return '{}';
    case 'timestamptz':
      return '"2099-01-01T00:00:00Z"';
    default:
      return '"planted"';
  }
}

/** Generates one attack per action and tenant role that may call it. */
export function actionCases(metadata: Metadata, victimIds: Map<string, string>): AttackCase[] {
  const cases: AttackCase[] = [];
  for (const action of metadata.actions ?? []) {
    for (const role of tenantRoles) {
      if (action.permissions?.some((item) => item.role === role) !== true) continue;
      cases.push(actionCase(metadata, action, role, victimIds));
    }
  }
  return cases;
}

/** Scalar fields of the action's output type, which a leak would show up in. */
function outputSelection(metadata: Metadata, action: Action): string {
  const objects = metadata.custom_types?.objects ?? [];
  const output = (action.definition.output_type ?? '').replace(/[![\]]/g, '');
  const type = objects.find((item) => item.name === output);
  if (type === undefined) return '';
  const objectNames = new Set(objects.map((item) => item.name));
  const scalars = type.fields
    .filter((field) => !objectNames.has(field.type.replace(/[![\]]/g, '')))
    .map((field) => field.name);
  return ` { __typename ${scalars.join(' ')} }`;
}

function actionCase(
  metadata: Metadata,
  action: Action,
  role: string,
  victimIds: Map<string, string>,
): AttackCase {
  const args = (action.definition.arguments ?? [])
    .map(
      (argument) => `${argument.name}: ${actionArgument(argument.name, argument.type, victimIds)}`,
    )
    .join(', ');
  const keyword = action.definition.type === 'query' ? 'query' : 'mutation';
  return {
    name: `${role} call ${action.name} against tenant B`,
    role,
    document: `${keyword} { ${action.name}${args === '' ? '' : `(${args})`}${outputSelection(metadata, action)} }`,
    field: action.name,
    outcome: 'no-leak',
    mustSucceed: false,
  };
}
