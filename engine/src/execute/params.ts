import type { ParamSource } from '../compile/sql.js';
import { EngineError } from '../errors.js';
import type { Session } from './session.js';

function encode(value: unknown, encoding: 'scalar' | 'json' | 'array'): unknown {
  if (value === undefined || value === null) return null;
  if (encoding === 'json') return JSON.stringify(value);
  if (encoding === 'array') return value;
  return typeof value === 'object' ? JSON.stringify(value) : value;
}

/** Resolves the parameter values of a compiled statement for one request. */
export function resolveParams(
  params: readonly ParamSource[],
  session: Session,
  variables: Record<string, unknown>,
): unknown[] {
  return params.map((param): unknown => {
    if (param.kind === 'value') return param.value;
    if (param.kind === 'variable') return encode(variables[param.name], param.encoding);
    const value = session.variables[param.name];
    if (value === undefined) {
      throw new EngineError('not-found', `missing session variable: "${param.name}"`, {
        status: 200,
      });
    }
    return value;
  });
}
