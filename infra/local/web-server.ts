import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

// The embedded runtime's front door for people (@hono/node-server): `/ops*` goes to the ops view,
// everything else to the setup pages, the same Hono app the HTTP API runs on AWS. Each app is
// loaded on its first request, so the server starts even while an app is being written.

const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Request line and headers: what API Gateway accepts (10 KB URL) with room for cookies. The
 * parser reads up to PARSER_HEADER_BYTES, so anything between is answered with a clean 431 by
 * the handler; past the parser's limit Node answers 431 itself and closes the connection.
 */
const MAX_HEADER_BYTES = 16 * 1024;
const PARSER_HEADER_BYTES = 512 * 1024;

interface App {
  file: string;
  /** The module's Hono app. */
  exportName: string;
}
const OPS_APP: App = { file: 'infra/local/ops/ops-app.ts', exportName: 'opsApp' };
const WEB_APP: App = { file: 'functions/resume/web-app.ts', exportName: 'webApp' };

type Fetch = (request: Request) => Response | Promise<Response>;

const text = (c: Context, status: ContentfulStatusCode, body: string) =>
  c.body(body, status, { 'content-type': 'text/plain; charset=utf-8' });

function write(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** The request line and headers as they came, in bytes (Node keeps them as raw pairs). */
function headerBytes(req: IncomingMessage): number {
  let size = (req.method?.length ?? 0) + (req.url?.length ?? 0) + 12;
  for (const part of req.rawHeaders) size += Buffer.byteLength(part) + 2;
  return size;
}

/**
 * A path with a `.` or `..` segment, written plainly or percent-encoded (`%2e%2e`), or with a
 * backslash or an encoded slash: no route has one, and resolving it would reach another route
 * (`/setup/x/../../ops`). Answered 404 as it came, never normalized.
 */
export function hasDotSegments(rawUrl: string): boolean {
  const path = rawUrl.split(/[?#]/, 1)[0] ?? '';
  if (/\\|%2f|%5c/i.test(path)) return true;
  return path.split('/').some((segment) => {
    const plain = segment.replace(/%2e/gi, '.');
    return plain === '.' || plain === '..';
  });
}

export function createWebServer(root: string): Server {
  const loaded = new Map<string, Promise<Fetch | undefined>>();
  const load = (app: App): Promise<Fetch | undefined> => {
    let pending = loaded.get(app.file);
    if (!pending) {
      const path = join(root, app.file);
      pending = existsSync(path)
        ? import(pathToFileURL(path).href).then((mod: Record<string, unknown>) => {
            const found = mod[app.exportName] as { fetch?: unknown } | undefined;
            return typeof found?.fetch === 'function' ? (found as { fetch: Fetch }).fetch : undefined;
          })
        : Promise.resolve(undefined);
      // Not there yet (or failed to load): look again on the next request.
      pending.then((fn) => fn ?? loaded.delete(app.file)).catch(() => loaded.delete(app.file));
      loaded.set(app.file, pending);
    }
    return pending;
  };

  const front = new Hono();
  front.use(bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => text(c, 413, 'Request too large') }));
  front.all('*', async (c) => {
    const isOps = c.req.path === '/ops' || c.req.path.startsWith('/ops/');
    const app = await load(isOps ? OPS_APP : WEB_APP);
    if (!app)
      return text(c, 404, `Not found: ${isOps ? 'the ops view' : 'the setup pages'} are not installed.`);
    return app(c.req.raw);
  });
  front.onError((error, c) => {
    console.error(`[web] ${c.req.method} ${c.req.url}: ${error.stack ?? error.message}`);
    return text(c, 500, 'Something went wrong on our side.');
  });
  const listener = getRequestListener(front.fetch);

  return createServer({ maxHeaderSize: PARSER_HEADER_BYTES }, (req, res) => {
    if (headerBytes(req) > MAX_HEADER_BYTES) {
      // Read (and drop) what the client still sends, so closing never resets the connection.
      req.resume();
      res.shouldKeepAlive = false;
      write(res, 431, 'Request header fields too large');
      return;
    }
    if (hasDotSegments(req.url ?? '/')) {
      req.resume();
      write(res, 404, 'Not found');
      return;
    }
    void listener(req, res);
  });
}

export async function startWebServer(host: string, port: number, root: string): Promise<Server> {
  const server = createWebServer(root);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
