import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { getConfig } from '../config';
import { tracer } from '../observability';
import { clientOptions } from './credentials';

let client: EventBridgeClient | undefined;

export function eventBridge(): EventBridgeClient {
  client ??= tracer.captureAWSv3Client(new EventBridgeClient(clientOptions(getConfig().EVENTS_ENDPOINT)));
  return client;
}

export function resetEventBridge(): void {
  client = undefined;
}
