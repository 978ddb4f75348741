import { generateSigningSecret } from '@acci/plugin-sdk';
import { createSecretBox, type EncryptionKey, type SecretBox } from '../crypto/secret-box.js';
import { ActionError } from '../errors.js';

/** Encrypts and decrypts installation signing secrets with the key ring of ACCI_ENCRYPTION_KEYS. */
export interface InstallationSecrets {
  /** Generates a secret for `installationId` and returns it with its ciphertext. */
  create(installationId: string): { secret: string; encrypted: Buffer };
  reveal(installationId: string, encrypted: Buffer): string;
}

/** Binds a ciphertext to its row, so one copied to another installation fails to decrypt. */
function contextOf(installationId: string): string {
  return `plugin_installations.secret:${installationId}`;
}

/**
 * Builds the installation secrets of a key ring. Without keys, `create` and `reveal` throw
 * `plugin-secrets-unavailable`, because no secret may be stored in plain text.
 */
export function createInstallationSecrets(keys: readonly EncryptionKey[]): InstallationSecrets {
  const box: SecretBox | undefined = keys.length === 0 ? undefined : createSecretBox(keys);
  const requireBox = (): SecretBox => {
    if (box !== undefined) return box;
    throw new ActionError(
      'plugin-secrets-unavailable',
      'Plugins need ACCI_ENCRYPTION_KEYS to store their signing secrets. Set it on the action server.',
    );
  };
  return {
    create(installationId) {
      const secret = generateSigningSecret();
      return { secret, encrypted: requireBox().encrypt(secret, contextOf(installationId)) };
    },
    reveal(installationId, encrypted) {
      return requireBox().decrypt(encrypted, contextOf(installationId)).toString('utf8');
    },
  };
}
