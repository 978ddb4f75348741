import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/**
 * Validator of plugin configuration schemas. `useDefaults` fills the schema's defaults into
 * the configuration before it is stored, and strict mode rejects unknown keywords when the
 * catalog is registered rather than when a tenant configures the plugin.
 */
const ajv = new Ajv({ allErrors: true, strict: true, useDefaults: true });
addFormats(ajv);

const compiled = new Map<string, ValidateFunction>();

function validatorOf(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  return validate;
}

/** Throws an `Error` with ajv's reason when `schema` is no valid JSON Schema. */
export function checkConfigSchema(schema: Record<string, unknown>): void {
  validatorOf(schema);
}

/** Formats one ajv error as `config.<path> <message>`, naming the member at fault. */
function describe(error: ErrorObject): string {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (error.keyword === 'required') segments.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') {
    segments.push(String(error.params.additionalProperty));
    return `"${['config', ...segments].join('.')}" is not a known setting`;
  }
  const path = ['config', ...segments].join('.');
  return error.keyword === 'required'
    ? `"${path}" is required`
    : `"${path}" ${error.message ?? 'is invalid'}`;
}

/**
 * Validates `config` against a plugin's schema and returns a copy with the schema's defaults
 * filled in, or the list of problems, each naming the setting.
 */
export function validateConfig(
  schema: Record<string, unknown>,
  config: Record<string, unknown>,
): { ok: true; config: Record<string, unknown> } | { ok: false; problems: string[] } {
  const copy = structuredClone(config);
  const validate = validatorOf(schema);
  if (validate(copy)) return { ok: true, config: copy };
  return { ok: false, problems: (validate.errors ?? []).map(describe) };
}
