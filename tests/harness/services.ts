/**
 * Names of the environment variables through which the global setup hands the service
 * addresses to the test files. Each is a connection string to a server that runs for the
 * whole test run.
 */
export const serviceEnv = {
  /** Superuser connection to the test cluster's `postgres` database. */
  postgres: 'ACCI_TEST_POSTGRES_URL',
  redis: 'ACCI_TEST_REDIS_URL',
  ldap: 'ACCI_TEST_LDAP_URL',
  /** Id of this test run, part of the template database names. */
  runId: 'ACCI_TEST_RUN_ID',
} as const;

/** Returns the address that the global setup published, or fails naming what is missing. */
export function serviceUrl(service: keyof typeof serviceEnv): string {
  const value = process.env[serviceEnv[service]];
  if (value === undefined || value === '') {
    throw new Error(
      `${serviceEnv[service]} is not set: run the tests through "npm test", whose global setup ` +
        `starts ${service} (or reads it from the matching *_URL variable).`,
    );
  }
  return value;
}
