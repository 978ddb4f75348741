import { defineConfig } from 'vite';

const defaultPort = 5173;

/** Reads the port of the dev and preview servers from ACCI_WEB_PORT, or returns 5173 when unset. */
function webPort(value: string | undefined): number {
  if (value === undefined || value === '') return defaultPort;

  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new TypeError(`ACCI_WEB_PORT must be a port number from 1 to 65535, got "${value}".`);
  }

  return port;
}

const server = {
  host: '127.0.0.1',
  port: webPort(process.env.ACCI_WEB_PORT),
  // Exit when the port is taken instead of moving to the next free one.
  strictPort: true,
};

export default defineConfig({
  server,
  preview: server,
});
