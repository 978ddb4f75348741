import { type ChildProcess, spawn } from 'node:child_process';
import { ensureProgram } from './debian.js';
import { waitForPort } from './ports.js';

export interface RedisHandle {
  url: string;
  stop(): Promise<void>;
}

/** Starts a throwaway redis-server on 127.0.0.1 that keeps nothing on disk. */
export async function startRedis(port: number): Promise<RedisHandle> {
  const binary = '/usr/bin/redis-server';
  ensureProgram(binary, ['redis-server']);
  const child: ChildProcess = spawn(
    binary,
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await waitForPort('127.0.0.1', port, 10_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => stopChild(child),
  };
}

/** Sends SIGTERM and resolves when the child has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
