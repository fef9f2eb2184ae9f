import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { getConfig } from '../config';
import { traced } from '../observability';
import { clientOptions } from './credentials';

let client: EventBridgeClient | undefined;

export function eventBridge(): EventBridgeClient {
  client ??= traced(new EventBridgeClient(clientOptions(getConfig().EVENTS_ENDPOINT)));
  return client;
}

export function resetEventBridge(): void {
  client = undefined;
}
