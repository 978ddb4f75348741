/**
 * Columns that hold secrets or their hashes: passwords, tokens, keys, MFA secrets and anything
 * stored encrypted. No Hasura role may select them and `exportTenant` leaves them out.
 */
const secretColumnPatterns = [
  /^password_hash$/,
  /(^|_)token_hash$/,
  /(^|_)secret_hash$/,
  /_encrypted$/,
  /(^|_)(mfa|totp)_?secret$/,
  /^secret$/,
  /(^|_)code_hash$/,
];

export function isSecretColumn(name: string): boolean {
  return secretColumnPatterns.some((pattern) => pattern.test(name));
}
