// @ts-check
// The embedded DynamoDB (dynalite on LevelDB) in a worker thread of the runtime's process, so it
// runs on a core of its own: on one event loop with the handlers and the setup pages it took
// about a sixth of the process's CPU, and every handler waited for it. The SDK clients still
// reach it over HTTP on its port, as they reach DynamoDB.
//
// Plain JavaScript: a worker is loaded by Node itself, without the TypeScript loader of the
// process that starts it (tsx for `npm start`, vite for the tests).
//
// workerData: { path, host, port, operations, counts }. `counts` is a SharedArrayBuffer of
// Int32 counters, one per name of `operations` and a last one for any other request, which the
// runtime reads without a message. Messages: the worker posts { type: 'listening', port } or
// { type: 'error', message, code }; it answers { type: 'close' } by closing the server and its
// LevelDB, then exits.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite');

/** @type {{ path: string; host: string; port: number; operations: string[]; counts: SharedArrayBuffer }} */
const { path, host, port, operations, counts } = workerData;
const port$ = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
const counters = new Int32Array(counts);
const slot = new Map(operations.map((op, i) => [op, i]));

/** @type {import('node:http').Server} */
const server = dynalite({ path, createTableMs: 0 });
server.on('request', (/** @type {import('node:http').IncomingMessage} */ req) => {
  const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
  Atomics.add(counters, slot.get(op) ?? operations.length, 1);
});
server.once('error', (/** @type {NodeJS.ErrnoException} */ error) => {
  port$.postMessage({ type: 'error', message: error.message, code: error.code });
});
server.listen(port, host, () => {
  const address = server.address();
  port$.postMessage({
    type: 'listening',
    port: typeof address === 'object' && address ? address.port : port,
  });
});
port$.on('message', (/** @type {{ type: string }} */ message) => {
  if (message.type !== 'close') return;
  server.closeAllConnections();
  // dynalite's close also closes its LevelDB, so the next start can open the directory.
  server.close(() => port$.close());
});
