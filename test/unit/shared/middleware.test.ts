import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { OrderNotFoundError, TransientError, ValidationError } from '../../../functions/shared/errors';
import { classifyError, isTransient, parseOrThrow, stepHandler } from '../../../functions/shared/middleware';
import { lambdaContext } from '../support/lambda-context';

const schema = z.object({ orderId: z.string().min(1), quantity: z.number().int() });

/** An AWS SDK service error as the SDK builds it. */
function sdkError(name: string, status: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), {
    name,
    $metadata: { httpStatusCode: status },
    ...extra,
  });
}

describe('parseOrThrow', () => {
  it('returns the parsed value', () => {
    expect(parseOrThrow(schema, { orderId: 'O-1', quantity: 2 }, 'input')).toEqual({
      orderId: 'O-1',
      quantity: 2,
    });
  });

  it('throws a ValidationError naming every bad field', () => {
    let caught: unknown;
    try {
      parseOrThrow(schema, { orderId: '', quantity: 'two' }, 'step input');
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ValidationError);
    const error = caught as ValidationError;
    expect(error.name).toBe('ValidationError');
    expect(error.message).toMatch(/^Invalid step input: /);
    expect(error.message).toContain('orderId');
    expect(error.message).toContain('quantity');
    expect(error.issues.map((i) => i.path)).toEqual(['orderId', 'quantity']);
  });

  it('names the root when the value is not an object', () => {
    expect(() => parseOrThrow(schema, null, 'input')).toThrow(/\(root\)/);
  });
});

describe('classifyError', () => {
  it.each([
    ['throttling', sdkError('ThrottlingException', 400)],
    ['exceeded throughput', sdkError('ProvisionedThroughputExceededException', 400)],
    ['a 5xx answer', sdkError('SomethingBroke', 503)],
    ['an SDK-retryable error', sdkError('Whatever', 400, { $retryable: { throttling: false } })],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
  ])('turns %s into a TransientError keeping the cause', (_what, error) => {
    const classified = classifyError(error);

    expect(classified).toBeInstanceOf(TransientError);
    expect(classified.name).toBe('TransientError');
    expect(classified.message).toContain(error.message);
    expect(classified.cause).toBe(error);
  });

  it('keeps other errors with their own name', () => {
    const notFound = new OrderNotFoundError('Order X does not exist');
    const conditional = sdkError('ConditionalCheckFailedException', 400);

    expect(classifyError(notFound)).toBe(notFound);
    expect(classifyError(conditional).name).toBe('ConditionalCheckFailedException');
    expect(isTransient(conditional)).toBe(false);
  });

  it('wraps a thrown non-error in an Error', () => {
    const classified = classifyError('boom');

    expect(classified).toBeInstanceOf(Error);
    expect(classified.message).toBe('boom');
  });
});

describe('stepHandler', () => {
  const handler = stepHandler(schema, async (input) => ({ doubled: input.quantity * 2 }));

  it('runs the step on a valid input', async () => {
    await expect(handler({ orderId: 'O-1', quantity: 21 }, lambdaContext())).resolves.toEqual({
      doubled: 42,
    });
  });

  it('rejects a bad input with a ValidationError naming the field', async () => {
    await expect(handler({ orderId: 'O-1', quantity: 1.5 }, lambdaContext())).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('quantity'),
    });
  });

  it('turns a transient failure of the step into a TransientError', async () => {
    const failing = stepHandler(schema, async () => {
      throw sdkError('ThrottlingException', 400);
    });

    await expect(failing({ orderId: 'O-1', quantity: 1 }, lambdaContext())).rejects.toMatchObject({
      name: 'TransientError',
    });
  });
});
