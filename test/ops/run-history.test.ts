import { describe, expect, it } from 'vitest';
import { transitionKey } from '../../infra/local/ops/asl-graph';
import { prettyJson, readableCause } from '../../infra/local/ops/redact';
import { traceRun } from '../../infra/local/ops/run-history';
import {
  completedHistory,
  expiredHistory,
  failedHistory,
  mapFailedHistory,
  TASK_TOKEN,
  twoServiceHistory,
  waitingHistory,
} from './fixtures/history-builder';

describe('traceRun: execution history → steps', () => {
  it('a waiting run: steps in order, the callback step is current, nothing failed', () => {
    // Prepare
    const events = waitingHistory().events;
    // Act
    const trace = traceRun(events);
    // Assess
    expect(trace.state).toBe('RUNNING');
    expect(trace.steps.map((s) => [s.name, s.status])).toEqual([
      ['Receive order', 'succeeded'],
      ['Who is this order for', 'succeeded'],
      ['Order for whom?', 'succeeded'],
      ['Partner organization', 'running'],
    ]);
    expect(trace.current).toEqual(['Partner organization']);
    expect(trace.failedStep).toBeUndefined();
    expect(trace.taken.has(transitionKey('Order for whom?', 'Partner organization'))).toBe(true);
    expect(trace.steps[0]?.input).toContain('ORD-1001');
    expect(trace.steps[0]?.exitedAt).toBeInstanceOf(Date);
  });

  it('a failed run: the task whose error ended the run is the failed step, with its error and cause', () => {
    const trace = traceRun(failedHistory().events);
    expect(trace.state).toBe('FAILED');
    expect(trace.failedStep?.name).toBe('Map partner organization');
    expect(trace.failedStep?.error).toBe('OrganizationNotFoundError');
    expect(readableCause(trace.failedStep?.cause)).toBe('Organization org-42 does not exist');
    expect(trace.error).toBe('OrganizationNotFoundError');
    expect(trace.current).toEqual([]);
    // The failed task is where the run stopped: the last step, ended with the run.
    const last = trace.steps.at(-1);
    expect(last).toBe(trace.failedStep);
    expect(last?.status).toBe('failed');
    expect(last?.exitedAt).toEqual(trace.endedAt);
    expect(trace.steps.filter((s) => s.status === 'failed')).toEqual([last]);
    expect(trace.taken.has(transitionKey('Partner: map or create?', 'Map partner organization'))).toBe(true);
  });

  it('a failure inside the Map names the inner step and its service iteration', () => {
    const trace = traceRun(mapFailedHistory().events);
    expect(trace.failedStep?.name).toBe('Provision Webex Calling');
    expect(trace.failedStep?.iteration).toBe(1);
    expect(trace.failedStep?.error).toBe('ValidationError');
    const meetings = trace.steps.find((s) => s.name === 'Provision Webex Meetings');
    expect(meetings?.iteration).toBe(0);
    expect(meetings?.status).toBe('succeeded');
    // The first inner state is reached from the iteration start, not drawn as an edge from the Map.
    expect(trace.taken.has(transitionKey('Set up services', 'Wait for service setup'))).toBe(false);
    expect(trace.taken.has(transitionKey('Wait for service setup', 'Which service?'))).toBe(true);
    // The Map fails with the iteration's error, and the run with it.
    const map = trace.steps.find((s) => s.name === 'Set up services');
    expect(map).toMatchObject({ status: 'failed', error: 'ValidationError' });
    expect(trace).toMatchObject({ state: 'FAILED', error: 'ValidationError', current: [] });
  });

  it('a completed run: every step succeeded, retries are counted as attempts', () => {
    const trace = traceRun(completedHistory().events);
    expect(trace.state).toBe('SUCCEEDED');
    expect(trace.failedStep).toBeUndefined();
    expect(trace.steps.every((s) => s.status === 'succeeded')).toBe(true);
    const receive = trace.steps[0];
    expect(receive?.attempts.map((a) => a.outcome)).toEqual(['failed', 'succeeded']);
    expect(receive?.attempts[0]?.error).toBe('TransientError');
    expect(trace.visited.has('Provision Webex Meetings')).toBe(true);
    expect(trace.visited.has('Partner organization')).toBe(false);
  });

  it("two services side by side: each iteration's events stay with its own steps, none aborted, one retry where there was one", () => {
    // Prepare: both iterations wait in the same state at once; their events interleave.
    const events = twoServiceHistory().events;
    // Act
    const trace = traceRun(events);
    // Assess
    expect(trace.state).toBe('SUCCEEDED');
    const inMap = trace.steps
      .filter((s) => s.iteration !== undefined)
      .map((s) => [s.iteration, s.name, s.status, s.attempts.map((a) => a.outcome).join(',')]);
    expect(inMap).toEqual([
      [0, 'Wait for service setup', 'succeeded', 'succeeded'],
      [1, 'Wait for service setup', 'succeeded', 'succeeded'],
      [1, 'Which service?', 'succeeded', ''],
      [1, 'Provision Webex Calling', 'succeeded', 'failed,succeeded'],
      [0, 'Which service?', 'succeeded', ''],
      [0, 'Provision Webex Meetings', 'succeeded', 'succeeded'],
    ]);
    // After the Map, one poll of both service jobs.
    const after = trace.steps.filter((s) => s.iteration === undefined).map((s) => s.name);
    expect(after.slice(after.indexOf('Set up services') + 1, after.indexOf('Render order summary'))).toEqual([
      'Wait for services',
      'Check services',
      'Services ready?',
    ]);
    expect(trace.steps.every((s) => s.status === 'succeeded')).toBe(true);
    expect(trace.failedStep).toBeUndefined();
  });

  it("two services, one iteration fails for good: that step failed, the other iteration's open step aborted, each step once", () => {
    const trace = traceRun(twoServiceHistory({ callingFails: true }).events);
    expect(trace).toMatchObject({ state: 'FAILED', error: 'ValidationError', current: [] });
    const inMap = trace.steps
      .filter((s) => s.iteration !== undefined)
      .map((s) => [s.iteration, s.name, s.status, s.attempts.length]);
    expect(inMap).toEqual([
      [0, 'Wait for service setup', 'succeeded', 1],
      [1, 'Wait for service setup', 'succeeded', 1],
      [1, 'Which service?', 'succeeded', 0],
      [1, 'Provision Webex Calling', 'failed', 1],
      [0, 'Which service?', 'succeeded', 0],
      [0, 'Provision Webex Meetings', 'aborted', 1],
    ]);
    expect(trace.failedStep).toMatchObject({ name: 'Provision Webex Calling', iteration: 1 });
    expect(trace.steps.find((s) => s.name === 'Set up services')).toMatchObject({
      status: 'failed',
      error: 'ValidationError',
    });
  });

  it('an expired run ends by design: no failed step', () => {
    const trace = traceRun(expiredHistory().events);
    expect(trace.state).toBe('FAILED');
    expect(trace.error).toBe('OrderExpired');
    expect(trace.failedStep).toBeUndefined();
    const waited = trace.steps.find((s) => s.name === 'Who is this order for');
    expect(waited?.error).toBe('States.Timeout');
    expect(waited?.status).toBe('caught');
  });

  it('after a redrive the run is running again and the new steps are marked with the redrive', () => {
    const b = failedHistory();
    b.redriven(1);
    const trace = traceRun(b.events);
    expect(trace.state).toBe('RUNNING');
    expect(trace.redriveCount).toBe(1);
    expect(trace.failedStep).toBeUndefined();
  });

  it('after a redrive that re-enters the failed state, the run goes on from there', () => {
    const b = failedHistory();
    const choice = b.events.find(
      (e) => e.type === 'ChoiceStateExited' && e.stateExitedEventDetails?.name === 'Partner: map or create?',
    );
    b.redriven(1).task('Map partner organization', { input: {}, prev: choice?.id });
    b.waiting('Customer organization');
    const trace = traceRun(b.events);
    expect(trace.state).toBe('RUNNING');
    expect(trace.current).toEqual(['Customer organization']);
    const mapped = trace.steps.filter((s) => s.name === 'Map partner organization');
    expect(mapped.map((s) => [s.status, s.redrive])).toEqual([
      ['failed', 0],
      ['succeeded', 1],
    ]);
    expect(trace.steps.filter((s) => s.name === 'Receive order')).toHaveLength(1);
  });

  it('after a redrive that schedules the failed task again without entering it, the step reopens', () => {
    const b = failedHistory();
    const entered = b.events.find((e) => e.stateEnteredEventDetails?.name === 'Map partner organization')!;
    b.redriven(1);
    const at = new Date(Date.parse('2026-11-25T12:00:00Z'));
    const push = (type: string, prev: number, extra: object = {}) => {
      const id = b.events.length + 1;
      b.events.push({ id, previousEventId: prev, timestamp: at, type: type as never, ...extra });
      return id;
    };
    const sched = push('TaskScheduled', entered.id!);
    const ok = push('TaskSucceeded', push('TaskStarted', sched), {
      taskSucceededEventDetails: { output: '{}' },
    });
    push('TaskStateExited', ok, {
      stateExitedEventDetails: { name: 'Map partner organization', output: '{}' },
    });
    const trace = traceRun(b.events);
    const mapped = trace.steps.filter((s) => s.name === 'Map partner organization');
    expect(mapped).toHaveLength(1);
    expect(mapped[0]?.attempts.map((a) => a.outcome)).toEqual(['failed', 'succeeded']);
    expect(mapped[0]).toMatchObject({ status: 'succeeded', redrive: 1 });
  });

  it('a cancelled run (aborted) has no failed step; the step it waited in ends with it', () => {
    const trace = traceRun(waitingHistory().abort('OrderCancelled', 'Customer withdrew').events);
    expect(trace).toMatchObject({ state: 'ABORTED', error: 'OrderCancelled', current: [] });
    expect(trace.failedStep).toBeUndefined();
    expect(trace.steps.at(-1)).toMatchObject({ name: 'Partner organization', status: 'aborted' });
  });

  it('works without previousEventId (events in order)', () => {
    const events = waitingHistory().events.map((e) => ({ ...e, previousEventId: undefined }));
    const trace = traceRun(events);
    expect(trace.current).toEqual(['Partner organization']);
    expect(trace.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'running']);
  });
});

describe('redaction', () => {
  it('hides task tokens and setup link ids in any JSON shown', () => {
    const trace = traceRun(waitingHistory().events);
    const params = trace.steps.at(-1)?.parameters;
    expect(params).toContain(TASK_TOKEN);
    const shown = prettyJson(params) ?? '';
    expect(shown).not.toContain(TASK_TOKEN);
    expect(shown).toContain('[redacted]');
    expect(
      prettyJson(JSON.stringify({ url: 'http://x/setup/AbCdEfGhIjKlMnOpQrStUvWxYz012345' })),
    ).not.toContain('AbCdEfGhIjKlMnOpQrStUvWxYz012345');
    expect(prettyJson(JSON.stringify({ Payload: JSON.stringify({ taskToken: 'abc' }) }))).not.toContain(
      'abc',
    );
  });

  it('keeps a Lambda Cause readable', () => {
    expect(readableCause('{"errorType":"X","errorMessage":"boom"}')).toBe('boom');
    expect(readableCause('plain words')).toBe('plain words');
  });
});
