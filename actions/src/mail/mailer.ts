import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { MailContent } from './templates.js';

/** A mail to one recipient. `kind` names the template, for the log. */
export interface OutgoingMail extends MailContent {
  to: string;
  kind: string;
}

export interface Mailer {
  /**
   * Sends `mail` in the background and returns at once, so a request that mails costs the
   * same time as one that does not. Failures are logged with the template name, never with
   * the recipient or the body, which carries a token.
   */
  send(mail: OutgoingMail, ids: { tenantId: string; userId: string }): void;
  /** Waits for the mails still being sent, then closes the SMTP connections. */
  close(): Promise<void>;
}

/**
 * Creates the mailer for `smtpUrl`. Without one, each mail is logged as not sent, which
 * suits local runs where nobody reads the mail.
 */
export function createMailer(smtpUrl: string | undefined, from: string, logger: Logger): Mailer {
  const transport = smtpUrl === undefined ? undefined : nodemailer.createTransport(smtpUrl);
  const pending = new Set<Promise<void>>();

  return {
    send(mail, ids) {
      if (transport === undefined) {
        logger.warn({ kind: mail.kind, ...ids }, 'mail not sent because SMTP_URL is not set');
        return;
      }
      const sending = transport
        .sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html })
        .then(
          () => logger.info({ kind: mail.kind, ...ids }, 'mail sent'),
          (error: Error) =>
            logger.error(
              { kind: mail.kind, ...ids, err: { message: error.message } },
              'mail failed',
            ),
        )
        .finally(() => pending.delete(sending));
      pending.add(sending);
    },
    async close() {
      await Promise.allSettled([...pending]);
      transport?.close();
    },
  };
}
