import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { DOMAIN_EVENTS, WORKFLOW_EVENT_SOURCE } from '../../../functions/shared/domain/domain-events.schema';

// The workflow's bus for unit tests: PutEvents is accepted and every entry kept, so a test can
// read the domain events a step published (each parsed with its schema). Start in beforeAll
// (or at the top of the file), `reset()` in afterEach, `restore()` in afterAll.

export interface PublishedEvent {
  bus: string | undefined;
  detailType: string;
  detail: Record<string, unknown>;
}

export function captureDomainEvents() {
  const bus = mockClient(EventBridgeClient);
  const accept = () =>
    bus.on(PutEventsCommand).callsFake((input: { Entries?: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: (input.Entries ?? []).map(() => ({ EventId: randomUUID() })),
    }));
  accept();
  return {
    mock: bus,
    /** Every event published since the last reset, in order, each checked against its schema. */
    published(): PublishedEvent[] {
      return bus.commandCalls(PutEventsCommand).flatMap((call) =>
        (call.args[0].input.Entries ?? []).map((entry) => {
          if (entry.Source !== WORKFLOW_EVENT_SOURCE) throw new Error(`Unexpected source ${entry.Source}`);
          const detailType = entry.DetailType as keyof typeof DOMAIN_EVENTS;
          const detail = DOMAIN_EVENTS[detailType].parse(JSON.parse(entry.Detail ?? '')) as Record<
            string,
            unknown
          >;
          return { bus: entry.EventBusName, detailType, detail };
        }),
      );
    },
    types(): string[] {
      return this.published().map((e) => e.detailType);
    },
    reset(): void {
      bus.reset();
      accept();
    },
    restore(): void {
      bus.restore();
    },
  };
}
