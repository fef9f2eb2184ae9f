import { required } from '../config';
import { TransientError } from '../errors';
import {
  webexPrecheckResultSchema,
  type WebexPrecheckRequest,
  type WebexPrecheckResult,
} from '../webex/webex-precheck.schema';

// The setup pages' way to the WebexPrecheck function: on AWS a synchronous Lambda Invoke of
// WEBEX_PRECHECK_FUNCTION; in the embedded runtime the same in-process invoker that runs the
// state machine's Lambda tasks (registered at start). Either way the function's own handler runs.

const lambdaApi = () => import('./webex-precheck-lambda');

type Invoke = (payload: WebexPrecheckRequest) => Promise<unknown>;
let localInvoke: Invoke | undefined;

/** The embedded runtime registers its in-process invoker here. */
export function useLocalPrecheckInvoker(invoke: Invoke | undefined): void {
  localInvoke = invoke;
}

export async function invokeWebexPrecheck(request: WebexPrecheckRequest): Promise<WebexPrecheckResult> {
  let raw: unknown;
  if (localInvoke) {
    raw = await localInvoke(request);
  } else {
    const { InvokeCommand, lambda } = await lambdaApi();
    const res = await lambda().send(
      new InvokeCommand({
        FunctionName: required('WEBEX_PRECHECK_FUNCTION'),
        Payload: new TextEncoder().encode(JSON.stringify(request)),
      }),
    );
    const text = res.Payload ? new TextDecoder().decode(res.Payload) : 'null';
    if (res.FunctionError) throw new TransientError(`The Webex precheck failed: ${text.slice(0, 500)}`);
    raw = JSON.parse(text);
  }
  return webexPrecheckResultSchema.parse(raw);
}
