import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on 127.0.0.1 that keeps every message it receives. */
export interface TestSmtpServer {
  /** smtp:// URL for SMTP_URL. */
  url: string;
  messages: ParsedMail[];
  /** Waits up to `timeoutMs` for a message to `to` and returns the newest such message. */
  waitForMail(to: string, timeoutMs?: number): Promise<ParsedMail>;
  /** Messages to `to` received so far. */
  mailTo(to: string): ParsedMail[];
  close(): Promise<void>;
}

function recipients(mail: ParsedMail): string[] {
  const list = Array.isArray(mail.to) ? mail.to : mail.to === undefined ? [] : [mail.to];
  return list.flatMap((group) => group.value.map((entry) => (entry.address ?? '').toLowerCase()));
}

/** Starts the server on a free port; it accepts mail without authentication or TLS. */
export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  const mailTo = (to: string) =>
    messages.filter((mail) => recipients(mail).includes(to.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    mailTo,
    async waitForMail(to, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = mailTo(to).at(-1);
        if (found !== undefined) return found;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`No mail to ${to} arrived within ${timeoutMs} ms.`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Reads the token from the `#token=` fragment of the first link in a mail's text. */
export function tokenFromMail(mail: ParsedMail): string {
  const match = /#token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '');
  if (match?.[1] === undefined)
    throw new Error(`The mail "${mail.subject}" carries no token link.`);
  return match[1];
}
