import type { HistoryEvent } from '@aws-sdk/client-sfn';

// "From ready to shown": how long after the run had the next step ready the contact's browser
// showed it. Issue 19 asks it of the steps that wait on a Webex job (the org steps and the last
// Close → done): the submit → next step time of those steps is mostly Webex's own job time, which
// the setup pages cannot shorten; what they add is the time from ready to shown.
//
// Ready is read from the run's history:
// - a callback step is ready when its RequestInput task has stored the token: the TaskSubmitted
//   event of the state that the label's target names;
// - the done page is ready when "Complete order" has recorded the order as provisioned: that state's
//   TaskStateExited event.

/** The state whose event makes each setup page ready. Map iterations (the services) are not listed. */
export const READY_STATE: Readonly<
  Record<string, { state: string; event: 'TaskSubmitted' | 'TaskStateExited' }>
> = {
  'partner-org': { state: 'Partner organization', event: 'TaskSubmitted' },
  'customer-org': { state: 'Customer organization', event: 'TaskSubmitted' },
  'customer-review': { state: 'Review organizations', event: 'TaskSubmitted' },
  done: { state: 'Complete order', event: 'TaskStateExited' },
};

/** The steps whose submit waits on a Webex job before the next page can be ready. */
export const WAITS_ON_WEBEX = new Set([
  'partner-org → customer-org',
  'customer-org → customer-review',
  'service-calling → done',
]);

function eventsById(events: readonly HistoryEvent[]): Map<number, HistoryEvent> {
  const byId = new Map<number, HistoryEvent>();
  for (const e of events) if (e.id !== undefined) byId.set(e.id, e);
  return byId;
}

/** The state a history event belongs to: its own name, or that of the StateEntered it chains back to. */
function stateOf(event: HistoryEvent, byId: ReadonlyMap<number, HistoryEvent>): string | undefined {
  let e: HistoryEvent | undefined = event;
  for (let hops = 0; e && hops < 8; hops += 1) {
    const name = e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name;
    if (name !== undefined) return name;
    e = e.previousEventId !== undefined ? byId.get(e.previousEventId) : undefined;
  }
  return undefined;
}

/**
 * When the page a submit labelled `from → to` leads to became ready in this run: the first ready
 * event of the target's state at or after `submittedAt` (epoch ms). Undefined for a target without a
 * listed state, or when the history has no such event (the run did not get there).
 */
export function readyAt(
  events: readonly HistoryEvent[],
  label: string,
  submittedAt: number,
  byId: ReadonlyMap<number, HistoryEvent> = eventsById(events),
): number | undefined {
  const target = label.split(' → ')[1];
  const want = target !== undefined ? READY_STATE[target] : undefined;
  if (!want) return undefined;
  for (const e of events) {
    const at = e.timestamp?.getTime();
    if (e.type !== want.event || at === undefined || at < submittedAt) continue;
    if (stateOf(e, byId) === want.state) return at;
  }
  return undefined;
}

export interface TimedSubmit {
  label: string;
  /** Epoch ms: the submit was sent, and the next page was shown. */
  submittedAt: number;
  shownAt: number;
}

/** Ready → shown (ms) of each submit whose target has a ready event in the history, by label. */
export function readyToShown(
  events: readonly HistoryEvent[],
  submits: readonly TimedSubmit[],
): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const byId = eventsById(events);
  for (const s of submits) {
    const ready = readyAt(events, s.label, s.submittedAt, byId);
    if (ready === undefined) continue;
    // A page can show a moment before its ready event is written (the event follows the write the
    // page reads); that counts as shown at once.
    out.set(s.label, [...(out.get(s.label) ?? []), Math.max(0, s.shownAt - ready)]);
  }
  return out;
}
