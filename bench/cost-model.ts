// AWS cost per 1,000 orders from counts measured per order. Public on-demand list prices for
// us-east-1 as published on the AWS pricing pages (last changes: DynamoDB on-demand 2024-11-01,
// the others unchanged since); printed with the results so a reader can check them.

export const PRICES = {
  asOf: '2024-11-01 (us-east-1 public list prices)',
  stepFunctionsPerTransition: 0.025 / 1000,
  lambdaPerRequest: 0.2 / 1_000_000,
  /** arm64, per GB-second. */
  lambdaPerGbSecond: 0.0000133334,
  dynamoPerWriteRequestUnit: 0.625 / 1_000_000,
  dynamoPerReadRequestUnit: 0.125 / 1_000_000,
  sesPerEmail: 0.1 / 1000,
  httpApiPerRequest: 1.0 / 1_000_000,
  eventBridgePerEvent: 1.0 / 1_000_000,
  s3PerPut: 0.005 / 1000,
  s3PerGet: 0.0004 / 1000,
} as const;

export interface PerOrder {
  stateTransitions: number;
  lambdaInvocations: number;
  /** Sum of in-process handler durations, seconds. */
  lambdaSeconds: number;
  lambdaMemoryGb: number;
  /** Measured GB-seconds (each function's duration × its memory); used instead of seconds × memory when given. */
  lambdaGbSeconds?: number;
  dynamoWrites: number;
  dynamoReads: number;
  emails: number;
  httpRequests: number;
  s3Puts: number;
  s3Gets: number;
}

/** The prices as printable lines (unit price and what it is for). */
export function priceLines(): string[] {
  const p = PRICES;
  return [
    `Step Functions Standard  $${(p.stepFunctionsPerTransition * 1000).toFixed(3)} per 1,000 state transitions`,
    `Lambda requests          $${(p.lambdaPerRequest * 1e6).toFixed(2)} per 1M requests`,
    `Lambda compute (arm64)   $${p.lambdaPerGbSecond.toFixed(10)} per GB-second`,
    `DynamoDB on-demand       $${(p.dynamoPerWriteRequestUnit * 1e6).toFixed(3)} per 1M write request units, $${(p.dynamoPerReadRequestUnit * 1e6).toFixed(3)} per 1M read request units`,
    `SES                      $${(p.sesPerEmail * 1000).toFixed(2)} per 1,000 emails`,
    `API Gateway HTTP API     $${(p.httpApiPerRequest * 1e6).toFixed(2)} per 1M requests`,
    `EventBridge custom bus   $${(p.eventBridgePerEvent * 1e6).toFixed(2)} per 1M events`,
    `S3 Standard              $${(p.s3PerPut * 1000).toFixed(4)} per 1,000 PUT, $${(p.s3PerGet * 1000).toFixed(4)} per 1,000 GET`,
  ];
}

export function costPerThousandOrders(m: PerOrder): { total: number; lines: [string, number][] } {
  const p = PRICES;
  const lines: [string, number][] = [
    ['Step Functions (state transitions)', m.stateTransitions * p.stepFunctionsPerTransition],
    ['Lambda requests', m.lambdaInvocations * p.lambdaPerRequest],
    [
      'Lambda compute (arm64)',
      (m.lambdaGbSeconds ?? m.lambdaSeconds * m.lambdaMemoryGb) * p.lambdaPerGbSecond,
    ],
    ['DynamoDB writes', m.dynamoWrites * p.dynamoPerWriteRequestUnit],
    ['DynamoDB reads', m.dynamoReads * p.dynamoPerReadRequestUnit],
    ['SES emails', m.emails * p.sesPerEmail],
    ['HTTP API requests', m.httpRequests * p.httpApiPerRequest],
    ['EventBridge events', 1 * p.eventBridgePerEvent],
    ['S3 requests', m.s3Puts * p.s3PerPut + m.s3Gets * p.s3PerGet],
  ].map(([name, perOrder]) => [name as string, (perOrder as number) * 1000]);
  return { total: lines.reduce((sum, [, v]) => sum + v, 0), lines };
}
