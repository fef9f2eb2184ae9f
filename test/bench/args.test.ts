import { describe, expect, it } from 'vitest';
import { ArgsError, DEFAULT_ARGS, parseBenchArgs } from '../../bench/args';

describe('npm run bench arguments', () => {
  it('defaults to 200 orders, 20 at a time, a private runtime, the mixed scenario', () => {
    expect(parseBenchArgs([])).toEqual(DEFAULT_ARGS);
    expect(DEFAULT_ARGS).toMatchObject({ orders: 200, concurrency: 20, attach: false, scenario: 'mix' });
  });

  it('reads --orders and --concurrency as separate or inline values, and the short forms', () => {
    expect(parseBenchArgs(['--orders', '1000', '--concurrency', '50'])).toMatchObject({
      orders: 1000,
      concurrency: 50,
    });
    expect(parseBenchArgs(['--orders=5', '--concurrency=2'])).toMatchObject({ orders: 5, concurrency: 2 });
    expect(parseBenchArgs(['-n', '7', '-c', '3'])).toMatchObject({ orders: 7, concurrency: 3 });
  });

  it('reads --attach, --data-dir, --scenario, --bundles and --help', () => {
    expect(parseBenchArgs(['--bundles']).bundles).toBe(true);
    expect(parseBenchArgs(['--attach', '--data-dir', '/tmp/rt'])).toMatchObject({
      attach: true,
      dataDir: '/tmp/rt',
    });
    expect(parseBenchArgs(['--scenario', 'my-company']).scenario).toBe('my-company');
    expect(parseBenchArgs(['--help']).help).toBe(true);
    expect(parseBenchArgs(['-h']).help).toBe(true);
  });

  it('reads --faults with the parser of npm start (shares or percentages per service)', () => {
    expect(parseBenchArgs(['--faults', 'dynamodb=0.1,ses=0.05,s3=5%,webex=0.1']).faults).toEqual({
      rates: { dynamodb: 0.1, ses: 0.05, s3: 0.05, webex: 0.1 },
      outages: [],
    });
    expect(parseBenchArgs(['--faults=ses=0.2']).faults?.rates).toEqual({ ses: 0.2 });
    expect(parseBenchArgs([]).faults).toBeUndefined();
  });

  it('reads --orgs: a directory of N generated organizations first (none by default)', () => {
    expect(parseBenchArgs([]).orgs).toBe(0);
    expect(parseBenchArgs(['--orgs', '100000']).orgs).toBe(100_000);
    expect(parseBenchArgs(['--orgs=20']).orgs).toBe(20);
  });

  it.each([
    [['--orgs', 'many'], /--orgs needs a whole number/],
    [['--attach', '--orgs', '10'], /npm run orgs -- import/],
    [['--faults'], /--faults needs a spec/],
    [['--faults', 'dynamo=0.1'], /--faults: Unknown service "dynamo"/],
    [['--faults', 'dynamodb=2'], /--faults: The fault rate for dynamodb must be a share between 0 and 1/],
    [['--faults', 'dynamodb=0'], /injects nothing/],
    [['--attach', '--faults', 'dynamodb=0.1'], /npm start -- --faults/],
    [['--orders'], /--orders needs a whole number/],
    [['--orders', 'ten'], /--orders needs a whole number, got ten/],
    [['--orders', '-5'], /--orders needs a whole number/],
    [['--orders', '0'], /--orders/],
    [['--concurrency', '1.5'], /--concurrency needs a whole number/],
    [['--concurrency', '0'], /--concurrency/],
    [['--scenario', 'nope'], /--scenario must be one of mix, partner-new, my-company/],
    [['--data-dir', '/tmp/rt'], /only used with --attach/],
    [['--frobnicate'], /Unknown argument: --frobnicate/],
    [['200'], /Unknown argument: 200/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(ArgsError);
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});
