import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

const root = resolve(import.meta.dirname, '../..');
const composeText = readFileSync(resolve(root, 'docker-compose.yml'), 'utf8');
const envExample = readFileSync(resolve(root, '.env.example'), 'utf8');

interface ComposeFile {
  services: Record<string, { image?: string; build?: unknown; healthcheck?: unknown }>;
}

describe('docker-compose.yml', () => {
  const compose = parse(composeText) as ComposeFile;

  it('parses and defines the platform services', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgres', 'redis', 'actions', 'hasura', 'console', 'openldap']),
    );
  });

  it('runs Hasura v2.48 with the cli-migrations entrypoint', () => {
    expect(compose.services.hasura?.image).toMatch(
      /^hasura\/graphql-engine:v2\.48\.\d+\.cli-migrations-v3$/,
    );
  });

  it('gives every long-running service a health check', () => {
    for (const name of ['postgres', 'redis', 'hasura', 'console', 'openldap']) {
      expect({ name, healthcheck: compose.services[name]?.healthcheck }).toEqual({
        name,
        healthcheck: expect.anything(),
      });
    }
  });

  it('uses only variables documented in .env.example', () => {
    const used = new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+)/g)].map((match) => match[1]));
    const documented = new Set([...envExample.matchAll(/^#? ?([A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const missing = [...used].filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });
});
