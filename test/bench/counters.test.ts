import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { batchWriteItemCount, Counters, countHistory } from '../../bench/counters';

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
