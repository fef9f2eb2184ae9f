import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_RULES, resolvePattern } from '../../../infra/event-rules';
import {
  InvalidEventPatternError,
  matchesEventPattern,
  validateEventPattern,
  type EventPattern,
} from '../../../infra/local/events/event-pattern';

// EventBridge's pattern semantics, case by case from the EventBridge user guide's examples
// (event patterns, content filtering, arrays, null and empty values).

const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: [
    'arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0',
    'arn:aws:ec2:us-west-1:123456789012:instance/i-0987654321',
  ],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.123',
    filename: 'dir/image.PNG',
    nothing: null,
    empty: '',
    location: 'us-east-1',
  },
};

const match = (pattern: EventPattern, event: unknown = ec2Event) => {
  validateEventPattern(pattern);
  return matchesEventPattern(pattern, event);
};

describe('event patterns', () => {
  it.each<[string, EventPattern, boolean]>([
    ['exact values, OR within a list', { source: ['aws.ec2', 'aws.s3'] }, true],
    ['AND across fields', { source: ['aws.ec2'], 'detail-type': ['Something else'] }, false],
    ['a nested field', { detail: { state: ['terminated'] } }, true],
    ['a field missing from the event', { detail: { color: ['red'] } }, false],
    ['numbers are values', { detail: { 'c-count': [5] } }, true],
    ['a string is not its number', { detail: { 'c-count': ['5'] } }, false],
    ['null matches null', { detail: { nothing: [null] } }, true],
    ['empty string matches empty string', { detail: { empty: [''] } }, true],
    ['null is not the empty string', { detail: { nothing: [''] } }, false],
    [
      'an array in the event: any element',
      { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-0987654321'] },
      true,
    ],
    ['prefix', { time: [{ prefix: '2017-12-22' }] }, true],
    ['prefix, ignoring case', { detail: { state: [{ prefix: { 'equals-ignore-case': 'TERM' } }] } }, true],
    ['prefix is case-sensitive', { detail: { state: [{ prefix: 'TERM' }] } }, false],
    ['suffix', { detail: { filename: [{ suffix: '.PNG' }] } }, true],
    ['suffix, ignoring case', { detail: { filename: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, true],
    ['equals-ignore-case', { detail: { state: [{ 'equals-ignore-case': 'TERMINATED' }] } }, true],
    ['wildcard', { detail: { filename: [{ wildcard: 'dir/*.PNG' }] } }, true],
    ['wildcard anchors both ends', { detail: { filename: [{ wildcard: 'dir/*.PN' }] } }, false],
    ['wildcard with an escaped star', { detail: { filename: [{ wildcard: 'dir/\\*.PNG' }] } }, false],
    ['anything-but a value', { detail: { state: [{ 'anything-but': 'initializing' }] } }, true],
    ['anything-but the value itself', { detail: { state: [{ 'anything-but': 'terminated' }] } }, false],
    ['anything-but a list of numbers', { detail: { 'c-count': [{ 'anything-but': [1, 2, 5] }] } }, false],
    ['anything-but a prefix', { detail: { location: [{ 'anything-but': { prefix: 'us-' } }] } }, false],
    ['anything-but a suffix', { detail: { filename: [{ 'anything-but': { suffix: '.jpg' } }] } }, true],
    [
      'anything-but ignoring case',
      { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['TERMINATED'] } }] } },
      false,
    ],
    [
      'anything-but a wildcard',
      { detail: { filename: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
      true,
    ],
    ['anything-but never matches a missing field', { detail: { color: [{ 'anything-but': 'red' }] } }, false],
    ['numeric range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, true],
    ['numeric outside the range', { detail: { 'd-count': [{ numeric: ['<', 3] }] } }, false],
    ['numeric equals', { detail: { 'x-limit': [{ numeric: ['=', 301.8] }] } }, true],
    ['numeric never matches a string', { detail: { state: [{ numeric: ['>', 0] }] } }, false],
    ['exists', { detail: { state: [{ exists: true }] } }, true],
    ['exists false on a missing field', { detail: { color: [{ exists: false }] } }, true],
    ['exists false on a present field', { detail: { state: [{ exists: false }] } }, false],
    ['exists on a missing field', { detail: { color: [{ exists: true }] } }, false],
    ['cidr, IPv4', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, true],
    ['cidr, outside the block', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, false],
    [
      '$or across fields',
      { detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { 'd-count': [3] }] } },
      true,
    ],
    ['$or where nothing matches', { detail: { $or: [{ 'c-count': [9] }, { 'd-count': [9] }] } }, false],
  ])('%s', (_, pattern, expected) => {
    expect(match(pattern)).toBe(expected);
  });

  it('matches the fields of one nested pattern within one array element', () => {
    const event = {
      detail: {
        items: [
          { sku: 'a', qty: 1 },
          { sku: 'b', qty: 2 },
        ],
      },
    };
    expect(match({ detail: { items: { sku: ['b'], qty: [2] } } }, event)).toBe(true);
    expect(match({ detail: { items: { sku: ['a'], qty: [2] } } }, event)).toBe(false);
  });

  it('matches IPv6 blocks', () => {
    const event = { ip: '2001:db8::1' };
    expect(match({ ip: [{ cidr: '2001:db8::/32' }] }, event)).toBe(true);
    expect(match({ ip: [{ cidr: '2001:db9::/32' }] }, event)).toBe(false);
  });

  it.each<[string, unknown]>([
    ['not an object', ['aws.ec2']],
    ['an empty pattern', {}],
    ['a leaf that is no list', { source: 'aws.ec2' }],
    ['an empty list', { source: [] }],
    ['an unknown operator', { source: [{ startsWith: 'aws' }] }],
    ['two operators in one object', { source: [{ prefix: 'a', suffix: 'b' }] }],
    ['a numeric operator that does not exist', { n: [{ numeric: ['!=', 1] }] }],
    ['an empty numeric range', { n: [{ numeric: ['>', 5, '<', 1] }] }],
    ['exists with a string', { n: [{ exists: 'yes' }] }],
    ['a bad CIDR block', { ip: [{ cidr: '10.0.0.0/33' }] }],
    ['anything-but a mixed list', { n: [{ 'anything-but': ['a', 1] }] }],
    ['$or with one branch', { $or: [{ a: ['x'] }] }],
    ['consecutive wildcards', { f: [{ wildcard: 'a**b' }] }],
  ])('refuses %s, as PutRule does', (_, pattern) => {
    expect(() => validateEventPattern(pattern)).toThrow(InvalidEventPatternError);
  });
});

describe('the shared table of rules', () => {
  const examples = readdirSync('examples')
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({
      file: f,
      event: JSON.parse(readFileSync(join('examples', f), 'utf8')) as Record<string, unknown>,
    }));
  const rules = EVENT_RULES.map((r) => ({
    ...r,
    pattern: resolvePattern(r.pattern, { StateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:M' }),
  }));

  it('has valid patterns, once its placeholders are filled', () => {
    for (const rule of rules) expect(() => validateEventPattern(rule.pattern)).not.toThrow();
    expect(() => resolvePattern(EVENT_RULES[2]!.pattern, {})).toThrow('No value for ${StateMachineArn}');
  });

  it('routes every example event of examples/ to exactly one function: placed orders to the intake, cancellations to CancelOrder', () => {
    for (const { file, event } of examples) {
      const targets = rules.filter((r) => matchesEventPattern(r.pattern, event)).map((r) => r.target);
      const expected = event['detail-type'] === 'Subscription Order Cancelled' ? 'CancelOrder' : 'Intake';
      expect(targets, file).toEqual([{ kind: 'function', functionId: expected }]);
    }
  });

  it("routes only this state machine's unsuccessful runs to RecordFailure", () => {
    const statusChange = (status: string, stateMachineArn: string) => ({
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      detail: { status, stateMachineArn },
    });
    const failureRule = rules.find((r) => r.id === 'ExecutionFailuresRule')!;
    const ours = 'arn:aws:states:us-east-1:1:stateMachine:M';
    expect(matchesEventPattern(failureRule.pattern, statusChange('FAILED', ours))).toBe(true);
    expect(matchesEventPattern(failureRule.pattern, statusChange('ABORTED', ours))).toBe(true);
    expect(matchesEventPattern(failureRule.pattern, statusChange('SUCCEEDED', ours))).toBe(false);
    expect(matchesEventPattern(failureRule.pattern, statusChange('FAILED', `${ours}Other`))).toBe(false);
  });
});
