import { describe, expect, it } from 'vitest';
import { costPerThousandOrders, PRICES, priceLines, type PerOrder } from '../../bench/cost-model';

const zero: PerOrder = {
  stateTransitions: 0,
  lambdaInvocations: 0,
  lambdaSeconds: 0,
  lambdaMemoryGb: 0,
  dynamoWrites: 0,
  dynamoReads: 0,
  emails: 0,
  httpRequests: 0,
  s3Puts: 0,
  s3Gets: 0,
};

function line(result: ReturnType<typeof costPerThousandOrders>, name: string): number {
  const found = result.lines.find(([n]) => n === name);
  if (!found) throw new Error(`no line ${name}`);
  return found[1];
}

describe('cost per 1,000 orders', () => {
  it('prices each count at its list price, times 1,000 orders', () => {
    const result = costPerThousandOrders({
      ...zero,
      stateTransitions: 20,
      lambdaInvocations: 30,
      dynamoWrites: 40,
      dynamoReads: 100,
      emails: 2,
      httpRequests: 18,
      s3Puts: 1,
      s3Gets: 1,
    });
    // 20 transitions × 1,000 orders = 20,000 transitions at $0.025 per 1,000.
    expect(line(result, 'Step Functions (state transitions)')).toBeCloseTo(0.5, 10);
    expect(line(result, 'Lambda requests')).toBeCloseTo(30_000 * 0.2e-6, 10);
    expect(line(result, 'DynamoDB writes')).toBeCloseTo(40_000 * 0.625e-6, 10);
    expect(line(result, 'DynamoDB reads')).toBeCloseTo(100_000 * 0.125e-6, 10);
    expect(line(result, 'SES emails')).toBeCloseTo(0.2, 10);
    expect(line(result, 'HTTP API requests')).toBeCloseTo(0.018, 10);
    expect(line(result, 'EventBridge events')).toBeCloseTo(0.001, 10);
    expect(line(result, 'S3 requests')).toBeCloseTo(0.005 + 0.0004, 10);
  });

  it('totals the lines', () => {
    const result = costPerThousandOrders({ ...zero, stateTransitions: 10, emails: 3, httpRequests: 5 });
    expect(result.total).toBeCloseTo(
      result.lines.reduce((sum, [, v]) => sum + v, 0),
      12,
    );
    expect(result.total).toBeCloseTo(0.25 + 0.3 + 0.005 + 0.001, 10);
  });

  it('computes Lambda compute from seconds × memory, or from measured GB-seconds when given', () => {
    const fromSeconds = costPerThousandOrders({ ...zero, lambdaSeconds: 2, lambdaMemoryGb: 0.5 });
    expect(line(fromSeconds, 'Lambda compute (arm64)')).toBeCloseTo(1000 * 1 * PRICES.lambdaPerGbSecond, 12);
    const measured = costPerThousandOrders({
      ...zero,
      lambdaSeconds: 2,
      lambdaMemoryGb: 0.5,
      lambdaGbSeconds: 3,
    });
    expect(line(measured, 'Lambda compute (arm64)')).toBeCloseTo(1000 * 3 * PRICES.lambdaPerGbSecond, 12);
  });

  it('costs nothing but the order event for an order that does nothing', () => {
    const result = costPerThousandOrders(zero);
    expect(result.total).toBeCloseTo(PRICES.eventBridgePerEvent * 1000, 12);
  });

  it('dates its prices and prints one line per service', () => {
    expect(PRICES.asOf).toMatch(/^\d{4}-\d{2}-\d{2}/);
    const lines = priceLines();
    expect(lines).toHaveLength(8);
    expect(lines.join('\n')).toContain('$0.025 per 1,000 state transitions');
    expect(lines.join('\n')).toContain('$0.10 per 1,000 emails');
  });
});
