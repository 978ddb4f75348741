import { startWelcomeEmail } from './index.js';

// Runs the welcome-email plugin: ACCI_PLUGIN_SECRET is the signing secret that installPlugin
// returned, SMTP_URL the mail server, PORT and HOST where to listen.
const secret = process.env.ACCI_PLUGIN_SECRET;
const smtpUrl = process.env.SMTP_URL;
if (secret === undefined || secret === '' || smtpUrl === undefined || smtpUrl === '') {
  console.error(
    'Missing ACCI_PLUGIN_SECRET or SMTP_URL: set the signing secret and the mail server.',
  );
  process.exit(1);
}
const server = await startWelcomeEmail({
  secret,
  smtpUrl,
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 4102),
});
console.log(`welcome-email plugin listening on ${server.url}`);
process.once('SIGTERM', () => void server.close());
process.once('SIGINT', () => void server.close());
