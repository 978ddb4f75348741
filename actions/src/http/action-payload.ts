import { z } from 'zod';
import { ActionError } from '../errors.js';

/** The envelope Hasura v2 posts to an action handler. */
const payloadSchema = z.object({
  action: z.object({ name: z.string() }),
  input: z.unknown(),
  session_variables: z.record(z.string(), z.string()).optional(),
  request_query: z.string().optional(),
});

export interface ActionPayload<Input> {
  input: Input;
  /** Session variables of the caller, such as `x-hasura-role`; lower-case names. */
  sessionVariables: Record<string, string>;
}

/**
 * Validates a Hasura action payload for `actionName` and its `input` against `inputSchema`.
 * Throws `validation-failed` naming every invalid field, but never echoes a field's value.
 */
export function parseActionPayload<Schema extends z.ZodType>(
  body: unknown,
  actionName: string,
  inputSchema: Schema,
): ActionPayload<z.output<Schema>> {
  const payload = payloadSchema.safeParse(body);
  if (!payload.success) {
    throw new ActionError(
      'validation-failed',
      'The request body must be a Hasura action payload: a JSON object with "action" and "input".',
    );
  }

  if (payload.data.action.name !== actionName) {
    throw new ActionError(
      'validation-failed',
      `This endpoint handles the "${actionName}" action, not "${payload.data.action.name}".`,
    );
  }

  const input = inputSchema.safeParse(payload.data.input);
  if (!input.success) {
    const problems = input.error.issues.map((issue) => {
      const path = ['input', ...issue.path.map(String)].join('.');
      return `"${path}" ${issue.message}`;
    });
    throw new ActionError(
      'validation-failed',
      `Invalid "${actionName}" input: ${problems.join(', ')}.`,
    );
  }
  return {
    input: input.data,
    sessionVariables: Object.fromEntries(
      Object.entries(payload.data.session_variables ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
    ),
  };
}

/**
 * A string field of an action input with messages that fit after the field's name, for
 * example `"input.email" must contain at most 320 characters`. PostgreSQL text cannot hold
 * the NUL character, so it is rejected here rather than failing later as a database error.
 */
export function textField(min: number, max: number) {
  return z
    .string({ error: 'must be a string' })
    .min(min, `must contain at least ${min} character${min === 1 ? '' : 's'}`)
    .max(max, `must contain at most ${max} characters`)
    .refine((value) => !value.includes('\u0000'), 'must not contain the NUL character (U+0000)');
}
