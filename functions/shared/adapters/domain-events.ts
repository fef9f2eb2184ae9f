import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { eventBridge } from '../clients/eventbridge';
import { required } from '../config';
import { DOMAIN_EVENTS, WORKFLOW_EVENT_SOURCE, type DomainEvent } from '../domain/domain-events.schema';
import { TransientError } from '../errors';
import { parseOrThrow } from '../middleware';

// The one adapter that publishes the workflow's domain events: PutEvents on the workflow's bus
// (EVENT_BUS_NAME), source `provisioning.workflow`, each detail checked against its schema first.
// A refused entry fails the step, so its retry publishes again, with the same eventId.

/** EventBridge refused an entry for good (a malformed detail, a bus we may not write to). */
export class EventPublishError extends Error {
  override name = 'EventPublishError';
}

const RETRYABLE = new Set(['InternalFailure', 'ThrottlingException']);

export async function publish(...events: DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  const bus = required('EVENT_BUS_NAME');
  const entries = events.map((event) => ({
    EventBusName: bus,
    Source: WORKFLOW_EVENT_SOURCE,
    DetailType: event.detailType,
    Detail: JSON.stringify(
      parseOrThrow(DOMAIN_EVENTS[event.detailType], event.detail, `"${event.detailType}" event`),
    ),
  }));
  const res = await eventBridge().send(new PutEventsCommand({ Entries: entries }));
  if (!res.FailedEntryCount) return;
  const failures = (res.Entries ?? [])
    .map((entry, i) => ({ entry, type: entries[i]?.DetailType }))
    .filter(({ entry }) => entry.ErrorCode !== undefined);
  const text = failures
    .map(({ entry, type }) => `${type}: ${entry.ErrorCode} ${entry.ErrorMessage ?? ''}`)
    .join('; ');
  if (failures.every(({ entry }) => RETRYABLE.has(entry.ErrorCode ?? ''))) throw new TransientError(text);
  throw new EventPublishError(`EventBridge refused ${failures.length} event(s): ${text}`);
}
