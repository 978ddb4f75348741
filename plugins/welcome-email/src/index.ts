import {
  createPluginServer,
  type HookHandler,
  type PluginServer,
  type UserRow,
} from '@acci/plugin-sdk';
import nodemailer, { type Transporter } from 'nodemailer';

/** Settings of the configSchema in acci-plugin.json, with its defaults filled in. */
interface WelcomeConfig {
  from: string;
  subject: string;
  signature: string;
}

/** Delivery ids already mailed; retries and replays of the same delivery mail once. */
class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly limit: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size <= this.limit) return;
    const oldest = this.ids.values().next().value;
    if (oldest !== undefined) this.ids.delete(oldest);
  }
}

/** Plain-text body of the welcome mail. */
export function welcomeText(user: UserRow, config: WelcomeConfig): string {
  const name = [user.first_name, user.last_name].filter((part) => part !== '').join(' ');
  return [
    `Hello ${name === '' ? user.email : name},`,
    '',
    `your account ${user.email} is ready. Sign in with this address.`,
    '',
    config.signature,
  ].join('\n');
}

/**
 * Mails new active users. Invited users (status pending) are skipped, because their
 * invitation mail already greets them. A delivery id seen before is acknowledged without a
 * second mail. The ids live in memory, so after a restart a replay mails again.
 */
export function welcomeHandler(transport: Transporter): HookHandler<UserRow> {
  const mailed = new RecentIds(10_000);
  return async (event, context) => {
    const user = event.new;
    if (user === null || user.status !== 'active') return;
    if (mailed.has(event.deliveryId)) return;

    const config = context.config as unknown as WelcomeConfig;
    await transport.sendMail({
      from: config.from,
      to: user.email,
      subject: config.subject,
      text: welcomeText(user, config),
    });
    mailed.add(event.deliveryId);
  };
}

export interface WelcomeEmailOptions {
  secret: string | ((installationId: string) => string | undefined);
  /** SMTP server, for example smtp://127.0.0.1:2525 or smtps://user:pass@mail.example.com. */
  smtpUrl: string;
  host?: string;
  port?: number;
}

/** Starts the welcome-email plugin server; closing it closes the SMTP transport too. */
export async function startWelcomeEmail(options: WelcomeEmailOptions): Promise<PluginServer> {
  const transport = nodemailer.createTransport(options.smtpUrl);
  const server = await createPluginServer({
    secret: options.secret,
    host: options.host,
    port: options.port,
    hooks: { 'users.insert': welcomeHandler(transport) },
  });
  return {
    ...server,
    close: async () => {
      await server.close();
      transport.close();
    },
  };
}
