import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JsonValue } from './event-pattern';

// What the local bus keeps: every event put on it (in from the order system or AWS services,
// out from the workflow), the rules it matched and what each target did with it; and the dead
// letters, deliveries that failed every attempt. Both are JSON lines on disk, so `npm start`
// shows the same history after a restart.

export interface Delivery {
  ruleId: string;
  /** The function id, or the log's name. */
  target: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  /** What the target returned (a function's result). */
  result?: JsonValue;
  error?: string;
  /** How long the last attempt ran (a function's duration, for cost models). */
  durationMs?: number;
  at: string;
}

export interface EventRecord {
  /** The id EventBridge gave the event (PutEvents' EventId). */
  eventId: string;
  bus: string;
  /** `out` for the workflow's own domain events, `in` for everything else. */
  direction: 'in' | 'out';
  receivedAt: string;
  orderId?: string;
  source: string;
  detailType: string;
  /** The event as targets receive it. */
  event: Record<string, JsonValue>;
  /** Ids of the rules it matched (none: nothing received it). */
  rules: string[];
  deliveries: Delivery[];
}

export interface DeadLetter {
  eventId: string;
  ruleId: string;
  target: string;
  attempts: number;
  error: string;
  at: string;
  event: Record<string, JsonValue>;
}

type Line = ({ t: 'event' } & EventRecord) | { t: 'delivery'; eventId: string; delivery: Delivery };

function readLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  const out: T[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // A line cut by a crash mid-write: the rest of the log is still good.
    }
  }
  return out;
}

export class EventLog {
  private readonly records: EventRecord[] = [];
  private readonly byId = new Map<string, EventRecord>();
  private readonly deadLetters: DeadLetter[];

  constructor(
    private readonly eventsPath: string,
    private readonly deadLettersPath: string,
  ) {
    mkdirSync(dirname(eventsPath), { recursive: true });
    mkdirSync(dirname(deadLettersPath), { recursive: true });
    for (const line of readLines<Line>(eventsPath)) {
      if (line.t === 'event') {
        const { t: _t, ...record } = line;
        this.records.push(record);
        this.byId.set(record.eventId, record);
      } else {
        const record = this.byId.get(line.eventId);
        if (record) this.setDelivery(record, line.delivery);
      }
    }
    this.deadLetters = readLines<DeadLetter>(deadLettersPath);
  }

  add(record: EventRecord): void {
    this.records.push(record);
    this.byId.set(record.eventId, record);
    appendFileSync(this.eventsPath, `${JSON.stringify({ t: 'event', ...record })}\n`);
  }

  /** Records the latest state of one rule's delivery of an event. */
  deliver(eventId: string, delivery: Delivery): void {
    const record = this.byId.get(eventId);
    if (!record) return;
    this.setDelivery(record, delivery);
    appendFileSync(this.eventsPath, `${JSON.stringify({ t: 'delivery', eventId, delivery })}\n`);
  }

  addDeadLetter(letter: DeadLetter): void {
    this.deadLetters.push(letter);
    appendFileSync(this.deadLettersPath, `${JSON.stringify(letter)}\n`);
  }

  get(eventId: string): EventRecord | undefined {
    return this.byId.get(eventId);
  }

  /** Newest first; only the order's events when `orderId` is given. */
  list(filter: { orderId?: string; limit?: number } = {}): EventRecord[] {
    const out: EventRecord[] = [];
    const limit = filter.limit ?? Number.POSITIVE_INFINITY;
    for (let i = this.records.length - 1; i >= 0 && out.length < limit; i--) {
      const record = this.records[i] as EventRecord;
      if (filter.orderId === undefined || record.orderId === filter.orderId) out.push(record);
    }
    return out;
  }

  listDeadLetters(): DeadLetter[] {
    return [...this.deadLetters].reverse();
  }

  private setDelivery(record: EventRecord, delivery: Delivery): void {
    const at = record.deliveries.findIndex((d) => d.ruleId === delivery.ruleId);
    if (at >= 0) record.deliveries[at] = delivery;
    else record.deliveries.push(delivery);
  }
}
