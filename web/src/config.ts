/** Settings of the console, read once at start-up from the Vite environment. */
export interface ConsoleConfig {
  /** Absolute URL of the GraphQL endpoint, served by Hasura or the ACCI engine. */
  graphqlUrl: string;
}

export const defaultGraphqlUrl = 'http://localhost:8080/v1/graphql';

/**
 * Reads the console settings from `import.meta.env`, or from any object with the same keys.
 * Throws a `TypeError` when `VITE_GRAPHQL_URL` is set but is not an absolute http(s) URL.
 */
export function readConfig(env: { readonly VITE_GRAPHQL_URL?: string | undefined }): ConsoleConfig {
  const value = env.VITE_GRAPHQL_URL?.trim();
  if (value === undefined || value === '') return { graphqlUrl: defaultGraphqlUrl };

  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new TypeError(
      `VITE_GRAPHQL_URL must be an absolute http or https URL such as "${defaultGraphqlUrl}", ` +
        `got "${value}".`,
    );
  }

  return { graphqlUrl: value };
}
