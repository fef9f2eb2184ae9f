import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { DeadLetter, EventRecord } from './event-log';

// How the order system's events reach the embedded runtime: PutEvents with the AWS SDK against the
// local EventBridge endpoint, then (locally only) a wait for what the rule's target did with the
// event. Used by `npm run order`, the integration tests and the bench, so all of them take the
// path an order system takes.

export interface EventEndpoint {
  /** The local EventBridge endpoint URL. */
  url: string;
  /** The workflow's bus name. */
  busName: string;
}

/** A PutEvents entry carrying an EventBridge event as the order system would send it. */
export function entryFor(event: unknown, busName: string): PutEventsRequestEntry {
  const e = (typeof event === 'object' && event !== null && !Array.isArray(event) ? event : {}) as Record<
    string,
    unknown
  >;
  const time = typeof e.time === 'string' && !Number.isNaN(Date.parse(e.time)) ? new Date(e.time) : undefined;
  return {
    EventBusName: busName,
    Source: typeof e.source === 'string' ? e.source : undefined,
    DetailType: typeof e['detail-type'] === 'string' ? e['detail-type'] : undefined,
    Detail: e.detail === undefined ? undefined : JSON.stringify(e.detail),
    Resources: Array.isArray(e.resources) ? e.resources.map(String) : undefined,
    Time: time,
  };
}

const clients = new Map<string, EventBridgeClient>();

/** One SDK client per endpoint, kept for the process (the bench sends many). */
export function eventBridgeClient(url: string): EventBridgeClient {
  let client = clients.get(url);
  if (!client) {
    client = new EventBridgeClient({
      region: 'us-east-1',
      endpoint: url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    clients.set(url, client);
  }
  return client;
}

export function closeEventBridgeClients(): void {
  for (const client of clients.values()) client.destroy();
  clients.clear();
}

export type PutOutcome = { eventId: string } | { errorCode: string; errorMessage: string };

/** Puts one event on the bus; the answer for its entry (EventId, or ErrorCode and ErrorMessage). */
export async function putEvent(endpoint: EventEndpoint, event: unknown): Promise<PutOutcome> {
  const res = await eventBridgeClient(endpoint.url).send(
    new PutEventsCommand({ Entries: [entryFor(event, endpoint.busName)] }),
  );
  const [entry] = res.Entries ?? [];
  if (entry?.EventId) return { eventId: entry.EventId };
  return {
    errorCode: entry?.ErrorCode ?? 'Unknown',
    errorMessage: entry?.ErrorMessage ?? 'No answer for the entry',
  };
}

/** The local bus's record of an event: the rules it matched and each target's result. */
export async function eventRecord(url: string, eventId: string): Promise<EventRecord | undefined> {
  const res = await fetch(`${url}/local/events/${encodeURIComponent(eventId)}`);
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`The local EventBridge answered ${res.status}`);
  return (await res.json()) as EventRecord;
}

/** Events the local bus kept, newest first; one order's with `orderId`. */
export async function listEvents(url: string, orderId?: string): Promise<EventRecord[]> {
  const res = await fetch(`${url}/local/events${orderId ? `?orderId=${encodeURIComponent(orderId)}` : ''}`);
  if (!res.ok) throw new Error(`The local EventBridge answered ${res.status}`);
  return ((await res.json()) as { events: EventRecord[] }).events;
}

export class DeliveryTimeoutError extends Error {
  override name = 'DeliveryTimeoutError';
}

/** Waits until every target of the event has its result (delivered or failed for good). */
export async function waitForDeliveries(
  url: string,
  eventId: string,
  timeoutMs = 60_000,
): Promise<EventRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = await eventRecord(url, eventId);
    if (record && record.deliveries.every((d) => d.status !== 'pending')) return record;
    if (Date.now() > deadline)
      throw new DeliveryTimeoutError(
        `Event ${eventId} was not delivered within ${Math.round(timeoutMs / 1000)} s`,
      );
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Deliveries that failed every attempt, newest first. */
export async function deadLetters(url: string): Promise<DeadLetter[]> {
  const res = await fetch(`${url}/local/dead-letters`);
  if (!res.ok) throw new Error(`The local EventBridge answered ${res.status}`);
  return ((await res.json()) as { deadLetters: DeadLetter[] }).deadLetters;
}
