import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManifestError, readManifest, resolveWebhookUrl, validateManifest } from './manifest.js';

const valid = {
  name: 'sample-plugin',
  version: '1.2.3',
  description: 'Does a sample thing.',
  webhook: '{{SAMPLE_URL}}/hooks',
  hooks: ['users.insert', 'users.update'],
  requestedPermissions: [{ resource: 'users', actions: ['read'] }],
  configSchema: { type: 'object' },
  dependencies: { 'audit-log': '^1.0.0' },
};

function problemsOf(changes: Record<string, unknown>): string[] {
  const result = validateManifest({ ...valid, ...changes });
  if (result.ok) throw new Error('the manifest was accepted');
  return result.problems;
}

describe('validateManifest', () => {
  it('accepts a complete manifest', () => {
    const result = validateManifest(valid);
    expect(result.ok).toBe(true);
  });

  it('fills defaults for optional fields', () => {
    const { dependencies: _d, configSchema: _c, ...rest } = valid;
    const result = validateManifest(rest);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.manifest.dependencies).toEqual({});
    expect(result.manifest.configSchema).toEqual({ type: 'object', additionalProperties: false });
  });

  it('names an unknown event by its index', () => {
    const [problem] = problemsOf({ hooks: ['users.insert', 'users.update', 'userz.insert'] });
    expect(problem).toMatch(/^hooks\[2\]: "userz.insert" is not a known event\. Known events: /);
    expect(problem).toContain('users.insert');
  });

  it('rejects a hook without read permission on its table', () => {
    const [problem] = problemsOf({ hooks: ['roles.insert'] });
    expect(problem).toBe(
      'hooks[0]: "roles.insert" needs the "read" permission on "roles". ' +
        'Add {"resource": "roles", "actions": ["read"]} to requestedPermissions',
    );
  });

  it('rejects a repeated hook', () => {
    expect(problemsOf({ hooks: ['users.insert', 'users.insert'] })).toEqual([
      'hooks[1]: repeats "users.insert"',
    ]);
  });

  it('rejects an invalid version', () => {
    expect(problemsOf({ version: '1.2' })).toEqual([
      'version: "1.2" is not a semantic version such as 1.0.0',
    ]);
  });

  it('rejects an unknown resource and an ungrantable action', () => {
    const problems = problemsOf({
      requestedPermissions: [
        { resource: 'users', actions: ['read', 'create'] },
        { resource: 'sessions', actions: ['read'] },
      ],
    });
    expect(problems).toContain(
      'requestedPermissions[0].actions[1]: "create" is not grantable on "users". Grantable: read',
    );
    expect(problems.some((line) => line.startsWith('requestedPermissions[1].resource: '))).toBe(
      true,
    );
  });

  it('rejects a bad dependency range and a self-dependency', () => {
    expect(problemsOf({ dependencies: { 'audit-log': 'latest!' } })).toEqual([
      'dependencies.audit-log: "latest!" is not a semver range such as ^1.2.0',
    ]);
    expect(problemsOf({ dependencies: { 'sample-plugin': '*' } })).toEqual([
      'dependencies.sample-plugin: a plugin cannot depend on itself',
    ]);
  });

  it('rejects a webhook that is no URL and an unknown field', () => {
    expect(problemsOf({ webhook: 'ftp://example.test' })[0]).toMatch(/^webhook: must be an http/);
    expect(problemsOf({ extra: true })).toEqual(['(manifest): unknown field "extra"']);
  });
});

describe('readManifest', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'acci-manifest-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('names the file and every problem', async () => {
    const file = join(folder, 'acci-plugin.json');
    await writeFile(file, JSON.stringify({ ...valid, name: 'Bad Name', hooks: [] }));
    const error = await readManifest(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).message).toContain(file);
    expect((error as ManifestError).problems).toHaveLength(2);
  });

  it('reports invalid JSON', async () => {
    const file = join(folder, 'broken.json');
    await writeFile(file, '{"name": ');
    await expect(readManifest(file)).rejects.toThrow(/not valid JSON/);
  });
});

describe('resolveWebhookUrl', () => {
  it('fills placeholders from the environment', () => {
    expect(
      resolveWebhookUrl('{{SAMPLE_URL}}/hooks', { SAMPLE_URL: 'http://127.0.0.1:4000/' }),
    ).toBe('http://127.0.0.1:4000/hooks');
  });

  it('names an unset variable', () => {
    expect(() => resolveWebhookUrl('{{SAMPLE_URL}}/hooks', {})).toThrow(
      'The webhook "{{SAMPLE_URL}}/hooks" needs the environment variable SAMPLE_URL. Set it.',
    );
  });
});
