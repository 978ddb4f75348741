import type { GraphQLNamedType, GraphQLScalarType } from 'graphql';
import type { Catalog } from './model.js';
import { scalarRegistry } from './scalars.js';

/** State shared by the type builders while one role's schema is built. */
export interface BuildContext {
  catalog: Catalog;
  role: string;
  /** Set when the request asked for backend-only permissions with the admin secret. */
  backendOnly: boolean;
  scalar: (name: string) => GraphQLScalarType;
  /** Returns the named type, creating it once per schema. */
  memo<T extends GraphQLNamedType>(name: string, make: () => T): T;
}

export function buildContext(catalog: Catalog, role: string, backendOnly = false): BuildContext {
  const types = new Map<string, GraphQLNamedType>();
  return {
    catalog,
    role,
    backendOnly,
    scalar: scalarRegistry(),
    memo<T extends GraphQLNamedType>(name: string, make: () => T): T {
      const found = types.get(name);
      if (found !== undefined) return found as T;
      const created = make();
      types.set(name, created);
      return created;
    },
  };
}
