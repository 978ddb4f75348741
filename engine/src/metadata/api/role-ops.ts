import { EngineError } from '../../errors.js';
import { type Operation, parseFailed, requireString, success } from './context.js';

const addInheritedRole: Operation = async (context, args) => {
  const name = requireString(args, 'role_name');
  const roleSet = args.role_set;
  if (!Array.isArray(roleSet) || !roleSet.every((role) => typeof role === 'string')) {
    throw parseFailed('"role_set" must be a list of role names');
  }
  const roles = context.draft.inherited_roles ?? [];
  if (roles.some((item) => item.role_name === name)) {
    throw new EngineError('already-exists', `the inherited role "${name}" already exists`, {
      path: '$.args',
    });
  }
  roles.push({ role_name: name, role_set: roleSet });
  context.draft.inherited_roles = roles;
  context.changed = true;
  return success;
};

const dropInheritedRole: Operation = async (context, args) => {
  const name = requireString(args, 'role_name');
  const roles = context.draft.inherited_roles ?? [];
  if (!roles.some((item) => item.role_name === name)) {
    throw new EngineError('not-exists', `the inherited role "${name}" does not exist`, {
      path: '$.args',
    });
  }
  context.draft.inherited_roles = roles.filter((item) => item.role_name !== name);
  context.changed = true;
  return success;
};

export const roleOperations: Record<string, Operation> = {
  add_inherited_role: addInheritedRole,
  drop_inherited_role: dropInheritedRole,
};
