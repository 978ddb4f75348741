import { generateKeyPair as generateKeyPairCallback, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';

const generateKeyPair = promisify(generateKeyPairCallback);

/** The RS256 signing key of the access tokens and the public half that the JWKS publishes. */
export interface SigningKey {
  privateKey: KeyObject;
  /** RFC 7638 SHA-256 thumbprint of the public JWK, sent as `kid` in every token header. */
  kid: string;
  /** Public JWK with `kid`, `alg` and `use`, as served at /.well-known/jwks.json. */
  publicJwk: JWK;
}

/** Derives the key id and the public JWK of an RSA private key. */
export async function createSigningKey(privateKey: KeyObject): Promise<SigningKey> {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'rsa') {
    throw new TypeError('createSigningKey expects an RSA private key.');
  }
  const { kty, n, e } = await exportJWK(privateKey);
  if (kty === undefined || n === undefined || e === undefined) {
    throw new TypeError('The exported RSA key lacks one of "kty", "n" and "e".');
  }
  // The thumbprint covers only the required members of the public key (e, kty, n).
  const kid = await calculateJwkThumbprint({ kty, n, e }, 'sha256');
  return { privateKey, kid, publicJwk: { kty, n, e, kid, alg: 'RS256', use: 'sig' } };
}

/**
 * Generates a 2048-bit RSA private key as PEM PKCS#8, the form ACCI_JWT_PRIVATE_KEY expects.
 */
export async function generateSigningKey(): Promise<string> {
  const { privateKey } = await generateKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return privateKey;
}
