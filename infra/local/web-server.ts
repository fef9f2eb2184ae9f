import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WebHandler, WebRequest, WebResponse } from '../../functions/resume/http.types';

// The embedded runtime's front door for people: `/ops*` goes to the ops view, everything else to
// the setup pages, through the same request/response shapes the HTTP API uses on AWS. Each app
// is loaded on its first request, so the server starts even while an app is being written.

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
  exportName: string;
}
const OPS_APP: App = { file: 'infra/local/ops/ops-app.ts', exportName: 'handleOpsRequest' };
const WEB_APP: App = { file: 'functions/resume/web-app.ts', exportName: 'handleWebRequest' };

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      out[name] = decodeURIComponent(raw);
    } catch {
      out[name] = raw;
    }
  }
  return out;
}

async function toWebRequest(req: IncomingMessage): Promise<WebRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error('Request body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] ??= value;
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query,
    headers,
    cookies: parseCookies(req.headers.cookie),
    body: Buffer.concat(chunks).toString('utf8'),
    sourceIp: req.socket.remoteAddress,
  };
}

function write(res: ServerResponse, response: WebResponse, head: boolean): void {
  const headers: Record<string, string | string[]> = { ...response.headers };
  if (response.cookies && response.cookies.length > 0) headers['set-cookie'] = response.cookies;
  const body = typeof response.body === 'string' ? Buffer.from(response.body) : response.body;
  headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(head ? undefined : body);
}

function text(status: number, body: string): WebResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
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
  const loaded = new Map<string, Promise<WebHandler | undefined>>();
  const load = (app: App): Promise<WebHandler | undefined> => {
    let pending = loaded.get(app.file);
    if (!pending) {
      const path = join(root, app.file);
      pending = existsSync(path)
        ? import(pathToFileURL(path).href).then((mod: Record<string, unknown>) => {
            const fn = mod[app.exportName];
            return typeof fn === 'function' ? (fn as WebHandler) : undefined;
          })
        : Promise.resolve(undefined);
      // Not there yet (or failed to load): look again on the next request.
      pending.then((fn) => fn ?? loaded.delete(app.file)).catch(() => loaded.delete(app.file));
      loaded.set(app.file, pending);
    }
    return pending;
  };

  return createServer({ maxHeaderSize: PARSER_HEADER_BYTES }, (req, res) => {
    void (async () => {
      const head = req.method === 'HEAD';
      if (headerBytes(req) > MAX_HEADER_BYTES) {
        // Read (and drop) what the client still sends, so closing never resets the connection.
        req.resume();
        res.shouldKeepAlive = false;
        write(res, text(431, 'Request header fields too large'), head);
        return;
      }
      if (hasDotSegments(req.url ?? '/')) {
        req.resume();
        write(res, text(404, 'Not found'), head);
        return;
      }
      try {
        const request = await toWebRequest(req);
        if (head) request.method = 'GET';
        const isOps = request.path === '/ops' || request.path.startsWith('/ops/');
        const handler = await load(isOps ? OPS_APP : WEB_APP);
        if (!handler) {
          write(
            res,
            text(404, `Not found: ${isOps ? 'the ops view' : 'the setup pages'} are not installed.`),
            head,
          );
          return;
        }
        write(res, await handler(request), head);
      } catch (error) {
        const status = (error as { status?: number }).status ?? 500;
        console.error(
          `[web] ${req.method} ${req.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        write(
          res,
          text(status, status === 413 ? 'Request too large' : 'Something went wrong on our side.'),
          head,
        );
      }
    })();
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
