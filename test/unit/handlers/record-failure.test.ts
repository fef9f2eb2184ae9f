import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler, readableCause, recordFailure } from '../../../functions/record-failure/handler';
import { findOrder, getOrder, listAudit } from '../../../functions/shared/adapters/order-repository';
import { lambdaContext } from '../support/lambda-context';
import { mockMailbox, type Mailbox } from '../support/mailbox';
import { seedOrder } from '../support/seed';
import { startLocalTable, type LocalTable } from '../support/local-table';

let table: LocalTable;
let mailbox: Mailbox;
beforeAll(async () => {
  table = await startLocalTable();
  mailbox = mockMailbox();
});
afterEach(() => mailbox.clear());
afterAll(async () => {
  mailbox.ses.restore();
  await table.stop();
});

/** The Cause Step Functions gives a Lambda error caught by a Catch. */
const lambdaCause = (message: string, type = 'SiteNameTakenError') =>
  JSON.stringify({
    errorType: type,
    errorMessage: message,
    trace: [`${type}: ${message}`, '    at x.js:1:1'],
  });

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
  });
});

describe('Record failure', () => {
  it('records on the order the step, the error and the readable cause, and tells ops', async () => {
    const orderId = await seedOrder({ status: 'in-progress', currentStep: 'Provision Webex Meetings' });

    const result = await recordFailure({
      orderId,
      error: { Error: 'SiteNameTakenError', Cause: lambdaCause('acme.webex.com belongs to another order') },
    });

    expect(result).toEqual({
      step: 'Provision Webex Meetings',
      error: 'SiteNameTakenError',
      cause: 'acme.webex.com belongs to another order',
    });
    const order = await getOrder(orderId);
    expect(order.status).toBe('failed');
    expect(order.failure).toMatchObject(result);
    expect((await listAudit(orderId)).map((e) => e.action)).toContain('Provisioning failed');
    const [email, ...more] = mailbox.sent();
    expect(more).toEqual([]);
    expect(email?.to).toEqual(['ops@example.com']);
    expect(email?.kind).toBe('ops-failure');
    expect(email?.subject).toContain(orderId);
    expect(email?.subject).toContain('Provision Webex Meetings');
    expect(email?.text).toContain('acme.webex.com belongs to another order');
  });

  it('tells ops once and records once when the step runs again', async () => {
    const orderId = await seedOrder({ currentStep: 'Complete order' });
    const input = { orderId, error: { Error: 'EmailRejectedError', Cause: lambdaCause('sandbox', 'x') } };
    await recordFailure(input);

    await recordFailure(input);

    expect(mailbox.sent()).toHaveLength(1);
    expect((await listAudit(orderId)).filter((e) => e.action === 'Provisioning failed')).toHaveLength(1);
  });

  it('tells ops about a run whose order was never stored', async () => {
    const result = await recordFailure({
      orderId: 'ORD-NEVER-STORED',
      error: { Error: 'ValidationError', Cause: 'Invalid step input: order.contact.email' },
    });

    expect(result.step).toBe('Receive order');
    expect(await findOrder('ORD-NEVER-STORED')).toBeUndefined();
    expect(mailbox.sent().map((e) => e.to)).toEqual([['ops@example.com']]);
  });

  it('leaves a cancelled order cancelled', async () => {
    const orderId = await seedOrder({ status: 'cancelled' });

    await recordFailure({ orderId, error: { Error: 'States.Runtime', Cause: 'stopped' } });

    expect((await getOrder(orderId)).status).toBe('cancelled');
  });

  it('the handler rejects an input without the error object, naming the field', async () => {
    await expect(handler({ orderId: 'ORD-1' }, lambdaContext())).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('error'),
    });
  });
});
