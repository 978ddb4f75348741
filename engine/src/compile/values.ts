import { Kind, type ValueNode } from 'graphql';

/** A GraphQL variable met inside an argument, kept apart so it can become a parameter. */
export class VariableRef {
  constructor(
    readonly name: string,
    readonly value: unknown,
  ) {}
}

/** An argument value: plain JSON, with variables marked where they occur. */
export type InputValue = unknown;

/**
 * Reads a number literal. Literals a double cannot hold exactly, such as large bigints,
 * stay text so Postgres parses them without loss.
 */
function numberLiteral(text: string): number | string {
  const value = Number(text);
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) return text;
  return value;
}

/** Converts an argument's AST to JSON, leaving a `VariableRef` for each variable. */
export function readValue(node: ValueNode, variables: Record<string, unknown>): InputValue {
  switch (node.kind) {
    case Kind.VARIABLE:
      return new VariableRef(node.name.value, variables[node.name.value]);
    case Kind.NULL:
      return null;
    case Kind.INT:
    case Kind.FLOAT:
      return numberLiteral(node.value);
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.ENUM:
      return node.value;
    case Kind.LIST:
      return node.values.map((value) => readValue(value, variables));
    case Kind.OBJECT:
      return Object.fromEntries(
        node.fields.map((field) => [field.name.value, readValue(field.value, variables)]),
      );
  }
}

/**
 * Tracks which variables shape the SQL text. Their values then become part of the plan's
 * cache key; every other variable only fills parameters.
 */
export class VariableUse {
  readonly structural = new Set<string>();

  /** Unwraps a variable at the top of a value only, noting it as structural. */
  resolveShallow(value: InputValue): unknown {
    if (!(value instanceof VariableRef)) return value;
    this.structural.add(value.name);
    return value.value;
  }

  /** Returns the plain value, noting every variable inside it as structural. */
  resolve(value: InputValue): unknown {
    if (value instanceof VariableRef) {
      this.structural.add(value.name);
      return value.value;
    }
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, this.resolve(item)]),
      );
    }
    return value;
  }
}
