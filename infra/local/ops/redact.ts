// Execution inputs and task parameters can carry secrets: a callback task's Parameters hold its
// task token, and an email's setup URL holds a link id. Ops never need either, so everything
// shown (pages, terminal) passes through here first.
import { readableCause as lambdaErrorMessage } from '../../../functions/shared/errors';

const SECRET_KEY = /token|secret|password|linkid|signature|setupurl|^link$/i;
/** `/setup/<link id>` in any string: keep the shape, drop the id. */
const SETUP_LINK = /\/setup\/[A-Za-z0-9_-]{16,}/g;
/** Step Functions task tokens are long base64-ish strings; hide any that slipped into free text. */
const LONG_OPAQUE = /[A-Za-z0-9+/=_-]{120,}/g;

export const REDACTED = '[redacted]';

export function redactValue(value: unknown, key = ''): unknown {
  if (SECRET_KEY.test(key.replace(/\.\$$/, '')))
    return value === null || value === undefined ? value : REDACTED;
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, k)]));
  }
  return value;
}

export function redactText(text: string): string {
  return text.replace(SETUP_LINK, '/setup/' + REDACTED).replace(LONG_OPAQUE, REDACTED);
}

/**
 * A JSON string from the history, redacted and pretty-printed. Strings that are not JSON (a
 * Cause is often plain text) come back redacted as they are. A JSON string nested in a field
 * (Lambda's Payload, an error's Cause) is opened too, so its secrets are found.
 */
export function prettyJson(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.stringify(redactValue(openNested(JSON.parse(text))), null, 2);
  } catch {
    return redactText(text);
  }
}

function openNested(value: unknown): unknown {
  if (typeof value === 'string') {
    const t = value.trim();
    if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
      try {
        return openNested(JSON.parse(t));
      } catch {
        return value;
      }
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(openNested);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, openNested(v)]));
  }
  return value;
}

/**
 * A Lambda error's Cause is JSON (`{"errorType","errorMessage","trace"}`) on AWS and plain text
 * locally: give ops the message either way, one line.
 */
export function readableCause(cause: string | undefined): string | undefined {
  if (cause === undefined || cause === '') return cause;
  return redactText(lambdaErrorMessage(cause));
}
