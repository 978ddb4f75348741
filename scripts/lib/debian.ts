import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';

/**
 * Makes sure an executable exists, installing its Debian package when it is missing and the
 * process runs as root on a system with apt-get. Anywhere else a missing program is an error
 * that names the package to install.
 */
export function ensureProgram(path: string, debianPackages: string[]): void {
  if (existsSync(path)) return;

  const canInstall = userInfo().uid === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    throw new Error(
      `"${path}" is missing. Install the Debian package(s) ${debianPackages.join(', ')} ` +
        `(apt-get install ${debianPackages.join(' ')}) or set the matching *_URL variable.`,
    );
  }

  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...debianPackages], {
    stdio: 'ignore',
    env,
  });
  if (!existsSync(path)) {
    throw new Error(`Installing ${debianPackages.join(', ')} did not provide "${path}".`);
  }
}
