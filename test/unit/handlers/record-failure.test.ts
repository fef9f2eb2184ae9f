import { TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  failedStateIn,
  handler,
  readableCause,
  recordFailure,
  type ExecutionStatusChange,
} from '../../../functions/record-failure/handler';
import { findOrder, getOrder, listAudit } from '../../../functions/shared/adapters/order-repository';
import { lambdaContext } from '../support/lambda-context';
import { mockMailbox, type Mailbox } from '../support/mailbox';
import { seedOrder } from '../support/seed';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { captureDomainEvents } from '../support/domain-events';

// The workflow's bus: the steps publish their domain events on it.
const domainEvents = captureDomainEvents();
afterAll(() => domainEvents.restore());

let table: LocalTable;
let mailbox: Mailbox;
const sfn = mockClient(SFNClient);
beforeAll(async () => {
  table = await startLocalTable();
  mailbox = mockMailbox();
});
afterEach(() => {
  mailbox.clear();
  sfn.reset();
  domainEvents.reset();
});
afterAll(async () => {
  sfn.restore();
  mailbox.ses.restore();
  await table.stop();
});

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:SubscriptionProvisioning';
const executionArn = (orderId: string) =>
  `arn:aws:states:us-east-1:000000000000:execution:SubscriptionProvisioning:${orderId}`;

/** The Cause Step Functions gives a run that a Lambda error ended. */
const lambdaCause = (message: string, type = 'SiteNameTakenError') =>
  JSON.stringify({
    errorType: type,
    errorMessage: message,
    trace: [`${type}: ${message}`, '    at x.js:1:1'],
  });

/** The event Step Functions sends to the default bus when a run of the state machine ends. */
function statusChange(
  orderId: string,
  detail: Partial<ExecutionStatusChange['detail']> = {},
): ExecutionStatusChange & Record<string, unknown> {
  return {
    version: '0',
    id: 'a3f1c2e4-0000-4000-8000-000000000001',
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '000000000000',
    time: '2026-11-25T13:00:00Z',
    region: 'us-east-1',
    resources: [executionArn(orderId)],
    detail: {
      executionArn: executionArn(orderId),
      stateMachineArn: STATE_MACHINE_ARN,
      name: orderId,
      status: 'FAILED',
      error: 'SiteNameTakenError',
      cause: lambdaCause('acme.webex.com belongs to another order'),
      redriveCount: 0,
      ...detail,
    } as ExecutionStatusChange['detail'],
  };
}

let nextId = 1;
const entered = (name: string, type = 'TaskStateEntered'): HistoryEvent => ({
  id: nextId++,
  type: type as HistoryEvent['type'],
  timestamp: new Date(),
  stateEnteredEventDetails: { name },
});
const exited = (name: string, type = 'TaskStateExited'): HistoryEvent => ({
  id: nextId++,
  type: type as HistoryEvent['type'],
  timestamp: new Date(),
  stateExitedEventDetails: { name },
});
const event = (type: string): HistoryEvent => ({
  id: nextId++,
  type: type as HistoryEvent['type'],
  timestamp: new Date(),
});

/** A run that failed in `failedState`, newest event first, as GetExecutionHistory(reverseOrder) gives it. */
function historyFailingIn(failedState: string): HistoryEvent[] {
  return [
    event('ExecutionFailed'),
    event('LambdaFunctionFailed'),
    event('LambdaFunctionStarted'),
    event('LambdaFunctionScheduled'),
    entered(failedState),
    exited('Partner: map or create?', 'ChoiceStateExited'),
    entered('Partner: map or create?', 'ChoiceStateEntered'),
    exited('Partner organization'),
    entered('Partner organization'),
    event('ExecutionStarted'),
  ];
}

describe('readableCause', () => {
  it('keeps only the message of a Lambda JSON cause', () => {
    expect(readableCause(lambdaCause('acme.webex.com belongs to another order'))).toBe(
      'acme.webex.com belongs to another order',
    );
  });

  it('keeps a plain message as it is, and shows other JSON whole', () => {
    expect(readableCause('States.Timeout')).toBe('States.Timeout');
    expect(readableCause('{"unexpected":true}')).toBe('{"unexpected":true}');
    expect(readableCause({ errorMessage: 'object' })).toBe('{"errorMessage":"object"}');
    expect(readableCause(undefined)).toBe('');
    expect(readableCause(null)).toBe('');
  });
});

describe('failedStateIn', () => {
  it('is the last state the run entered', () => {
    expect(failedStateIn(historyFailingIn('Map partner organization'))).toBe('Map partner organization');
  });

  it('is the failed task inside the Map, not the Map', () => {
    const events = [
      event('ExecutionFailed'),
      event('MapStateFailed'),
      event('MapIterationFailed'),
      event('LambdaFunctionFailed'),
      event('LambdaFunctionScheduled'),
      entered('Provision Webex Meetings'),
      exited('Which service?', 'ChoiceStateExited'),
      entered('Which service?', 'ChoiceStateEntered'),
      event('MapIterationStarted'),
      event('MapStateStarted'),
      entered('Set up services', 'MapStateEntered'),
    ];
    expect(failedStateIn(events)).toBe('Provision Webex Meetings');
  });

  it('follows the failed task back to its own state when a sibling iteration entered another since', () => {
    const at = new Date();
    const events: HistoryEvent[] = [
      { id: 9, previousEventId: 8, type: 'ExecutionFailed', timestamp: at },
      { id: 8, previousEventId: 7, type: 'MapStateFailed', timestamp: at },
      { id: 7, previousEventId: 4, type: 'LambdaFunctionFailed', timestamp: at },
      // The other service's iteration moved on after the Meetings task started.
      {
        id: 6,
        previousEventId: 5,
        type: 'TaskStateEntered',
        timestamp: at,
        stateEnteredEventDetails: { name: 'Wait for service setup' },
      },
      { id: 5, previousEventId: 2, type: 'MapIterationStarted', timestamp: at },
      { id: 4, previousEventId: 3, type: 'LambdaFunctionScheduled', timestamp: at },
      {
        id: 3,
        previousEventId: 2,
        type: 'TaskStateEntered',
        timestamp: at,
        stateEnteredEventDetails: { name: 'Provision Webex Meetings' },
      },
      {
        id: 2,
        previousEventId: 1,
        type: 'MapStateEntered',
        timestamp: at,
        stateEnteredEventDetails: { name: 'Set up services' },
      },
      { id: 1, previousEventId: 0, type: 'ExecutionStarted', timestamp: at },
    ];
    expect(failedStateIn(events)).toBe('Provision Webex Meetings');
  });

  it('finds no state in a history without one', () => {
    expect(failedStateIn([])).toBeUndefined();
    expect(failedStateIn([event('ExecutionAborted'), event('ExecutionStarted')])).toBeUndefined();
  });
});

describe('Record failure', () => {
  it('records on the order the failed step, the error and the readable cause, and tells ops', async () => {
    const orderId = await seedOrder({ status: 'in-progress', currentStep: 'Partner organization' });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: historyFailingIn('Map partner organization') });

    const result = await recordFailure(
      statusChange(orderId, {
        error: 'OrganizationNotFoundError',
        cause: lambdaCause('Organization org-42 does not exist', 'OrganizationNotFoundError'),
      }),
    );

    expect(result).toEqual({
      recorded: true,
      step: 'Map partner organization',
      error: 'OrganizationNotFoundError',
      cause: 'Organization org-42 does not exist',
    });
    // The history of this run, newest first.
    expect(sfn.commandCalls(GetExecutionHistoryCommand).map((c) => c.args[0].input)).toEqual([
      expect.objectContaining({ executionArn: executionArn(orderId), reverseOrder: true }),
    ]);
    const order = await getOrder(orderId);
    expect(order.status).toBe('failed');
    expect(order.failure).toMatchObject({
      step: 'Map partner organization',
      error: 'OrganizationNotFoundError',
      cause: 'Organization org-42 does not exist',
    });
    expect(await listAudit(orderId)).toContainEqual(
      expect.objectContaining({
        actor: 'system',
        action: 'Provisioning failed',
        details: {
          step: 'Map partner organization',
          error: 'OrganizationNotFoundError',
          cause: 'Organization org-42 does not exist',
        },
      }),
    );
    const [email, ...more] = mailbox.sent();
    expect(more).toEqual([]);
    expect(email?.to).toEqual(['ops@example.com']);
    expect(email?.kind).toBe('ops-failure');
    expect(email?.subject).toContain(orderId);
    expect(email?.subject).toContain('Map partner organization');
    expect(email?.text).toContain('Organization org-42 does not exist');
    // Consumers hear of it: one "Order Failed" event, saying where and why.
    expect(domainEvents.published()).toEqual([
      {
        bus: 'provisioning-test-bus',
        detailType: 'Order Failed',
        detail: expect.objectContaining({
          orderId,
          step: 'Map partner organization',
          error: 'OrganizationNotFoundError',
          cause: 'Organization org-42 does not exist',
          attempt: 0,
        }),
      },
    ]);
  });

  it('records once and tells ops once when EventBridge delivers the same event again', async () => {
    const orderId = await seedOrder({ status: 'in-progress' });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: historyFailingIn('Provision Webex Meetings') });
    await recordFailure(statusChange(orderId));

    await recordFailure(statusChange(orderId));

    expect(mailbox.sent()).toHaveLength(1);
    expect((await listAudit(orderId)).filter((e) => e.action === 'Provisioning failed')).toHaveLength(1);
    expect((await getOrder(orderId)).status).toBe('failed');
  });

  it('records again when a redriven run fails again', async () => {
    const orderId = await seedOrder({ status: 'in-progress' });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: historyFailingIn('Provision Webex Meetings') });
    await recordFailure(statusChange(orderId, { redriveCount: 0 }));

    const again = await recordFailure(
      statusChange(orderId, {
        redriveCount: 1,
        error: 'ProvisioningRejectedError',
        cause: lambdaCause('Licence pool exhausted', 'ProvisioningRejectedError'),
      }),
    );

    expect(again).toMatchObject({ recorded: true, error: 'ProvisioningRejectedError' });
    expect((await getOrder(orderId)).failure).toMatchObject({
      step: 'Provision Webex Meetings',
      error: 'ProvisioningRejectedError',
      cause: 'Licence pool exhausted',
    });
    const failures = (await listAudit(orderId)).filter((e) => e.action === 'Provisioning failed');
    expect(failures.map((e) => e.details?.['error'])).toEqual([
      'SiteNameTakenError',
      'ProvisioningRejectedError',
    ]);
    expect(mailbox.sent().map((e) => e.text.includes('Licence pool exhausted'))).toEqual([false, true]);
  });

  it('when GetExecutionHistory fails, it fails whole (nothing recorded, nobody told), and the redelivery records once', async () => {
    const orderId = await seedOrder({ status: 'in-progress', currentStep: 'Wait for service setup' });
    sfn
      .on(GetExecutionHistoryCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} }))
      .resolves({ events: historyFailingIn('Provision Webex Meetings') });

    // EventBridge retries a target that fails: the first delivery must not leave half a record.
    await expect(handler(statusChange(orderId), lambdaContext('RecordFailure'))).rejects.toMatchObject({
      name: 'TransientError',
    });
    expect((await getOrder(orderId)).status).toBe('in-progress');
    expect((await listAudit(orderId)).map((e) => e.action)).not.toContain('Provisioning failed');
    expect(mailbox.sent()).toEqual([]);
    expect(domainEvents.published()).toEqual([]);

    await handler(statusChange(orderId), lambdaContext('RecordFailure'));

    expect((await getOrder(orderId)).failure).toMatchObject({
      step: 'Provision Webex Meetings',
      error: 'SiteNameTakenError',
    });
    expect(mailbox.sent().map((e) => e.to)).toEqual([['ops@example.com']]);
    expect(domainEvents.types()).toEqual(['Order Failed']);
  });

  it('when SES fails, the order is recorded failed and the redelivery tells ops once, with one audit entry', async () => {
    const orderId = await seedOrder({ status: 'in-progress' });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: historyFailingIn('Provision Webex Calling') });
    mailbox.failNext(
      new TooManyRequestsException({
        message: 'Maximum sending rate exceeded',
        $metadata: { httpStatusCode: 429 },
      }),
    );

    await expect(handler(statusChange(orderId), lambdaContext('RecordFailure'))).rejects.toMatchObject({
      name: 'TransientError',
      message: expect.stringContaining('ops-failure email'),
    });
    // What could be written is written; the email waits for the retry (one refused send so far).
    expect((await getOrder(orderId)).status).toBe('failed');
    expect(mailbox.sent()).toHaveLength(1);

    await handler(statusChange(orderId), lambdaContext('RecordFailure'));

    const [, email, ...more] = mailbox.sent();
    expect(more).toEqual([]);
    expect(email?.to).toEqual(['ops@example.com']);
    expect(email?.subject).toContain('Provision Webex Calling');
    expect((await listAudit(orderId)).filter((e) => e.action === 'Provisioning failed')).toHaveLength(1);
    // The event is published again with the same id, so a consumer keeps one.
    const failed = domainEvents.published().filter((e) => e.detailType === 'Order Failed');
    expect(failed).toHaveLength(2);
    expect(new Set(failed.map((e) => e.detail.eventId)).size).toBe(1);
  });

  it('leaves a cancelled order as it is when its run is aborted by the cancellation', async () => {
    const orderId = await seedOrder({ status: 'cancelled' });

    const result = await recordFailure(
      statusChange(orderId, { status: 'ABORTED', error: 'OrderCancelled', cause: 'Customer withdrew' }),
    );

    expect(result).toMatchObject({ recorded: false });
    const order = await getOrder(orderId);
    expect(order.status).toBe('cancelled');
    expect(order.failure).toBeUndefined();
    expect((await listAudit(orderId)).map((e) => e.action)).not.toContain('Provisioning failed');
    expect(mailbox.sent()).toEqual([]);
    expect(domainEvents.published()).toEqual([]);
  });

  it('records a run that timed out, at the state it was in', async () => {
    const orderId = await seedOrder({ status: 'in-progress', currentStep: 'Customer organization' });
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        event('ExecutionTimedOut'),
        event('TaskSubmitted'),
        event('TaskScheduled'),
        entered('Customer organization'),
        event('ExecutionStarted'),
      ],
    });

    await recordFailure(statusChange(orderId, { status: 'TIMED_OUT', error: null, cause: null }));

    const order = await getOrder(orderId);
    expect(order.status).toBe('failed');
    expect(order.failure?.step).toBe('Customer organization');
    expect(order.failure?.error).toMatch(/TIMED_OUT|Timeout/i);
    expect(mailbox.sent().map((e) => e.subject)).toEqual([expect.stringContaining('Customer organization')]);
  });

  it('tells ops about a run whose order was never stored', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({ events: historyFailingIn('Receive order') });

    const result = await recordFailure(
      statusChange('ORD-NEVER-STORED', {
        error: 'ValidationError',
        cause: lambdaCause('Invalid step input: order.contact.email', 'ValidationError'),
      }),
    );

    expect(result).toMatchObject({ recorded: true, step: 'Receive order' });
    expect(await findOrder('ORD-NEVER-STORED')).toBeUndefined();
    const sent = mailbox.sent();
    expect(sent.map((e) => e.to)).toEqual([['ops@example.com']]);
    expect(sent[0]?.text).toContain('Invalid step input: order.contact.email');
  });

  it('the handler takes the EventBridge event as it arrives', async () => {
    const orderId = await seedOrder({ status: 'in-progress' });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: historyFailingIn('Provision Webex Calling') });

    await handler(statusChange(orderId), lambdaContext('RecordFailure'));

    expect((await getOrder(orderId)).failure?.step).toBe('Provision Webex Calling');
  });

  it('the handler rejects an event that is not an execution status change, naming the field', async () => {
    const bad = statusChange('ORD-1') as { detail: Record<string, unknown> };
    delete bad.detail['executionArn'];

    await expect(handler(bad, lambdaContext('RecordFailure'))).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('detail.executionArn'),
    });
    await expect(
      handler({ ...statusChange('ORD-1'), source: 'orders.subscriptions' }, lambdaContext('RecordFailure')),
    ).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('source') });
    expect(mailbox.sent()).toEqual([]);
  });
});
