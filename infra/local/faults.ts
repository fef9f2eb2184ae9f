import { randomUUID } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

// Fault injection for the embedded runtime, as AWS Fault Injection Service does for AWS:
// `npm start -- --faults dynamodb=0.1,ses=0.05,s3=0.05 --outage dynamodb=3s@after:claim` (or the
// FAULTS / OUTAGE variables). Faults are injected at the emulator boundary, never in product
// code: a small HTTP front listens where the service is advertised and forwards to the emulator,
// answering a share of the AWS API requests (the signed ones: an Authorization header) with that
// service's own retryable errors, in the shape the real service sends them, so the SDK retries
// them as it would on AWS.

export const FAULT_SERVICES = ['dynamodb', 'ses', 's3', 'webex', 'events'] as const;
export type FaultService = (typeof FAULT_SERVICES)[number];

/** When an outage starts: a time after the runtime started, or right after a named moment. */
export type OutageTrigger = { kind: 'at'; afterMs: number } | { kind: 'after'; moment: OutageMoment };
/** `claim`: a setup page claimed a waiting step (the conditional write that moves it to submitted). */
export const OUTAGE_MOMENTS = ['claim'] as const;
export type OutageMoment = (typeof OUTAGE_MOMENTS)[number];

export interface Outage {
  service: FaultService;
  durationMs: number;
  trigger: OutageTrigger;
}

export interface FaultConfig {
  /** Share (0–1) of a service's requests answered with one of its retryable errors. */
  rates: Partial<Record<FaultService, number>>;
  outages: Outage[];
  /**
   * Makes the draws repeatable (tests): each service draws from its own stream of this seed
   * (seededRandom), so its n-th request is answered the same way on every run. Default: Math.random.
   */
  seed?: number;
}

export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
}

export const NO_FAULTS: FaultConfig = { rates: {}, outages: [] };

function serviceOf(raw: string, spec: string): FaultService {
  const service = FAULT_SERVICES.find((s) => s === raw.trim().toLowerCase());
  if (!service) {
    throw new FaultSpecError(
      `Unknown service "${raw}" in "${spec}": use one of ${FAULT_SERVICES.join(', ')}`,
    );
  }
  return service;
}

function durationMs(raw: string, spec: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(raw.trim());
  if (!m) throw new FaultSpecError(`"${raw}" in "${spec}" is not a duration (e.g. 3s, 500ms, 1m)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(unit === 'ms' ? n : unit === 'm' ? n * 60_000 : n * 1000);
}

function entries(spec: string): [string, string][] {
  return spec
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq <= 0) throw new FaultSpecError(`"${part}" is not service=value (e.g. dynamodb=0.1)`);
      return [part.slice(0, eq), part.slice(eq + 1)];
    });
}

/**
 * Parses `dynamodb=0.1,ses=0.05,s3=0.05,webex=0.1` (shares between 0 and 1; `10%` also works)
 * and, optionally, outages `dynamodb=3s@after:claim,s3=2s@30s` (for 3 s right after the first
 * claim; for 2 s starting 30 s after start). Throws FaultSpecError naming what is wrong.
 */
export function parseFaults(spec: string, outageSpec = ''): FaultConfig {
  const rates: FaultConfig['rates'] = {};
  for (const [rawService, rawRate] of entries(spec)) {
    const service = serviceOf(rawService, spec);
    const percent = rawRate.trim().endsWith('%');
    const n = Number(percent ? rawRate.trim().slice(0, -1) : rawRate.trim());
    const rate = percent ? n / 100 : n;
    if (rawRate.trim() === '' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
      throw new FaultSpecError(
        `The fault rate for ${service} must be a share between 0 and 1 (or a percentage), not "${rawRate}"`,
      );
    }
    rates[service] = rate;
  }
  const outages: Outage[] = [];
  for (const [rawService, rawValue] of entries(outageSpec)) {
    const service = serviceOf(rawService, outageSpec);
    const [rawDuration = '', rawTrigger] = rawValue.split('@');
    const duration = durationMs(rawDuration, outageSpec);
    if (duration <= 0) throw new FaultSpecError(`An outage must last longer than 0 ("${rawValue}")`);
    let trigger: OutageTrigger;
    if (rawTrigger === undefined || rawTrigger.trim() === '') trigger = { kind: 'at', afterMs: 0 };
    else if (rawTrigger.startsWith('after:')) {
      const moment = OUTAGE_MOMENTS.find((m) => m === rawTrigger.slice('after:'.length).trim());
      if (!moment) {
        throw new FaultSpecError(
          `Unknown moment "${rawTrigger}" in "${outageSpec}": use after:${OUTAGE_MOMENTS.join(', after:')} or a time (e.g. 30s)`,
        );
      }
      if (service !== 'dynamodb' && moment === 'claim') {
        throw new FaultSpecError(`after:claim is a DynamoDB moment; ${service}=${rawValue} cannot use it`);
      }
      trigger = { kind: 'after', moment };
    } else trigger = { kind: 'at', afterMs: durationMs(rawTrigger, outageSpec) };
    outages.push({ service, durationMs: duration, trigger });
  }
  return { rates, outages };
}

/** Faults from the environment: FAULTS and OUTAGE, the same shapes as the flags. */
export function faultsFromEnv(env: NodeJS.ProcessEnv = process.env): FaultConfig {
  return parseFaults(env.FAULTS ?? '', env.OUTAGE ?? '');
}

/**
 * A repeatable source of numbers in [0, 1) (mulberry32): one stream per seed and name, so each
 * service's draws do not depend on how many requests the others got.
 */
export function seededRandom(seed: number, stream = ''): () => number {
  let state = seed >>> 0;
  for (let i = 0; i < stream.length; i++) state = Math.imul(state ^ stream.charCodeAt(i), 2654435761) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hasFaults(config: FaultConfig): boolean {
  return Object.values(config.rates).some((r) => r > 0) || config.outages.length > 0;
}

/** One line for the banner, e.g. "dynamodb 10%, ses 5%; outage dynamodb 3s after the first claim". */
export function describeFaults(config: FaultConfig): string {
  const rates = Object.entries(config.rates)
    .filter(([, r]) => r > 0)
    .map(([s, r]) => `${s} ${Math.round(r * 1000) / 10}%`);
  const outages = config.outages.map(
    (o) =>
      `outage ${o.service} ${o.durationMs / 1000}s ${
        o.trigger.kind === 'after'
          ? `after the first ${o.trigger.moment}`
          : `at ${o.trigger.afterMs / 1000}s after start`
      }`,
  );
  return [rates.join(', '), outages.join(', ')].filter((s) => s.length > 0).join('; ');
}

// ---------------------------------------------------------------------------------------------
// The errors each service answers with, in its own wire shape.

interface FaultReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The error's name, for counting. */
  code: string;
}

function dynamodbError(code: string, status: number, message: string): FaultReply {
  return {
    status,
    code,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${code}`, message }),
  };
}

function s3Error(code: string, status: number, message: string): FaultReply {
  const id = randomUUID();
  return {
    status,
    code,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': id },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${id}</RequestId></Error>`,
  };
}

function restJsonError(code: string, status: number, message: string): FaultReply {
  return {
    status,
    code,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': code,
      'x-amzn-requestid': randomUUID(),
    },
    body: JSON.stringify({ message }),
  };
}

/** The retryable errors a service answers with now and then. */
const FAULTS: Record<FaultService, (() => FaultReply)[]> = {
  dynamodb: [
    () => dynamodbError('ThrottlingException', 400, 'Rate of requests exceeds the allowed throughput.'),
    () =>
      dynamodbError(
        'ProvisionedThroughputExceededException',
        400,
        'The level of configured provisioned throughput for the table was exceeded.',
      ),
    () => dynamodbError('InternalServerError', 500, 'Internal server error'),
  ],
  ses: [() => restJsonError('TooManyRequestsException', 429, 'Too many requests.')],
  s3: [
    () => s3Error('SlowDown', 503, 'Please reduce your request rate.'),
    () => s3Error('ServiceUnavailable', 503, 'Service is unable to handle request.'),
  ],
  webex: [() => restJsonError('TooManyRequests', 429, 'Too many requests.')],
  events: [() => restJsonError('ThrottlingException', 400, 'Rate exceeded')],
};

/** What a service answers during an outage. */
const OUTAGE: Record<FaultService, () => FaultReply> = {
  dynamodb: () => dynamodbError('InternalServerError', 500, 'Internal server error'),
  ses: () => restJsonError('ServiceUnavailable', 503, 'Service unavailable.'),
  s3: () => s3Error('ServiceUnavailable', 503, 'Service is unable to handle request.'),
  webex: () => restJsonError('ServiceUnavailable', 503, 'Service unavailable.'),
  events: () => restJsonError('InternalException', 500, 'Internal service error'),
};

// ---------------------------------------------------------------------------------------------
// The front: listens where the service is advertised, forwards to the emulator.

export interface FaultStats {
  /** Requests that reached the front. */
  requests: number;
  /** Requests answered with an injected error, by error name. */
  injected: Record<string, number>;
  /** Requests refused during an outage. */
  outage: number;
}

export interface FaultFront {
  url: string;
  server: Server;
  stats(): FaultStats;
  /** Starts an outage now, for `ms` milliseconds. */
  outageFor(ms: number): void;
  /** Ends an outage now. */
  endOutage(): void;
  /** Whether an outage is going on. */
  inOutage(): boolean;
  close(): Promise<void>;
}

export interface FaultFrontOptions {
  service: FaultService;
  /** The emulator's URL (http://host:port). */
  target: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  rate?: number;
  outages?: Outage[];
  /** For tests: a deterministic source of randomness. */
  random?: () => number;
}

/**
 * Is this the answer to the claim of a waiting step (an UpdateItem that left a step submitted with
 * its lease, step-store.ts `claimStep`)? A step is an attribute of its order's item.
 */
function isClaim(req: IncomingMessage, status: number, request: Buffer, answer: Buffer): boolean {
  if (status !== 200 || !String(req.headers['x-amz-target'] ?? '').endsWith('.UpdateItem')) return false;
  try {
    const sent = JSON.parse(request.toString('utf8')) as { UpdateExpression?: string };
    if (!/submittedBy = /.test(sent.UpdateExpression ?? '')) return false;
    const out = JSON.parse(answer.toString('utf8')) as {
      Attributes?: Record<string, { M?: { status?: { S?: string }; claimedUntil?: unknown } }>;
    };
    return Object.entries(out.Attributes ?? {}).some(
      ([name, value]) =>
        name.startsWith('step:') && value.M?.status?.S === 'submitted' && value.M.claimedUntil !== undefined,
    );
  } catch {
    return false;
  }
}

function isApiRequest(req: IncomingMessage): boolean {
  return typeof req.headers.authorization === 'string' && req.headers.authorization.length > 0;
}

function reply(res: ServerResponse, fault: FaultReply): void {
  const body = Buffer.from(fault.body);
  res.writeHead(fault.status, { ...fault.headers, 'content-length': String(body.length) });
  res.end(body);
}

export async function startFaultFront(options: FaultFrontOptions): Promise<FaultFront> {
  const random = options.random ?? Math.random;
  const rate = options.rate ?? 0;
  const outages = (options.outages ?? []).filter((o) => o.service === options.service);
  const target = new URL(options.target);
  const stats: FaultStats = { requests: 0, injected: {}, outage: 0 };
  let outageUntil = 0;
  const timers: NodeJS.Timeout[] = [];
  const waitingFor = new Set(outages.filter((o) => o.trigger.kind === 'after'));
  const outageFor = (ms: number) => {
    outageUntil = Math.max(outageUntil, Date.now() + ms);
  };
  for (const o of outages) {
    if (o.trigger.kind !== 'at') continue;
    const start = () => outageFor(o.durationMs);
    if (o.trigger.afterMs <= 0) start();
    else timers.push(setTimeout(start, o.trigger.afterMs).unref());
  }
  const inOutage = () => Date.now() < outageUntil;

  const server = createServer((req, res) => {
    stats.requests++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (isApiRequest(req)) {
        if (inOutage()) {
          stats.outage++;
          reply(res, OUTAGE[options.service]());
          return;
        }
        const choices = FAULTS[options.service];
        if (rate > 0 && random() < rate) {
          const pick = choices[Math.floor(random() * choices.length) % choices.length];
          if (pick) {
            const fault = pick();
            stats.injected[fault.code] = (stats.injected[fault.code] ?? 0) + 1;
            reply(res, fault);
            return;
          }
        }
      }
      const headers = { ...req.headers, host: target.host };
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers,
        },
        (answer) => {
          const status = answer.statusCode ?? 502;
          const claims = [...waitingFor].filter(
            (o) => o.trigger.kind === 'after' && o.trigger.moment === 'claim',
          );
          if (claims.length === 0 || !String(req.headers['x-amz-target'] ?? '').endsWith('.UpdateItem')) {
            res.writeHead(status, answer.headers);
            answer.pipe(res);
            return;
          }
          // Watching for a claim: read the answer, pass it on, and start the outage right after it.
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const out = Buffer.concat(parts);
            res.writeHead(status, answer.headers);
            res.end(out);
            if (!isClaim(req, status, body, out)) return;
            for (const o of claims) {
              waitingFor.delete(o);
              outageFor(o.durationMs);
            }
          });
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) reply(res, OUTAGE[options.service]());
        else res.destroy();
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    server,
    stats: () => ({ ...stats, injected: { ...stats.injected } }),
    outageFor,
    endOutage: () => {
      outageUntil = 0;
    },
    inOutage,
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Total injected errors and outage refusals of a front's stats: each is one retry for someone. */
export function faultCount(stats: FaultStats): number {
  return Object.values(stats.injected).reduce((a, b) => a + b, 0) + stats.outage;
}
