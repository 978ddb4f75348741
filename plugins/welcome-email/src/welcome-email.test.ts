import type { AddressInfo } from 'node:net';
import { generateSigningSecret, type PluginServer, sendSampleEvent } from '@acci/plugin-sdk';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { startWelcomeEmail } from './index.js';

const secret = generateSigningSecret();
const config = {
  from: 'hello@alpha.test',
  subject: 'Welcome to Alpha',
  signature: 'The Alpha team',
};
const mails: ParsedMail[] = [];
let smtp: SMTPServer;
let plugin: PluginServer;

function newUser(email: string, status = 'active') {
  return {
    id: crypto.randomUUID(),
    tenant_id: 't1',
    email,
    first_name: 'Ada',
    last_name: 'Lovelace',
    status,
  };
}

async function waitForMails(count: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (mails.length < count) {
    if (Date.now() > deadline) throw new Error(`Expected ${count} mails, got ${mails.length}.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  plugin = await startWelcomeEmail({ secret, smtpUrl: `smtp://127.0.0.1:${port}` });
});

afterAll(async () => {
  await plugin.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('welcome-email plugin', () => {
  it('mails a new active user with the configured sender and subject', async () => {
    const result = await sendSampleEvent(plugin.url, secret, 'users.insert', {
      new: newUser('ada@alpha.test'),
      acci: { config },
    });
    expect(result.status).toBe(200);
    await waitForMails(1);
    const mail = mails[0];
    expect(mail?.subject).toBe('Welcome to Alpha');
    expect(mail?.from?.text).toBe('hello@alpha.test');
    expect(mail?.text).toContain('Hello Ada Lovelace,');
    expect(mail?.text).toContain('The Alpha team');
    const to = Array.isArray(mail?.to) ? mail?.to[0] : mail?.to;
    expect(to?.text).toBe('ada@alpha.test');
  });

  it('mails once per delivery id', async () => {
    const sample = { new: newUser('bob@alpha.test'), acci: { config }, deliveryId: 'msg_repeat' };
    await sendSampleEvent(plugin.url, secret, 'users.insert', sample);
    const again = await sendSampleEvent(plugin.url, secret, 'users.insert', sample);
    expect(again.status).toBe(200);
    await waitForMails(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mails.filter((mail) => mail.subject === 'Welcome to Alpha')).toHaveLength(2);
  });

  it('skips invited users', async () => {
    const before = mails.length;
    const result = await sendSampleEvent(plugin.url, secret, 'users.insert', {
      new: newUser('invited@alpha.test', 'pending'),
      acci: { config },
    });
    expect(result.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mails).toHaveLength(before);
  });

  it('rejects a delivery signed with another secret', async () => {
    const result = await sendSampleEvent(plugin.url, generateSigningSecret(), 'users.insert', {
      new: newUser('eve@alpha.test'),
      acci: { config },
    });
    expect(result.status).toBe(401);
  });
});
