import type pg from 'pg';
import { type Invocation, type Outcome, recordAttempts } from './fetch.js';

interface Pending {
  invocation: Invocation;
  outcome: Outcome;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Groups the attempts of concurrent deliveries into shared transactions. An attempt that
 * arrives while a write runs waits for the next one, so under load one transaction records many
 * attempts and at low load each is written at once. An event stays locked until its attempt
 * is written, so an engine that dies before the write leaves it to be delivered again.
 */
export class AttemptRecorder {
  private pending: Pending[] = [];
  private writing = false;

  constructor(private readonly pool: pg.Pool) {}

  record(invocation: Invocation, outcome: Outcome): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ invocation, outcome, resolve, reject });
      if (!this.writing) void this.write();
    });
  }

  private async write(): Promise<void> {
    this.writing = true;
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await recordAttempts(this.pool, batch);
        for (const item of batch) item.resolve();
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    this.writing = false;
  }
}
