import { createServer } from 'node:net';

// Ports of the embedded runtime: defaults, overrides (options, PORT_* variables, flags), and a
// clear message when one is taken.

export const SERVICES = ['web', 'dynamodb', 's3', 'ses', 'sfn', 'webex'] as const;
export type Service = (typeof SERVICES)[number];

export const DEFAULT_PORTS: Record<Service, number> = {
  web: 3000,
  dynamodb: 8000,
  s3: 4568,
  ses: 8005,
  sfn: 8083,
  webex: 8090,
};
export const PORT_ENV: Record<Service, string> = {
  web: 'PORT_WEB',
  dynamodb: 'PORT_DYNAMODB',
  s3: 'PORT_S3',
  ses: 'PORT_SES',
  sfn: 'PORT_SFN',
  webex: 'PORT_WEBEX',
};
const LABEL: Record<Service, string> = {
  web: 'setup pages and ops view',
  dynamodb: 'DynamoDB (dynalite)',
  s3: 'S3 (s3rver)',
  ses: 'SES (aws-ses-v2-local)',
  sfn: 'Step Functions',
  webex: 'Webex (local)',
};

export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

/** Ports from PORT_* variables; a bad value throws naming the variable. */
export function portsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<Record<Service, number>> {
  const out: Partial<Record<Service, number>> = {};
  for (const service of SERVICES) {
    const raw = env[PORT_ENV[service]];
    if (raw === undefined || raw === '') continue;
    out[service] = parsePort(raw, PORT_ENV[service]);
  }
  return out;
}

export function parsePort(raw: string, what: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${what} must be a port number (0 picks a free one), not "${raw}"`);
  return n;
}

function tryListen(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(actual));
    });
  });
}

/** The port to use for a service: a free one for 0, or the one asked for if nobody holds it. */
export async function resolvePort(host: string, service: Service, port: number): Promise<number> {
  try {
    return await tryListen(host, port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new PortInUseError(
        `Port ${port} for ${LABEL[service]} is ${code === 'EACCES' ? 'not allowed' : 'already in use'} on ${host}. ` +
          `Stop what is using it (another \`npm start\`?), or choose another port: ` +
          `${PORT_ENV[service]}=<port> npm start, or npm start -- --port-${service} <port> (0 picks a free port).`,
      );
    }
    throw error;
  }
}
