import { Worker } from 'node:worker_threads';

// The embedded DynamoDB in a worker thread (./dynamodb-worker.mjs): dynalite answers on its own
// core, and the runtime reads its request counts from shared memory.

/** The operations counted one by one; any other request counts as `other`. */
const OPERATIONS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
  'CreateTable',
  'DescribeTable',
  'UpdateTable',
  'DeleteTable',
  'ListTables',
  'DescribeTimeToLive',
  'UpdateTimeToLive',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
] as const;

export interface DynamoDbThread {
  port: number;
  /** Requests answered so far, by operation (only those seen). */
  requests(): Record<string, number>;
  /** Milliseconds the thread's event loop has been busy since it started. */
  busyMs(): number;
  /** Closes the server and its LevelDB, and waits for the thread to end. */
  close(): Promise<void>;
}

export class DynamoDbThreadError extends Error {
  override name = 'DynamoDbThreadError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export function startDynamoDbThread(options: {
  path: string;
  host: string;
  port: number;
}): Promise<DynamoDbThread> {
  const counts = new SharedArrayBuffer(4 * (OPERATIONS.length + 1));
  const counters = new Int32Array(counts);
  const worker = new Worker(new URL('./dynamodb-worker.mjs', import.meta.url), {
    workerData: { ...options, operations: OPERATIONS, counts },
    // The worker is plain JavaScript: the parent's loaders (tsx, vite) have nothing to do there.
    execArgv: [],
  });
  const exited = new Promise<void>((done) => worker.once('exit', () => done()));
  const thread = (port: number): DynamoDbThread => ({
    port,
    requests() {
      const out: Record<string, number> = {};
      OPERATIONS.forEach((op, i) => {
        const n = Atomics.load(counters, i);
        if (n > 0) out[op] = n;
      });
      const other = Atomics.load(counters, OPERATIONS.length);
      if (other > 0) out.other = other;
      return out;
    },
    busyMs: () => worker.performance.eventLoopUtilization().active,
    async close() {
      worker.postMessage({ type: 'close' });
      // A thread that does not close within 5 s (a LevelDB that never answers) is stopped.
      const timer = setTimeout(() => void worker.terminate(), 5000);
      await exited;
      clearTimeout(timer);
    },
  });
  return new Promise((resolveStart, reject) => {
    const onExit = (code: number) =>
      reject(
        new DynamoDbThreadError(`The DynamoDB emulator thread stopped while starting (exit code ${code})`),
      );
    worker.once('error', (error) => {
      worker.off('exit', onExit);
      reject(error);
    });
    worker.once('exit', onExit);
    worker.on('message', (message: { type: string; port?: number; message?: string; code?: string }) => {
      if (message.type === 'listening') {
        worker.off('exit', onExit);
        // Once started, a failure of the thread is said where the runtime's output goes: every
        // DynamoDB request fails from then on (connection refused), and this says why.
        worker.on('error', (error) =>
          console.error(`The DynamoDB emulator thread failed: ${error.stack ?? error}`),
        );
        resolveStart(thread(message.port ?? options.port));
      } else if (message.type === 'error') {
        worker.off('exit', onExit);
        void worker.terminate();
        reject(new DynamoDbThreadError(message.message ?? 'DynamoDB emulator failed', message.code));
      }
    });
  });
}
