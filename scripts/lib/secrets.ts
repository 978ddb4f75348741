import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Secrets `npm start` generates once and keeps in the data folder, readable by its owner only. */
export interface PlatformSecrets {
  postgresPassword: string;
  adminSecret: string;
  actionSecret: string;
  jwtPrivateKey: string;
  demoPassword: string;
  /** Value for ACCI_ENCRYPTION_KEYS: one AES-256 key as `id:base64key`. */
  encryptionKeys: string;
}

/**
 * Reads `secrets.json` from the data folder, adding any secret it lacks. A secret missing from
 * the file is made by `create`, so a second start reuses the first start's values.
 */
export async function loadOrCreateSecrets(
  dataDir: string,
  create: { jwtPrivateKey: () => Promise<string> },
): Promise<PlatformSecrets> {
  const file = join(dataDir, 'secrets.json');
  const stored = await readStored(file);
  const secrets: PlatformSecrets = {
    postgresPassword: stored.postgresPassword ?? randomSecret(18),
    adminSecret: stored.adminSecret ?? randomSecret(24),
    actionSecret: stored.actionSecret ?? randomSecret(32),
    jwtPrivateKey: stored.jwtPrivateKey ?? (await create.jwtPrivateKey()),
    demoPassword: stored.demoPassword ?? readablePassword(),
    encryptionKeys: stored.encryptionKeys ?? `k1:${randomBytes(32).toString('base64')}`,
  };
  const changed = (Object.keys(secrets) as Array<keyof PlatformSecrets>).some(
    (key) => stored[key] !== secrets[key],
  );
  if (changed) await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

async function readStored(file: string): Promise<Partial<PlatformSecrets>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return {};
  }
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`"${file}" does not hold a JSON object. Delete it to generate new secrets.`);
  }
  const entries = Object.entries(parsed).filter(([, value]) => typeof value === 'string');
  return Object.fromEntries(entries) as Partial<PlatformSecrets>;
}

function randomSecret(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** A generated demo password that is easy to type: four groups of letters and digits. */
function readablePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(16);
  const characters = [...bytes].map((byte) => alphabet[byte % alphabet.length]);
  const groups = [0, 4, 8, 12].map((start) => characters.slice(start, start + 4).join(''));
  return groups.join('-');
}
