import { STEP_STATE_NAMES, type StepId } from '../../../functions/shared/domain/steps.schema';
import {
  actionLabel,
  formatAgo,
  formatDetails,
  formatDuration,
  formatTime,
  roleLabel,
  serviceLabel,
  stepLabel,
} from './ops-labels';
import { earlyCancellationText, failureFacts, whereNow } from './ops-pages';
import type { RunDetail, RunList, RunSummary } from './ops-queries';
import { readableCause } from './redact';
import type { RunStep } from './run-history';
import type { DeadLetter, EventRecord } from '../events/event-log';
import { deliveryText } from './events-page';

// The ops view's facts as terminal text, for `npm run ops -- list` and `show <orderId>`.
// Plain text (no colour codes) so it reads the same in a log, a pipe or a ticket.

function clip(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** A left-aligned table; the last column is not padded. */
export function table(headers: string[], rows: string[][], maxWidths: number[] = []): string {
  const clipped = rows.map((r) => r.map((c, i) => clip(c.replace(/\s+/g, ' '), maxWidths[i] ?? 60)));
  const widths = headers.map((h, i) => Math.max(h.length, ...clipped.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...clipped.map(line)].join('\n');
}

function waitingText(r: RunSummary): string {
  return r.waitingFor ? `${r.waitingFor.email} (${roleLabel(r.waitingFor.role)})` : '-';
}

function whereText(r: RunSummary): string {
  if (r.waitingSteps.length > 0) return r.waitingSteps.map(stepLabel).join(', ');
  if (r.failedStep) return `${r.failedStep} (failed: ${r.failedError ?? 'error'})`;
  return r.currentStep ?? '-';
}

export function formatRunList(list: RunList, now: Date): string {
  if (list.runs.length === 0) return `No run matches (${list.total} in total).`;
  const rows = list.runs.map((r) => [
    r.orderId,
    r.status,
    whereText(r),
    waitingText(r),
    r.waitingSince ? `${formatTime(r.waitingSince)} (${formatAgo(r.waitingSince, now)})` : '-',
    formatTime(r.startedAt),
    r.lastChange ? formatAgo(r.lastChange, now) : '-',
  ]);
  return [
    table(
      ['ORDER ID', 'STATUS', 'CURRENT STEP', 'WAITING FOR', 'WAITING SINCE', 'STARTED', 'LAST CHANGE'],
      rows,
      [40, 12, 64, 56, 44, 24, 24],
    ),
    '',
    `${list.runs.length} of ${list.matched} matching run(s), ${list.total} in total; most recent change first.`,
  ].join('\n');
}

function stepName(s: RunStep): string {
  if (s.iteration === undefined) return s.name;
  let service: string | undefined;
  try {
    const type = (JSON.parse(s.input ?? '{}') as { service?: { type?: unknown } }).service?.type;
    service = typeof type === 'string' ? serviceLabel(type) : undefined;
  } catch {
    service = undefined;
  }
  return `${s.name} [${service ?? `item ${s.iteration + 1}`}]`;
}

export function formatRunDetail(detail: RunDetail, now: Date): string {
  const { summary, order, trace } = detail;
  const out: string[] = [];
  const field = (label: string, value: string) => out.push(`${`${label}:`.padEnd(14)}${value}`);
  out.push(`Order ${summary.orderId}`);
  out.push('');
  field('Status', `${summary.status}${summary.executionStatus ? ` (run ${summary.executionStatus})` : ''}`);
  const failure = failureFacts(detail);
  const where = whereNow(detail);
  field('Current step', where ?? '-');
  if (summary.waitingFor) {
    field('Waiting for', `${summary.waitingFor.email} (${roleLabel(summary.waitingFor.role)})`);
    field('Since', `${formatTime(summary.waitingSince)} (${formatAgo(summary.waitingSince, now)})`);
    for (const p of detail.pending) {
      const extra = [
        p.reminders > 0 ? `${p.reminders} reminder(s) sent` : '',
        p.deferred ? 'set up later' : '',
      ]
        .filter(Boolean)
        .join(', ');
      field('  step', `${stepLabel(p.stepId)} since ${formatTime(p.since)}${extra ? `; ${extra}` : ''}`);
    }
  } else if (detail.earlyCancellation) {
    field('Waiting for', earlyCancellationText(detail.earlyCancellation).replace(/^Nobody: /, 'nobody: '));
  } else {
    field('Waiting for', 'nobody');
  }
  if (failure) {
    field('Failed step', failure.step);
    field('Error', failure.error);
    field('Cause', failure.cause);
    if (failure.at) field('Failed at', formatTime(failure.at));
  } else {
    field('Failure', '-');
  }
  field('Started', formatTime(summary.startedAt));
  field('Last change', `${formatTime(summary.lastChange)} (${formatAgo(summary.lastChange, now)})`);
  if (order) {
    field('Contact', `${order.contact.name} <${order.contact.email}> (${order.contact.language})`);
    field('Services', order.services.map((s) => `${serviceLabel(s.type)} x ${s.quantity}`).join(', '));
    if (order.partnerOrg) field('Partner org', order.partnerOrg.name);
    if (order.customerOrg) field('Customer org', order.customerOrg.name);
    if (order.cancelReason) field('Cancel reason', order.cancelReason);
  } else {
    field('Order record', 'none (the run failed before the order was stored)');
  }
  if (detail.redriveBlocked === undefined) {
    out.push(
      '',
      `This failed run can be redriven: open /ops/runs/${summary.orderId} and use "Redrive the failed run".`,
    );
  }

  out.push('', 'Steps');
  if (trace) {
    // A state waits for a person when its step is pending; other running states are working.
    const waitingNames = new Set(
      detail.pending.map((p) => STEP_STATE_NAMES[p.stepId as StepId]).filter((n): n is string => Boolean(n)),
    );
    out.push(
      table(
        ['#', 'STEP', 'STATUS', 'ENTERED', 'TOOK', 'TRIES', 'ERROR'],
        trace.steps.map((s, i) => [
          String(i + 1),
          stepName(s),
          s === trace.failedStep
            ? 'FAILED THE RUN'
            : s.status === 'running'
              ? waitingNames.has(s.name)
                ? 'waiting'
                : 'running'
              : s.status,
          formatTime(s.enteredAt),
          s.exitedAt ? formatDuration(s.exitedAt.getTime() - s.enteredAt.getTime()) : '-',
          String(s.attempts.length || ''),
          s.error ? `${s.error}: ${readableCause(s.cause) ?? ''}` : '',
        ]),
        [4, 52, 16, 24, 12, 5, 100],
      ),
    );
  } else {
    out.push('(no run)');
  }

  out.push('', 'Audit trail');
  out.push(
    detail.audit.length === 0
      ? '(none)'
      : table(
          ['WHEN', 'WHO', 'WHAT', 'DETAILS'],
          detail.audit.map((a) => [
            formatTime(a.at),
            a.actor,
            actionLabel(a.action),
            formatDetails(a.details),
          ]),
          [24, 40, 32, 120],
        ),
  );

  out.push('', 'Emails sent');
  out.push(
    detail.emails.length === 0
      ? '(none)'
      : table(
          ['SENT', 'KIND', 'TO', 'SUBJECT'],
          detail.emails.map((m) => [formatTime(m.sentAt), m.kind, m.to, m.subject]),
          [24, 14, 40, 90],
        ),
  );
  return out.join('\n');
}

/** `npm run ops -- events <orderId>`: every event in and out for the order, newest first, with its JSON. */
export function formatEvents(records: EventRecord[], orderId: string): string {
  if (records.length === 0) return `No events for order ${orderId}.`;
  const rows = records.map((r) => [r.receivedAt, r.direction, r.detailType, r.source, deliveryText(r)]);
  return [
    `Events of order ${orderId} (${records.length}, newest first)`,
    '',
    table(['time', 'in/out', 'detail type', 'source', 'delivered to'], rows, [24, 3, 40, 24, 80]),
    '',
    ...records.flatMap((r) => [
      `${r.receivedAt}  ${r.detailType}  (event ${r.eventId})`,
      JSON.stringify(r.event, null, 2),
      '',
    ]),
  ].join('\n');
}

/** `npm run ops -- dead-letters`: deliveries that failed every attempt, newest first. */
export function formatDeadLetters(letters: DeadLetter[]): string {
  if (letters.length === 0) return 'No dead letters: every event reached its target.';
  return [
    `${letters.length} dead letter(s), newest first. Fix the cause, then put the event on the bus again.`,
    '',
    ...letters.flatMap((l) => [
      `${l.at}  ${l.ruleId} → ${l.target}, ${l.attempts} attempts: ${l.error}`,
      JSON.stringify(l.event),
      '',
    ]),
  ].join('\n');
}
