import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { batchWriteItemCount, callerOf, Counters, countCommands, countHistory } from '../../bench/counters';
import { getStep, storeTaskToken } from '../../functions/shared/adapters/step-store';
import { instrumentDynamodb } from '../../functions/shared/clients/dynamodb';
import { createOrder, newOrderRecord } from '../../functions/shared/adapters/order-repository';
import { placedEvent, uniqueOrderId } from '../fixtures/orders';
import { startLocalTable } from '../unit/support/local-table';

const at = (ms: number) => new Date(1_700_000_000_000 + ms);

describe('bench counters', () => {
  it('counts states entered, Lambda tasks scheduled and their handler time in a history', () => {
    const events: HistoryEvent[] = [
      { id: 1, type: 'ExecutionStarted', timestamp: at(0) },
      { id: 2, previousEventId: 1, type: 'TaskStateEntered', timestamp: at(1) },
      { id: 3, previousEventId: 2, type: 'TaskScheduled', timestamp: at(2) },
      { id: 4, previousEventId: 3, type: 'TaskStarted', timestamp: at(3) },
      { id: 5, previousEventId: 4, type: 'TaskSucceeded', timestamp: at(52) },
      { id: 6, previousEventId: 5, type: 'TaskStateExited', timestamp: at(53) },
      { id: 7, previousEventId: 6, type: 'ChoiceStateEntered', timestamp: at(54) },
      { id: 8, previousEventId: 7, type: 'TaskStateEntered', timestamp: at(55) },
      { id: 9, previousEventId: 8, type: 'TaskScheduled', timestamp: at(60) },
      { id: 10, previousEventId: 9, type: 'TaskStarted', timestamp: at(61) },
      { id: 11, previousEventId: 10, type: 'TaskSubmitted', timestamp: at(80) },
      { id: 12, previousEventId: 11, type: 'TaskSucceeded', timestamp: at(5000) },
      { id: 13, previousEventId: 12, type: 'SucceedStateEntered', timestamp: at(5001) },
      { id: 14, previousEventId: 13, type: 'ExecutionSucceeded', timestamp: at(5002) },
    ];
    expect(countHistory(events)).toEqual({
      stateTransitions: 4,
      lambdaInvocations: 2,
      // 2 → 52 and 60 → 80 (a callback task's handler ends when it is submitted, not when a person answers).
      lambdaMs: 70,
      succeeded: true,
      error: undefined,
    });
  });

  it('counts each retry of a task as a transition (AWS bills retries), also when Map iterations interleave', () => {
    // Two iterations of a Map: iteration 0's task fails twice and is retried (no new StateEntered;
    // each TaskScheduled follows its attempt's failure), iteration 1's succeeds at once, between them.
    const events: HistoryEvent[] = [
      { id: 1, type: 'ExecutionStarted', timestamp: at(0) },
      { id: 2, previousEventId: 1, type: 'MapStateEntered', timestamp: at(1) },
      { id: 3, previousEventId: 2, type: 'TaskStateEntered', timestamp: at(2) },
      { id: 4, previousEventId: 2, type: 'TaskStateEntered', timestamp: at(2) },
      { id: 5, previousEventId: 3, type: 'TaskScheduled', timestamp: at(3) },
      { id: 6, previousEventId: 4, type: 'TaskScheduled', timestamp: at(3) },
      { id: 7, previousEventId: 5, type: 'TaskStarted', timestamp: at(4) },
      { id: 8, previousEventId: 7, type: 'TaskFailed', timestamp: at(10) },
      { id: 9, previousEventId: 6, type: 'TaskStarted', timestamp: at(11) },
      { id: 10, previousEventId: 8, type: 'TaskScheduled', timestamp: at(1010) },
      { id: 11, previousEventId: 9, type: 'TaskSucceeded', timestamp: at(1011) },
      { id: 12, previousEventId: 11, type: 'TaskStateExited', timestamp: at(1012) },
      { id: 13, previousEventId: 10, type: 'TaskStarted', timestamp: at(1013) },
      { id: 14, previousEventId: 13, type: 'TaskTimedOut', timestamp: at(1020) },
      { id: 15, previousEventId: 14, type: 'TaskScheduled', timestamp: at(3020) },
      { id: 16, previousEventId: 15, type: 'TaskStarted', timestamp: at(3021) },
      { id: 17, previousEventId: 16, type: 'TaskSucceeded', timestamp: at(3030) },
      { id: 18, previousEventId: 17, type: 'TaskStateExited', timestamp: at(3031) },
      { id: 19, previousEventId: 18, type: 'MapStateExited', timestamp: at(3032) },
      { id: 20, previousEventId: 19, type: 'SucceedStateEntered', timestamp: at(3033) },
      { id: 21, previousEventId: 20, type: 'ExecutionSucceeded', timestamp: at(3034) },
    ];
    // 4 states entered (Map, two tasks, Succeed) + 2 retries.
    expect(countHistory(events)).toMatchObject({
      stateTransitions: 6,
      lambdaInvocations: 4,
      succeeded: true,
    });
  });

  it('reports a failed run', () => {
    const result = countHistory([
      {
        id: 1,
        type: 'ExecutionFailed',
        timestamp: at(0),
        executionFailedEventDetails: { error: 'States.TaskFailed' },
      },
    ]);
    expect(result).toMatchObject({ succeeded: false, error: 'States.TaskFailed' });
  });

  it('splits DynamoDB requests into reads and writes, a batch write counted per item', () => {
    const c = new Counters();
    c.bump(c.dynamo, 'GetItemCommand', 3);
    c.bump(c.dynamo, 'QueryCommand', 2);
    c.bump(c.dynamo, 'PutItemCommand', 4);
    c.bump(c.dynamo, 'UpdateItemCommand');
    c.bump(c.dynamo, 'BatchWriteItemCommand');
    c.bump(c.dynamo, 'DescribeTableCommand');
    c.batchWriteItems += batchWriteItemCount({ RequestItems: { t: [{}, {}, {}] } });
    expect(c.dynamoReads()).toBe(5);
    expect(c.dynamoWrites()).toBe(8);
  });

  it('bills Lambda time by the millisecond times the memory', () => {
    const c = new Counters();
    c.recordLambda('RenderSummary', 499.2, 1024);
    c.recordLambda('RenderSummary', 100, 1024);
    expect(c.lambda.get('RenderSummary')).toEqual({ count: 2, ms: 599.2, gbSeconds: 0.6 });
  });
});

describe('DynamoDB requests by adapter operation', () => {
  it('names the adapter and function a stack was taken in', () => {
    const stack = [
      'Error',
      '    at Object.<anonymous> (/repo/bench/counters.ts:90:23)',
      '    at GetCommand.sendWith (/repo/functions/shared/clients/dynamodb.ts:56:43)',
      '    at Object.send (/repo/functions/shared/clients/dynamodb.ts:205:31)',
      '    at getStep (/repo/functions/shared/adapters/step-store.ts:113:38)',
      '    at async loadPage (/repo/functions/resume/web-app.ts:80:3)',
    ].join('\n');
    expect(callerOf(stack)).toBe('step-store.getStep');
    expect(callerOf(stack.replace('at getStep (', 'at async getStep ('))).toBe('step-store.getStep');
    // An adapter's helper, called by another adapter's operation: that operation.
    const nested = stack.replace(
      /^.*at getStep.*$/m,
      [
        '    at queryPages (/repo/functions/shared/adapters/order-repository.ts:230:5)',
        '    at async findOrderWithSteps (/repo/functions/shared/adapters/step-store.ts:121:3)',
      ].join('\n'),
    );
    expect(callerOf(nested)).toBe('step-store.findOrderWithSteps');
    expect(callerOf(stack.replace(/^.*adapters.*$/m, ''))).toBe('web-app.loadPage');
    expect(callerOf('Error\n    at node:internal/process/task_queues:95:5')).toBe('other');
  });

  it("counts each request of the process's client under the adapter operation that sent it", async () => {
    const table = await startLocalTable('bench-counters-test');
    const counted = new Map<string, number>();
    const remove = instrumentDynamodb((client) =>
      countCommands(client, 'testCountCallers', (op, _input, caller) => {
        const key = `${caller()} ${op}`;
        counted.set(key, (counted.get(key) ?? 0) + 1);
      }),
    );
    try {
      const orderId = uniqueOrderId();
      await createOrder(newOrderRecord(placedEvent({ orderId }).detail, new Date().toISOString()));
      await getStep(orderId, 'order-for');
      await getStep(orderId, 'customer-org');
      await storeTaskToken(orderId, 'order-for', 'AQCE-token');
    } finally {
      remove();
      await table.stop();
    }
    expect(Object.fromEntries(counted)).toEqual({
      'order-repository.createOrder PutItemCommand': 1,
      'step-store.getStep GetItemCommand': 2,
      // One write of the order's item, which holds its steps.
      'step-store.storeTaskToken UpdateItemCommand': 1,
    });
  });
});
