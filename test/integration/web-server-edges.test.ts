import { request } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebServer, hasDotSegments } from '../../infra/local/web-server';

// The local front door's edges, sent as raw request lines (fetch and URL would resolve `..`
// before sending): dot segments never reach another route, and an oversized address gets a 431
// answer every time, never a reset connection.

const root = new URL('../..', import.meta.url).pathname;
let server: ReturnType<typeof createWebServer>;
let port = 0;

beforeAll(async () => {
  server = createWebServer(root);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function send(path: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const method = body === undefined ? 'GET' : 'POST';
    const req = request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the local web server', () => {
  it.each([
    '/setup/x/../../ops',
    '/setup/x/%2e%2e/%2E%2E/ops/',
    '/setup/%2e%2e/ops',
    '/setup/./x',
    '/setup/x/..%2fops',
    '/setup/x%5c..%5cops',
  ])('answers 404 for %s instead of resolving it to another route', async (path) => {
    const answer = await send(path);
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain('ops');
  });

  it('keeps ordinary paths and queries with dots', () => {
    expect(hasDotSegments('/setup/AbC_d-9/summary?next=../x')).toBe(false);
    expect(hasDotSegments('/ops/orders/ORD-1.2')).toBe(false);
    expect(hasDotSegments('/favicon.ico')).toBe(false);
  });

  it('answers 431 to a 100 KB address, every time, also while a form body is still coming', async () => {
    const path = `/setup/${'a'.repeat(100 * 1024)}`;
    const form = `csrf=x&name=${'n'.repeat(200 * 1024)}`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => send(path, i % 2 ? form : undefined).then((a) => a.status)),
    );
    expect(answers).toEqual(Array.from({ length: 20 }, () => 431));
  });

  it('answers 431 to a 100 KB address sent slowly, without resetting the connection', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('error', (error) => reject(new Error(`connection failed: ${error.message}`)));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
      void (async () => {
        socket.write('GET /setup/');
        for (let i = 0; i < 20; i += 1) {
          if (socket.destroyed) return;
          socket.write('a'.repeat(5 * 1024));
          await new Promise((r) => setTimeout(r, 5));
        }
        socket.write(' HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
      })();
    });
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
  });

  it('answers 431 to oversized cookies too', async () => {
    const answer = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/favicon.ico',
          headers: { cookie: `a=${'b'.repeat(40_000)}` },
          agent: false,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(answer).toBe(431);
  });
});
