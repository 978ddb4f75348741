import { EngineError } from '../../errors.js';
import { isRecord } from '../../util/json.js';
import type { Action, QueryCollection, RestEndpoint } from '../types.js';
import { type Operation, parseFailed, requireString, success } from './context.js';
import { checkRestEndpoint } from './rest-endpoint-checks.js';

const createQueryCollection: Operation = async (context, args) => {
  const name = requireString(args, 'name');
  const collections = context.draft.query_collections ?? [];
  if (collections.some((item) => item.name === name)) {
    throw new EngineError('already-exists', `query collection with name "${name}" already exists`, {
      path: '$.args',
    });
  }
  const definition = isRecord(args.definition) ? args.definition : { queries: [] };
  collections.push({ name, definition } as QueryCollection);
  context.draft.query_collections = collections;
  context.changed = true;
  return success;
};

const dropQueryCollection: Operation = async (context, args) => {
  const name = requireString(args, 'collection');
  context.draft.query_collections = (context.draft.query_collections ?? []).filter(
    (item) => item.name !== name,
  );
  context.draft.allowlist = (context.draft.allowlist ?? []).filter(
    (item) => item.collection !== name,
  );
  context.changed = true;
  return success;
};

const addQueryToCollection: Operation = async (context, args) => {
  const name = requireString(args, 'collection_name');
  const collection = (context.draft.query_collections ?? []).find((item) => item.name === name);
  if (collection === undefined)
    throw new EngineError('not-exists', `query collection with name "${name}" does not exist`, {
      path: '$.args',
    });
  collection.definition.queries.push({
    name: requireString(args, 'query_name'),
    query: requireString(args, 'query'),
  });
  context.changed = true;
  return success;
};

const addCollectionToAllowlist: Operation = async (context, args) => {
  const collection = requireString(args, 'collection');
  const list = context.draft.allowlist ?? [];
  if (!list.some((item) => item.collection === collection)) {
    list.push({
      collection,
      scope: isRecord(args.scope) ? (args.scope as { global: boolean }) : { global: true },
    });
  }
  context.draft.allowlist = list;
  context.changed = true;
  return success;
};

const dropCollectionFromAllowlist: Operation = async (context, args) => {
  const collection = requireString(args, 'collection');
  context.draft.allowlist = (context.draft.allowlist ?? []).filter(
    (item) => item.collection !== collection,
  );
  context.changed = true;
  return success;
};

const createRestEndpoint: Operation = async (context, args) => {
  const name = requireString(args, 'name');
  const url = requireString(args, 'url');
  if (url === '') throw parseFailed('empty string not allowed', '$.args.url');
  const endpoints = context.draft.rest_endpoints ?? [];
  const endpoint = { ...args, name, url } as unknown as RestEndpoint;
  checkRestEndpoint(context.draft, endpoint);
  endpoints.push(endpoint);
  context.draft.rest_endpoints = endpoints;
  context.changed = true;
  return success;
};

const dropRestEndpoint: Operation = async (context, args) => {
  const name = requireString(args, 'name');
  context.draft.rest_endpoints = (context.draft.rest_endpoints ?? []).filter(
    (item) => item.name !== name,
  );
  context.changed = true;
  return success;
};

const setCustomTypes: Operation = async (context, args) => {
  context.draft.custom_types = args;
  context.changed = true;
  return success;
};

const createAction: Operation = async (context, args) => {
  const name = requireString(args, 'name');
  const actions = context.draft.actions ?? [];
  if (actions.some((item) => item.name === name)) {
    throw new EngineError('already-exists', `action with name "${name}" already exists`, {
      path: '$.args',
    });
  }
  actions.push({
    name,
    definition: args.definition,
    permissions: [],
    ...(typeof args.comment === 'string' ? { comment: args.comment } : {}),
  } as Action);
  context.draft.actions = actions;
  context.changed = true;
  return success;
};

const updateAction: Operation = async (context, args) => {
  const name = requireString(args, 'name');
  const action = (context.draft.actions ?? []).find((item) => item.name === name);
  if (action === undefined)
    throw new EngineError('not-exists', `action with name "${name}" does not exist`, {
      path: '$.args',
    });
  action.definition = args.definition as Action['definition'];
  context.changed = true;
  return success;
};

const dropAction: Operation = async (context, args) => {
  const name = requireString(args, 'name');
  context.draft.actions = (context.draft.actions ?? []).filter((item) => item.name !== name);
  context.changed = true;
  return success;
};

const createActionPermission: Operation = async (context, args) => {
  const name = requireString(args, 'action');
  const action = (context.draft.actions ?? []).find((item) => item.name === name);
  if (action === undefined)
    throw new EngineError('not-exists', `action with name "${name}" does not exist`, {
      path: '$.args',
    });
  action.permissions = [...(action.permissions ?? []), { role: requireString(args, 'role') }];
  context.changed = true;
  return success;
};

const dropActionPermission: Operation = async (context, args) => {
  const name = requireString(args, 'action');
  const action = (context.draft.actions ?? []).find((item) => item.name === name);
  if (action !== undefined)
    action.permissions = (action.permissions ?? []).filter((item) => item.role !== args.role);
  context.changed = true;
  return success;
};

export const collectionOperations: Record<string, Operation> = {
  create_query_collection: createQueryCollection,
  drop_query_collection: dropQueryCollection,
  add_query_to_collection: addQueryToCollection,
  add_collection_to_allowlist: addCollectionToAllowlist,
  drop_collection_from_allowlist: dropCollectionFromAllowlist,
  create_rest_endpoint: createRestEndpoint,
  drop_rest_endpoint: dropRestEndpoint,
  set_custom_types: setCustomTypes,
  create_action: createAction,
  update_action: updateAction,
  drop_action: dropAction,
  create_action_permission: createActionPermission,
  drop_action_permission: dropActionPermission,
};
