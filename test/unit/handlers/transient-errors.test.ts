import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as receiveHandler } from '../../../functions/receive-order/handler';
import { handler as requestHandler } from '../../../functions/request-input/handler';
import { createOrder, newOrderRecord } from '../../../functions/shared/adapters/order-repository';
import { resetClients } from '../../../functions/shared/clients';
import { executionInput, placedDetail } from '../../fixtures/orders';
import { lambdaContext } from '../support/lambda-context';
import { captureDomainEvents } from '../support/domain-events';

// The workflow's bus: the steps publish their domain events on it.
const domainEvents = captureDomainEvents();
afterAll(() => domainEvents.restore());

// DynamoDB answering with errors a retry may cure: the steps must fail with TransientError, the
// name the state machine retries with backoff; other refusals keep their own name.

const ddb = mockClient(DynamoDBClient);
beforeAll(() => resetClients());
afterEach(() => ddb.reset());
afterAll(() => ddb.restore());

const throttled = () =>
  Object.assign(new Error('Throughput exceeds the current capacity'), {
    name: 'ProvisionedThroughputExceededException',
    $metadata: { httpStatusCode: 400 },
  });

describe('transient DynamoDB errors', () => {
  it('a throttled write of a new order fails the step with TransientError', async () => {
    ddb.on(PutItemCommand).rejects(throttled());

    await expect(receiveHandler(executionInput(), lambdaContext())).rejects.toMatchObject({
      name: 'TransientError',
      message: expect.stringContaining('ProvisionedThroughputExceededException'),
    });
  });

  it('a 500 from DynamoDB fails the step with TransientError', async () => {
    ddb.on(UpdateItemCommand).rejects(
      Object.assign(new Error('Internal server error'), {
        name: 'InternalServerError',
        $metadata: { httpStatusCode: 500 },
      }),
    );

    await expect(
      requestHandler({ orderId: 'ORD-1', step: 'order-for', taskToken: 't' }, lambdaContext()),
    ).rejects.toMatchObject({ name: 'TransientError' });
  });

  it('a refused conditional write is not transient: a duplicate order is reported, not retried', async () => {
    ddb.on(PutItemCommand).rejects(
      Object.assign(new Error('The conditional request failed'), {
        name: 'ConditionalCheckFailedException',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    expect(await createOrder(newOrderRecord(placedDetail(), '2026-11-25T10:00:00.000Z'))).toBe(false);
  });

  it('an order that is gone when a step runs fails with OrderNotFoundError', async () => {
    // The step's conditional write finds no order; the read that explains why finds none either.
    ddb.on(UpdateItemCommand).rejects(
      Object.assign(new Error('The conditional request failed'), {
        name: 'ConditionalCheckFailedException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    ddb.on(GetItemCommand).resolves({});

    await expect(
      requestHandler({ orderId: 'ORD-GONE', step: 'order-for', taskToken: 't' }, lambdaContext()),
    ).rejects.toMatchObject({ name: 'OrderNotFoundError' });
  });
});
