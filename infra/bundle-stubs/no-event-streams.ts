// Stands in for `@smithy/core/event-streams` in the Lambda bundles (infra/bundling.ts, 14 KB):
// only an operation with an event stream uses it (S3's SelectObjectContent, none of the DynamoDB,
// EventBridge, SES, Step Functions or Secrets Manager operations here). The protocols import it
// lazily for such an operation; the S3 client builds its marshaller when it is created, so that
// much is kept, and the marshaller throws if it is ever asked to do anything.
function notBundled(): never {
  throw new Error('Event streams are not bundled in this function (infra/bundling.ts)');
}

export const eventStreamSerdeProvider = () => ({ serialize: notBundled, deserialize: notBundled });

/** As @smithy/core's own: the client's config gets a marshaller from its provider. */
export const resolveEventStreamSerdeConfig = <T extends { eventStreamSerdeProvider: (input: T) => unknown }>(
  input: T,
) => Object.assign(input, { eventStreamMarshaller: input.eventStreamSerdeProvider(input) });

export class EventStreamSerde {
  constructor() {
    notBundled();
  }
}
