import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidName,
  InvalidOutput,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  RedriveExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  lambdaArn,
  startSfnEndpoint,
  stateMachineArn,
  type SfnEndpoint,
} from '../../infra/local/sfn/sfn-endpoint';
import { waitFor } from '../helpers/wait';

// The local Step Functions endpoint on a small machine of its own, with toy handlers: every
// behaviour the workflow relies on, observed through the real AWS SDK.

class TransientError extends Error {
  override name = 'TransientError';
}
class ToyExpiredError extends Error {
  override name = 'ToyExpiredError';
}

const retry = [{ ErrorEquals: ['TransientError'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 1 }];
const definition = {
  StartAt: 'Prepare',
  States: {
    Prepare: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: '${PrepareArn}', 'Payload.$': '$' },
      ResultSelector: { 'prepared.$': '$.Payload' },
      ResultPath: '$.prep',
      Retry: retry,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }],
      Next: 'Ask',
    },
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: '${AskArn}', Payload: { step: 'ask', 'token.$': '$$.Task.Token' } },
      TimeoutSecondsPath: '$.settings.timeout',
      ResultPath: '$.answer',
      Catch: [
        { ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'Remind' },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' },
      ],
      Next: 'Which?',
    },
    Remind: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: '${RemindArn}', Payload: {} },
      ResultPath: null,
      Catch: [{ ErrorEquals: ['ToyExpiredError'], ResultPath: '$.error', Next: 'Failed' }],
      Next: 'Ask',
    },
    'Which?': {
      Type: 'Choice',
      Choices: [{ Variable: '$.answer.go', StringEquals: 'map', Next: 'Each item' }],
      Default: 'Done',
    },
    'Each item': {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemSelector: { 'item.$': '$$.Map.Item.Value', 'settings.$': '$.settings' },
      MaxConcurrency: 0,
      ItemProcessor: {
        StartAt: 'Ask item',
        States: {
          'Ask item': {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: {
              FunctionName: '${AskArn}',
              Payload: { 'step.$': "States.Format('item-{}', $.item)", 'token.$': '$$.Task.Token' },
            },
            TimeoutSecondsPath: '$.settings.timeout',
            End: true,
          },
        },
      },
      ResultPath: '$.items',
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
    Failed: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
  },
};

/** Tokens the Ask handler received, by step: what the toy "resume handler" answers with. */
const tokens = new Map<string, string>();
const asked: string[] = [];
let prepareFailures = 0;
let prepareError: 'transient' | 'fatal' | undefined;
let remindCalls = 0;
let prepareCalls = 0;
let maxReminders = 1;

const functions = [
  {
    id: 'Prepare',
    handler: async (event: unknown) => {
      prepareCalls++;
      if (prepareError === 'fatal') throw new ToyExpiredError('prepare cannot go on');
      if (prepareError === 'transient' && prepareFailures-- > 0) throw new TransientError('try again');
      return { ok: true, event };
    },
  },
  {
    id: 'Ask',
    handler: async (event: unknown) => {
      const { step, token } = event as { step: string; token: string };
      tokens.set(step, token);
      asked.push(step);
      return { stored: true };
    },
  },
  {
    id: 'Remind',
    handler: async () => {
      remindCalls++;
      if (remindCalls > maxReminders) throw new ToyExpiredError('no answer after the last reminder');
      return { reminded: remindCalls };
    },
  },
];

let dir: string;
let endpoint: SfnEndpoint;
let client: SFNClient;
const machineArn = stateMachineArn('Toy');

async function start(): Promise<void> {
  endpoint = await startSfnEndpoint({
    dataDir: dir,
    root: process.cwd(),
    machines: [
      {
        name: 'Toy',
        definition: JSON.stringify(definition),
        substitutions: {
          PrepareArn: lambdaArn('Prepare'),
          AskArn: lambdaArn('Ask'),
          RemindArn: lambdaArn('Remind'),
        },
      },
    ],
    functions,
  });
  client = new SFNClient({
    endpoint: endpoint.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

async function history(executionArn: string): Promise<HistoryEvent[]> {
  return (await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
}
async function status(executionArn: string): Promise<string | undefined> {
  return (await client.send(new DescribeExecutionCommand({ executionArn }))).status;
}
async function waitForToken(step: string, previous?: string): Promise<string> {
  return waitFor(`a token for ${step}`, () => {
    const t = tokens.get(step);
    return t !== undefined && t !== previous ? t : undefined;
  });
}
async function startRun(name: string, input: Record<string, unknown> = {}): Promise<string> {
  const res = await client.send(
    new StartExecutionCommand({
      stateMachineArn: machineArn,
      name,
      input: JSON.stringify({ settings: { timeout: 30 }, items: ['a', 'b'], ...input }),
    }),
  );
  return res.executionArn ?? '';
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sfn-endpoint-'));
  tokens.clear();
  asked.length = 0;
  prepareError = undefined;
  prepareFailures = 0;
  remindCalls = 0;
  prepareCalls = 0;
  maxReminders = 1;
  await start();
});
afterEach(async () => {
  await endpoint.close();
  client.destroy();
  rmSync(dir, { recursive: true, force: true });
});
afterAll(() => tokens.clear());

describe('local Step Functions endpoint', () => {
  it('runs a callback task to the end and records an AWS-shaped history', async () => {
    const arn = await startRun('happy');
    const token = await waitForToken('ask');
    expect(token.length).toBeGreaterThan(200);
    expect(token.length).toBeLessThanOrEqual(2048);
    await client.send(
      new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ go: 'done' }) }),
    );
    await waitFor('success', async () => (await status(arn)) === 'SUCCEEDED');

    const out = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(JSON.parse(out.output ?? '{}')).toMatchObject({
      answer: { go: 'done' },
      prep: { prepared: { ok: true } },
    });
    expect(out.startDate).toBeInstanceOf(Date);

    const events = await history(arn);
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    const prepared = events.find((e) => e.type === 'TaskSucceeded');
    expect(JSON.parse(prepared?.taskSucceededEventDetails?.output ?? '{}')).toMatchObject({
      StatusCode: 200,
      ExecutedVersion: '$LATEST',
      Payload: { ok: true },
    });
    const scheduled = events.filter((e) => e.type === 'TaskScheduled')[1];
    expect(scheduled?.taskScheduledEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      timeoutInSeconds: 30,
    });
    expect(events[1]?.stateEnteredEventDetails?.name).toBe('Prepare');

    // The token is spent: a second answer is refused with AWS's error.
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);
    const reversed = await client.send(
      new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 5 }),
    );
    expect(reversed.events?.[0]?.type).toBe('ExecutionSucceeded');
    expect(reversed.nextToken).toBeTruthy();
    const next = await client.send(
      new GetExecutionHistoryCommand({
        executionArn: arn,
        reverseOrder: true,
        maxResults: 5,
        nextToken: reversed.nextToken,
      }),
    );
    expect(next.events?.[0]?.id).toBe(events.length - 5);
  });

  it('retries a TransientError by name, then succeeds', async () => {
    prepareError = 'transient';
    prepareFailures = 1;
    const arn = await startRun('retry');
    const token = await waitForToken('ask');
    await client.send(
      new SendTaskFailureCommand({ taskToken: token, error: 'NoThanksError', cause: 'declined' }),
    );
    await waitFor('failure', async () => (await status(arn)) === 'FAILED');
    const events = await history(arn);
    const failed = events.filter((e) => e.type === 'TaskFailed');
    expect(failed[0]?.taskFailedEventDetails?.error).toBe('TransientError');
    expect(JSON.parse(failed[0]?.taskFailedEventDetails?.cause ?? '{}')).toMatchObject({
      errorType: 'TransientError',
      errorMessage: 'try again',
    });
    expect(
      events.filter((e) => e.type === 'TaskScheduled' && e.previousEventId).length,
    ).toBeGreaterThanOrEqual(3);
    const out = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(out.error).toBe('NoThanksError');
    expect(out.cause).toBe('declined');
  });

  it('catches a handler error by its name and fails with a Lambda-style cause', async () => {
    prepareError = 'fatal';
    const arn = await startRun('fatal');
    await waitFor('failure', async () => (await status(arn)) === 'FAILED');
    const out = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(out.error).toBe('ToyExpiredError');
    expect(JSON.parse(out.cause ?? '{}')).toMatchObject({
      errorType: 'ToyExpiredError',
      errorMessage: 'prepare cannot go on',
    });
    const types = (await history(arn)).map((e) => e.type);
    expect(types).toContain('FailStateEntered');
    expect(types.at(-1)).toBe('ExecutionFailed');
  });

  it('times a waiting task out through TimeoutSecondsPath; the old token is then dead', async () => {
    maxReminders = 1;
    const arn = await startRun('timeout', { settings: { timeout: 1 } });
    const first = await waitForToken('ask');
    const second = await waitForToken('ask', first);
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: first, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    await waitFor('expiry', async () => (await status(arn)) === 'FAILED');
    const out = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(out.error).toBe('ToyExpiredError');
    const events = await history(arn);
    expect(events.filter((e) => e.type === 'TaskTimedOut')).toHaveLength(2);
    expect(events.find((e) => e.type === 'TaskTimedOut')?.taskTimedOutEventDetails?.error).toBe(
      'States.Timeout',
    );
    expect(second).not.toBe(first);
  });

  it('runs Map iterations with a callback each, resumed in any order', async () => {
    const arn = await startRun('map');
    await client.send(
      new SendTaskSuccessCommand({
        taskToken: await waitForToken('ask'),
        output: JSON.stringify({ go: 'map' }),
      }),
    );
    const b = await waitForToken('item-b');
    const a = await waitForToken('item-a');
    await client.send(new SendTaskSuccessCommand({ taskToken: b, output: '"B"' }));
    await client.send(new SendTaskSuccessCommand({ taskToken: a, output: '"A"' }));
    await waitFor('success', async () => (await status(arn)) === 'SUCCEEDED');
    const out = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(JSON.parse(out.output ?? '{}').items).toEqual(['A', 'B']);
    const types = (await history(arn)).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'MapStateEntered',
        'MapStateStarted',
        'MapIterationStarted',
        'MapIterationSucceeded',
        'MapStateSucceeded',
        'MapStateExited',
      ]),
    );
    expect(types.filter((t) => t === 'MapIterationStarted')).toHaveLength(2);
  });

  it('answers StartExecution idempotently and with AWS errors', async () => {
    const arn = await startRun('same');
    const again = await startRun('same');
    expect(again).toBe(arn);
    await expect(startRun('same', { other: true })).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await expect(startRun('bad name')).rejects.toBeInstanceOf(InvalidName);
    await expect(
      client.send(new DescribeExecutionCommand({ executionArn: `${arn}-nope` })),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' })),
    ).rejects.toBeInstanceOf(InvalidToken);
    const token = await waitForToken('ask');
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{not json' })),
    ).rejects.toBeInstanceOf(InvalidOutput);

    await client.send(
      new StopExecutionCommand({ executionArn: arn, error: 'Cancelled', cause: 'order cancelled' }),
    );
    expect(await status(arn)).toBe('ABORTED');
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(startRun('same')).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    const types = (await history(arn)).map((e) => e.type);
    expect(types.at(-1)).toBe('ExecutionAborted');

    await startRun('other');
    const running = await client.send(
      new ListExecutionsCommand({ stateMachineArn: machineArn, statusFilter: 'RUNNING' }),
    );
    expect(running.executions?.map((e) => e.name)).toEqual(['other']);
    const page = await client.send(new ListExecutionsCommand({ stateMachineArn: machineArn, maxResults: 1 }));
    expect(page.executions).toHaveLength(1);
    expect(page.nextToken).toBeTruthy();
    const machines = await client.send(new ListStateMachinesCommand({}));
    expect(machines.stateMachines?.map((m) => m.name)).toEqual(['Toy']);
    const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn }));
    expect(described.definition).toContain(lambdaArn('Ask'));
    expect(described.definition).toContain('TimeoutSecondsPath');
  });

  it('keeps a waiting run across a restart: it waits again with a fresh token and finishes', async () => {
    const arn = await startRun('restart');
    const before = await waitForToken('ask');
    const eventsBefore = await history(arn);
    await endpoint.close();
    tokens.clear();
    await start();

    const after = await waitForToken('ask');
    expect(after).not.toBe(before);
    expect(await status(arn)).toBe('RUNNING');
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: before, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);
    await client.send(
      new SendTaskSuccessCommand({ taskToken: after, output: JSON.stringify({ go: 'done' }) }),
    );
    await waitFor('success', async () => (await status(arn)) === 'SUCCEEDED');
    const events = await history(arn);
    // The first run's events are kept and none is written twice.
    expect(events.slice(0, eventsBefore.length).map((e) => e.type)).toEqual(eventsBefore.map((e) => e.type));
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type === 'ExecutionStarted')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'TaskStateEntered')).toHaveLength(2);
    // Prepare ran once, its result served from the record; the waiting step asked again.
    expect(prepareCalls).toBe(1);
    expect(asked).toEqual(['ask', 'ask']);
  });

  it('redrives a failed run from the failed task', async () => {
    prepareError = 'fatal';
    const arn = await startRun('redrive');
    await waitFor('failure', async () => (await status(arn)) === 'FAILED');
    prepareError = undefined;
    await client.send(new RedriveExecutionCommand({ executionArn: arn }));
    await client.send(
      new SendTaskSuccessCommand({
        taskToken: await waitForToken('ask'),
        output: JSON.stringify({ go: 'done' }),
      }),
    );
    await waitFor('success', async () => (await status(arn)) === 'SUCCEEDED');
    const out = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(out.redriveCount).toBe(1);
    const types = (await history(arn)).map((e) => e.type);
    expect(types).toContain('ExecutionFailed');
    expect(types).toContain('ExecutionRedriven');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
  });
});
