import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  enableConcurrentInvocations,
  LambdaInvoker,
  type LambdaHandler,
} from '../../infra/local/sfn/lambda-invoker';

// The embedded runtime runs every handler in one process, many at once. Each log line must
// still carry its own order id (on AWS one environment handles one event at a time).

const previousLevel = process.env.POWERTOOLS_LOG_LEVEL;
let step: LambdaHandler;
beforeAll(async () => {
  await enableConcurrentInvocations();
  // A logger that logs (the test setup silences the shared one at construction).
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  vi.resetModules();
  const { lambdaHandler } = await import('../../functions/shared/middleware');
  const { logger } = await import('../../functions/shared/observability');
  step = lambdaHandler(
    async (event: { orderId: string; waitMs: number }) => {
      await new Promise((resolve) => setTimeout(resolve, event.waitMs));
      logger.info('step done', { for: event.orderId });
      return event.orderId;
    },
    (event) => event.orderId,
  ) as unknown as LambdaHandler;
});
afterAll(() => {
  if (previousLevel === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
  else process.env.POWERTOOLS_LOG_LEVEL = previousLevel;
});

describe('logs of concurrent invocations in the embedded runtime', () => {
  it('carry the order id of their own invocation', async () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const invoker = new LambdaInvoker([{ id: 'Step', handler: step }], process.cwd());
      // The first starts first and finishes last: with one shared logger it would log the second's id.
      await Promise.all([
        invoker.invoke('Step', { orderId: 'ORD-FIRST', waitMs: 60 }),
        invoker.invoke('Step', { orderId: 'ORD-SECOND', waitMs: 5 }),
      ]);
    } finally {
      write.mockRestore();
    }
    const logged = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.includes('"step done"'))
      .map((l) => JSON.parse(l) as { orderId?: string; for?: string });
    expect(logged.map((l) => l.for).sort()).toEqual(['ORD-FIRST', 'ORD-SECOND']);
    for (const line of logged) expect(line.orderId).toBe(line.for);
  });
});
