import { randomUUID } from 'node:crypto';
import { WORKFLOW_EVENT_SOURCE } from '../../../functions/shared/domain/domain-events.schema';
import { readableCause } from '../../../functions/shared/errors';
import { resolvePattern, type EventRuleSpec, type RuleBus } from '../../event-rules';
import type { DeadLetter, Delivery, EventLog, EventRecord } from './event-log';
import { MAX_EVENT_JSON_DEPTH, nestsDeeperThan } from './json-depth';
import {
  matchesEventPattern,
  validateEventPattern,
  type EventPattern,
  type JsonValue,
} from './event-pattern';

// The local EventBridge: two buses (the workflow's and the default one), the rules of
// infra/event-rules.ts, and PutEvents answered as the service answers it. Matched events go to
// their targets asynchronously, after the PutEvents response, as on AWS: a function target is
// invoked with the event and, when it throws, retried twice with backoff (Lambda's asynchronous
// invocation); a delivery that fails every attempt goes to the dead-letter store.

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';
export const DEFAULT_BUS = 'default';
/** AWS's limit on the entries of one PutEvents request, in bytes. */
export const MAX_PUT_EVENTS_BYTES = 256 * 1024;

export class EventsApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

export interface PutEventsResultEntry {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

export interface PutEventsResult {
  FailedEntryCount: number;
  Entries: PutEventsResultEntry[];
}

export interface LocalEventBusOptions {
  log: EventLog;
  /** The workflow bus's name (its ARN works too). */
  workflowBusName: string;
  rules: readonly EventRuleSpec[];
  /** Values of the `${Name}` placeholders in the rules' patterns. */
  substitutions: Record<string, string>;
  /** Invokes a function of the registry by id with an event; rejects when the function fails. */
  invoke: (functionId: string, event: JsonValue) => Promise<JsonValue>;
  /** Waits before each retry of a failed function target. Default: 1 s, then 2 s. */
  retryDelaysMs?: number[];
}

interface Rule {
  spec: EventRuleSpec;
  pattern: EventPattern;
}

const isObject = (v: unknown): v is Record<string, JsonValue> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function entryError(code: string, message: string): PutEventsResultEntry {
  return { ErrorCode: code, ErrorMessage: message };
}

const required = (field: string) =>
  entryError('InvalidArgument', `Parameter ${field} is not valid. Reason: ${field} is a required argument.`);

/** The order an event is about: its detail's orderId, or the execution name of a Step Functions event. */
export function orderIdOf(event: Record<string, JsonValue>): string | undefined {
  const detail = event.detail;
  if (!isObject(detail)) return undefined;
  if (typeof detail.orderId === 'string') return detail.orderId;
  if (event.source === 'aws.states' && typeof detail.name === 'string') return detail.name;
  return undefined;
}

export class LocalEventBus {
  readonly workflowBusArn: string;
  readonly defaultBusArn = `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-bus/${DEFAULT_BUS}`;
  private readonly rules: Rule[];
  private readonly pending = new Set<Promise<void>>();
  /** Retries waiting for their turn: stopping the bus ends the waits. */
  private readonly waits = new Map<NodeJS.Timeout, () => void>();
  private readonly retryDelaysMs: number[];
  private closed = false;
  /** Entries accepted, by direction, since the start (the bench reports them). */
  readonly counts = { in: 0, out: 0, failedEntries: 0 };

  constructor(private readonly options: LocalEventBusOptions) {
    this.workflowBusArn = `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-bus/${options.workflowBusName}`;
    this.retryDelaysMs = options.retryDelaysMs ?? [1000, 2000];
    this.rules = options.rules.map((spec) => {
      const pattern = resolvePattern(spec.pattern, options.substitutions);
      validateEventPattern(pattern);
      return { spec, pattern };
    });
  }

  get log(): EventLog {
    return this.options.log;
  }

  private busOf(name: unknown): RuleBus | undefined {
    if (
      name === undefined ||
      name === null ||
      name === '' ||
      name === DEFAULT_BUS ||
      name === this.defaultBusArn
    )
      return 'default';
    if (name === this.options.workflowBusName || name === this.workflowBusArn) return 'workflow';
    return undefined;
  }

  /** The PutEvents operation: each entry checked as EventBridge checks it, the accepted ones routed. */
  putEvents(body: Record<string, unknown>): PutEventsResult {
    const entries = body.Entries;
    if (!Array.isArray(entries) || entries.length === 0)
      throw new EventsApiError(
        'ValidationException',
        "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
    if (entries.length > 10)
      throw new EventsApiError(
        'ValidationException',
        "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10",
      );
    const size = entries.reduce<number>((sum, e) => sum + Buffer.byteLength(JSON.stringify(e ?? null)), 0);
    if (size > MAX_PUT_EVENTS_BYTES)
      throw new EventsApiError(
        'ValidationException',
        'Total size of the entries in the request is over the limit.',
      );
    const results = entries.map((entry: unknown) => this.putEntry(entry));
    const failed = results.filter((r) => r.ErrorCode !== undefined).length;
    this.counts.failedEntries += failed;
    return { FailedEntryCount: failed, Entries: results };
  }

  private putEntry(entry: unknown): PutEventsResultEntry {
    if (!isObject(entry)) return entryError('InvalidArgument', 'Each entry is an object.');
    const bus = this.busOf(entry.EventBusName);
    if (!bus)
      return entryError(
        'ResourceNotFoundException',
        `Event bus ${String(entry.EventBusName)} does not exist.`,
      );
    const { Source: source, DetailType: detailType, Detail: detailText } = entry;
    if (typeof source !== 'string' || source === '') return required('Source');
    if (typeof detailType !== 'string' || detailType === '') return required('DetailType');
    if (typeof detailText !== 'string' || detailText === '') return required('Detail');
    if (source.startsWith('aws.'))
      return entryError('NotAuthorizedForSourceException', 'Not authorized for the source.');
    let detail: unknown;
    try {
      detail = JSON.parse(detailText);
    } catch {
      return entryError('MalformedDetail', 'Detail is malformed.');
    }
    if (!isObject(detail)) return entryError('MalformedDetail', 'Detail is malformed.');
    if (nestsDeeperThan(detail, MAX_EVENT_JSON_DEPTH))
      return entryError(
        'MalformedDetail',
        `Detail is malformed: it nests deeper than ${MAX_EVENT_JSON_DEPTH} levels, the most PutEvents processes.`,
      );
    const resources = entry.Resources ?? [];
    if (!Array.isArray(resources) || !resources.every((r) => typeof r === 'string'))
      return entryError(
        'InvalidArgument',
        'Parameter Resources is not valid. Reason: Resources is a list of strings.',
      );
    const time = typeof entry.Time === 'number' ? new Date(entry.Time * 1000) : new Date();
    const event: Record<string, JsonValue> = {
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source,
      account: LOCAL_ACCOUNT,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: LOCAL_REGION,
      resources,
      detail,
    };
    this.route(bus, event);
    return { EventId: event.id as string };
  }

  /** An event sent by an AWS service (Step Functions status changes go to the default bus). */
  publishServiceEvent(event: Record<string, JsonValue>): void {
    this.route('default', event);
  }

  private route(bus: RuleBus, event: Record<string, JsonValue>): void {
    const matched = this.rules.filter((r) => r.spec.bus === bus && matchesEventPattern(r.pattern, event));
    const at = new Date().toISOString();
    const source = String(event.source);
    const record: EventRecord = {
      eventId: String(event.id),
      bus: bus === 'default' ? DEFAULT_BUS : this.options.workflowBusName,
      direction: source === WORKFLOW_EVENT_SOURCE ? 'out' : 'in',
      receivedAt: at,
      orderId: orderIdOf(event),
      source,
      detailType: String(event['detail-type']),
      event,
      rules: matched.map((r) => r.spec.id),
      deliveries: matched.map((r) => ({
        ruleId: r.spec.id,
        target: r.spec.target.kind === 'function' ? r.spec.target.functionId : r.spec.target.name,
        status: r.spec.target.kind === 'log' ? 'delivered' : 'pending',
        attempts: r.spec.target.kind === 'log' ? 1 : 0,
        at,
      })),
    };
    this.counts[record.direction]++;
    this.options.log.add(record);
    for (const rule of matched) {
      const { target } = rule.spec;
      if (target.kind !== 'function') continue;
      const run = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => this.deliver(record, rule.spec.id, target.functionId, 1))
        .finally(() => this.pending.delete(run));
      this.pending.add(run);
    }
  }

  private async deliver(
    record: EventRecord,
    ruleId: string,
    functionId: string,
    attempt: number,
  ): Promise<void> {
    if (this.closed) return;
    const base = { ruleId, target: functionId, attempts: attempt };
    const started = performance.now();
    try {
      const result = await this.options.invoke(functionId, record.event);
      this.options.log.deliver(record.eventId, {
        ...base,
        status: 'delivered',
        result,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        at: new Date().toISOString(),
      });
      return;
    } catch (error) {
      // Lambda reports a function error as its name and a JSON cause; keep the readable message.
      const message = `${(error as Error).name}: ${readableCause((error as Error).message)}`;
      const delay = this.retryDelaysMs[attempt - 1];
      const last = delay === undefined || this.closed;
      const delivery: Delivery = {
        ...base,
        status: last ? 'failed' : 'pending',
        error: message,
        at: new Date().toISOString(),
      };
      this.options.log.deliver(record.eventId, delivery);
      if (last) {
        const letter: DeadLetter = {
          eventId: record.eventId,
          ruleId,
          target: functionId,
          attempts: attempt,
          error: message,
          at: delivery.at,
          event: record.event,
        };
        this.options.log.addDeadLetter(letter);
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waits.delete(timer);
          resolve();
        }, delay);
        this.waits.set(timer, resolve);
      });
      await this.deliver(record, ruleId, functionId, attempt + 1);
    }
  }

  /** Resolves when every delivery started so far has ended (delivered or dead-lettered). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Stops retrying and waits for the invocations in flight. */
  async close(): Promise<void> {
    this.closed = true;
    for (const [timer, resolve] of this.waits) {
      clearTimeout(timer);
      resolve();
    }
    this.waits.clear();
    await Promise.race([
      Promise.allSettled([...this.pending]),
      new Promise((resolve) => setTimeout(resolve, 10_000).unref()),
    ]);
  }

  /** The deliveries of one event, for callers that wait on what their event did. */
  record(eventId: string): EventRecord | undefined {
    return this.options.log.get(eventId);
  }
}
