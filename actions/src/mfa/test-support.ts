import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateEncryptionKey } from '../crypto/secret-box.js';

/** ACCI_ENCRYPTION_KEYS of the MFA and directory tests. */
export const testEncryptionKeys = generateEncryptionKey('test1');

/** A message that the SMS receiver got, with the code parsed out of its text. */
export interface ReceivedSms {
  to: string;
  text: string;
  code: string;
  headers: IncomingHttpHeaders;
}

/** An HTTP SMS gateway on 127.0.0.1 that records each POST and answers `status`. */
export interface SmsReceiver {
  url: string;
  messages: ReceivedSms[];
  /** Status of the next responses, 202 unless a test changes it. */
  status: number;
  close(): Promise<void>;
}

/** Starts the SMS receiver on a free port of 127.0.0.1. */
export async function startSmsReceiver(): Promise<SmsReceiver> {
  const receiver: Partial<SmsReceiver> & { messages: ReceivedSms[]; status: number } = {
    messages: [],
    status: 202,
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        to: string;
        text: string;
      };
      const code = /\b(\d{6})\b/.exec(body.text)?.[1] ?? '';
      receiver.messages.push({ to: body.to, text: body.text, code, headers: request.headers });
      response.statusCode = receiver.status;
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}/sms`;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver as SmsReceiver;
}

const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Decodes RFC 4648 base32 without padding, as an authenticator app reads the secret. */
export function base32Decode(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const character of text) {
    value = (value << 5) | base32Alphabet.indexOf(character);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}
