import type { WebResponse } from '../../../functions/resume/http.types';
import { STEP_STATE_NAMES, type StepId } from '../../../functions/shared/domain/steps.schema';
import { containingMap, loadProvisioningAsl, renderStateMachineSvg } from './asl-graph';
import { filterForm, html, page, raw, type Html } from './html';
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
import { RUN_STATUSES, type RunDetail, type RunFilter, type RunList, type RunSummary } from './ops-queries';
import { prettyJson, readableCause } from './redact';
import type { RunStep } from './run-history';
import type { EventRecord } from '../events/event-log';
import { runEventsSection } from './events-page';

// The ops view's pages. Server-rendered, no script: every fact is text (colour only repeats it),
// every value is escaped, and no task token or link id is ever rendered (see redact.ts).

export type OpsAction = 'resend' | 'cancel' | 'redrive';

export const ACTION_TITLES: Record<OpsAction, string> = {
  resend: 'Resend the setup link',
  cancel: 'Cancel the order',
  redrive: 'Redrive the failed run',
};

export const DONE_MESSAGES: Record<OpsAction, string> = {
  resend: 'A fresh setup link was emailed to the person the order waits for. Recorded in the audit trail.',
  cancel: 'The order was cancelled and its run stopped. Recorded in the audit trail.',
  redrive: 'The run was redriven from the failed step. Recorded in the audit trail.',
};

const runHref = (orderId: string) => `/ops/runs/${encodeURIComponent(orderId)}`;

function badge(status: string | undefined): Html {
  const s = (status ?? 'unknown').toLowerCase().replace(/_/g, '-');
  return html`<span class="badge ${s}">${s}</span>`;
}

function time(value: Date | string | undefined, now: Date): Html {
  if (value === undefined) return html`<span class="muted">—</span>`;
  const iso = typeof value === 'string' ? value : value.toISOString();
  return html`<time datetime="${iso}" class="nowrap">${formatTime(value)}</time>
    <span class="muted nowrap">(${formatAgo(value, now)})</span>`;
}

function waitingCell(run: RunSummary): Html {
  if (!run.waitingFor) return html`<span class="muted">nobody</span>`;
  return html`${run.waitingFor.email}<br /><span class="muted">${roleLabel(run.waitingFor.role)}</span>`;
}

function currentStepText(run: RunSummary): string {
  if (run.waitingSteps.length > 0) return run.waitingSteps.map(stepLabel).join(', ');
  if (run.failedStep) return `${run.failedStep} (failed)`;
  return run.currentStep ?? '—';
}

export function renderRunsPage(list: RunList, filter: RunFilter, now: Date): WebResponse {
  const options = ['', ...RUN_STATUSES].map(
    (s) =>
      html`<option value="${s}" ${filter.status === s || (!filter.status && s === '') ? 'selected' : ''}>
        ${s === '' ? 'any status' : s}
      </option>`,
  );
  const rows = list.runs.map(
    (r) =>
      html`<tr>
        <td class="nowrap">
          <a href="${runHref(r.orderId)}"><code>${r.orderId}</code></a>
        </td>
        <td>${badge(r.status)}${r.failedError ? html`<br /><code>${r.failedError}</code>` : ''}</td>
        <td>${currentStepText(r)}</td>
        <td>${waitingCell(r)}</td>
        <td>${r.waitingSince ? time(r.waitingSince, now) : html`<span class="muted">—</span>`}</td>
        <td>${time(r.startedAt, now)}</td>
        <td>${time(r.lastChange, now)}</td>
      </tr>`,
  );
  const filtered = Boolean(filter.status || filter.search);
  const body = html`<h1>Runs</h1>
    ${filterForm({
      action: '/ops',
      search: { name: 'q', label: 'Order id (exact or the start of one)', value: filter.search },
      select: { name: 'status', label: 'Status', options },
      filtered,
    })}
    <p class="muted" id="count">
      Showing ${list.runs.length} of ${list.matched} matching run${list.matched === 1 ? '' : 's'}
      (${list.total} in total), most recent change first.
      ${list.matched > list.runs.length ? 'Narrow the list with the order id or the status to see the others.' : ''}
    </p>
    ${
      list.runs.length === 0
        ? html`<p>
            <strong>No run matches.</strong>
            ${filtered ? 'Try another order id or status.' : 'No order has been received yet.'}
          </p>`
        : html`<table aria-describedby="count">
            <thead>
              <tr>
                <th scope="col">Order id</th>
                <th scope="col">Status</th>
                <th scope="col">Current step</th>
                <th scope="col">Waiting for</th>
                <th scope="col">Waiting since</th>
                <th scope="col">Started</th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>`
    }`;
  return page(filter.search ? `Runs matching ${filter.search}` : 'Runs', body);
}

function stepDisplayName(step: RunStep): string {
  if (step.iteration === undefined) return step.name;
  const service = serviceOfIteration(step);
  return `${step.name} — ${service ?? `item ${step.iteration + 1}`}`;
}

function serviceOfIteration(step: RunStep): string | undefined {
  if (!step.input) return undefined;
  try {
    const parsed: unknown = JSON.parse(step.input);
    const type = (parsed as { service?: { type?: unknown } } | null)?.service?.type;
    return typeof type === 'string' ? serviceLabel(type) : undefined;
  } catch {
    return undefined;
  }
}

function stepStatus(step: RunStep, waiting: ReadonlySet<string>): string {
  if (step.status === 'running') return waiting.has(step.name) ? 'waiting' : 'running';
  if (step.status === 'caught') return step.error === 'States.Timeout' ? 'timed-out' : 'failed';
  return step.status;
}

function jsonBlock(label: string, text: string | undefined): Html {
  const pretty = prettyJson(text);
  if (pretty === undefined || pretty === 'null') return html``;
  return html`<details>
    <summary>${label}</summary>
    <pre>${pretty}</pre>
  </details>`;
}

function stepsTable(detail: RunDetail, now: Date): Html {
  const trace = detail.trace;
  if (!trace) return html`<p class="muted">No run exists for this order (it never started).</p>`;
  const waitingNames = new Set(
    detail.pending.map((p) => STEP_STATE_NAMES[p.stepId as StepId]).filter((n): n is string => Boolean(n)),
  );
  const rows = trace.steps.map((s, i) => {
    const status = stepStatus(s, waitingNames);
    const attempts = s.attempts.length;
    const duration = s.exitedAt ? formatDuration(s.exitedAt.getTime() - s.enteredAt.getTime()) : '';
    const failed = s === trace.failedStep || (s.stateType === 'Fail' && s.status === 'failed');
    const cls = failed ? 'step-failed' : s.status === 'running' ? 'step-running' : '';
    return html`<tr class="${cls}" id="step-${s.id}">
      <td class="num">${i + 1}</td>
      <td>
        <strong>${stepDisplayName(s)}</strong><br /><span class="muted"
          >${s.stateType}${s.redrive > 0 ? ` · after redrive ${s.redrive}` : ''}</span
        >
      </td>
      <td>${badge(status)}${s === trace.failedStep ? html`<br /><strong>failed the run</strong>` : ''}</td>
      <td>${time(s.enteredAt, now)}</td>
      <td>
        ${s.exitedAt ? html`${formatTime(s.exitedAt)}<br /><span class="muted">took ${duration}</span>` : html`<span class="muted">—</span>`}
      </td>
      <td class="num">${attempts > 1 ? `${attempts} (retried)` : attempts === 1 ? '1' : ''}</td>
      <td>
        ${s.error ? html`<strong>${s.error}</strong><br />${readableCause(s.cause) ?? ''}` : ''}
        ${s.attempts
          .filter((a) => a.outcome !== 'succeeded' && a.outcome !== 'running' && a !== s.attempts.at(-1))
          .map(
            (a) =>
              html`<div class="muted">
                earlier attempt: ${a.error ?? a.outcome} at ${formatTime(a.endedAt)}
              </div>`,
          )}
        ${jsonBlock('Input', s.input)} ${jsonBlock('Task parameters', s.parameters)}
        ${jsonBlock('Task result', s.result)} ${jsonBlock('Output', s.output)}
        ${s.cause && s.cause.trim().startsWith('{') ? jsonBlock('Cause (full)', s.cause) : ''}
      </td>
    </tr>`;
  });
  return html`<table>
    <thead>
      <tr>
        <th scope="col" class="num">#</th>
        <th scope="col">Step</th>
        <th scope="col">Status</th>
        <th scope="col">Entered</th>
        <th scope="col">Left</th>
        <th scope="col" class="num">Attempts</th>
        <th scope="col">Error, cause and data</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function auditTable(detail: RunDetail): Html {
  if (detail.audit.length === 0) return html`<p class="muted">No decision recorded yet.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th scope="col">When</th>
        <th scope="col">Who</th>
        <th scope="col">What</th>
        <th scope="col">Details</th>
      </tr>
    </thead>
    <tbody>
      ${detail.audit.map(
        (a) =>
          html`<tr>
            <td class="nowrap">${formatTime(a.at)}</td>
            <td>${a.actor}</td>
            <td>${actionLabel(a.action)}</td>
            <td class="wrap-ids">${formatDetails(a.details)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function emailsTable(detail: RunDetail): Html {
  if (detail.emails.length === 0) return html`<p class="muted">No email sent for this order yet.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th scope="col">Sent</th>
        <th scope="col">Kind</th>
        <th scope="col">To</th>
        <th scope="col">Subject</th>
      </tr>
    </thead>
    <tbody>
      ${detail.emails.map(
        (m) =>
          html`<tr>
            <td class="nowrap">${formatTime(m.sentAt)}</td>
            <td>${m.kind}</td>
            <td>${m.to}</td>
            <td>${m.subject}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** The four questions, answered at the top of the page. */
function headerFacts(detail: RunDetail, now: Date): Html {
  const { summary, order } = detail;
  const failure = failureFacts(detail);
  const where = whereNow(detail);
  const whereFact = html`<section class="fact" aria-labelledby="f-where">
    <h3 id="f-where">Where is it</h3>
    <p>
      ${badge(summary.status)}
      ${summary.executionStatus ? html`<span class="muted">run ${summary.executionStatus.toLowerCase()}</span>` : ''}
    </p>
    <p>Step: <strong>${where ?? '—'}</strong></p>
    <p class="muted">
      Started ${formatTime(summary.startedAt)} · last change ${formatAgo(summary.lastChange, now)}
    </p>
  </section>`;

  let waitFact: Html;
  if (summary.waitingFor) {
    const pending = detail.pending;
    waitFact = html`<section class="fact wait" aria-labelledby="f-wait">
      <h3 id="f-wait">Waiting for</h3>
      <p><strong>${summary.waitingFor.email}</strong> (${roleLabel(summary.waitingFor.role)})</p>
      <p>since ${time(summary.waitingSince, now)}</p>
      ${pending.map(
        (p) =>
          html`<p class="muted">
            ${stepLabel(p.stepId)}: waiting since
            ${formatTime(p.since)}${
              p.reminders > 0 ? `, ${p.reminders} reminder${p.reminders === 1 ? '' : 's'} sent` : ''
            }${p.deferred ? ', set up later' : ''}
          </p>`,
      )}
    </section>`;
  } else {
    const why =
      summary.status === 'completed'
        ? `Nobody: completed ${formatTime(order?.completedAt ?? summary.lastChange)}.`
        : detail.earlyCancellation
          ? earlyCancellationText(detail.earlyCancellation)
          : summary.status === 'cancelled'
            ? `Nobody: cancelled${order?.cancelReason ? ` (${order.cancelReason})` : ''}.`
            : summary.status === 'expired'
              ? 'Nobody: the order expired after its last reminder.'
              : summary.status === 'failed'
                ? 'Nobody: the run failed (see below).'
                : 'Nobody: the run is working on its next step.';
    waitFact = html`<section
      class="fact ${summary.status === 'completed' ? 'done' : ''}"
      aria-labelledby="f-wait"
    >
      <h3 id="f-wait">Waiting for</h3>
      <p>${why}</p>
    </section>`;
  }

  const recent = detail.audit.slice(-3).reverse();
  const decidedFact = html`<section class="fact" aria-labelledby="f-decided">
    <h3 id="f-decided">Latest decisions</h3>
    ${
      recent.length === 0
        ? html`<p class="muted">None yet.</p>`
        : recent.map(
            (a) =>
              html`<p>
                <strong>${actionLabel(a.action)}</strong> by ${a.actor}<br /><span class="muted"
                  >${formatTime(a.at)}</span
                >
              </p>`,
          )
    }
    <p><a href="#audit">Full audit trail (${detail.audit.length})</a></p>
  </section>`;

  const failFact = failure
    ? html`<section class="fact alert" aria-labelledby="f-fail" id="failure">
        <h3 id="f-fail">Failed</h3>
        <p>Step: <strong>${failure.step}</strong></p>
        <p>
          Error: <strong><code>${failure.error}</code></strong>
        </p>
        <p>Why: ${failure.cause}</p>
        ${failure.at ? html`<p class="muted">at ${formatTime(failure.at)}</p>` : ''}
      </section>`
    : html``;
  // Webex provisioned the customer with errors: a partial outcome, package by package.
  const partial = order?.webexPartial;
  const partialFact = partial
    ? html`<section class="fact alert" aria-labelledby="f-partial" id="webex-partial">
        <h3 id="f-partial">Partly provisioned in Webex</h3>
        <ul>
          ${partial.packages.map(
            (p) =>
              html`<li>
                <code>${p.name}</code>:
                ${p.status}${p.problems.length ? html` (${p.problems.join('; ')})` : ''}
              </li>`,
          )}
        </ul>
        <p class="muted">at ${formatTime(partial.at)}</p>
      </section>`
    : html``;
  return html`<div class="facts">${whereFact}${waitFact}${decidedFact}${failFact}${partialFact}</div>`;
}

/** The state the run is in now, or where it ended (and how). */
/** An order cancelled before it arrived, in one sentence (the page and the CLI). */
export function earlyCancellationText(early: NonNullable<RunDetail['earlyCancellation']>): string {
  const refused =
    early.refusals > 0
      ? ` Its order event was refused ${early.refusals === 1 ? 'once' : `${early.refusals} times`} (first ${formatTime(early.refusedAt)}): no run was started.`
      : ' No order event has come for it yet; one that comes will be refused.';
  return `Nobody: the order was cancelled before it arrived (cancelled ${formatTime(early.cancelledAt)}${
    early.reason ? `, ${early.reason}` : ''
  }; recorded ${formatTime(early.recordedAt)}, kept until ${formatTime(new Date(early.ttl * 1000))}).${refused}`;
}

export function whereNow(detail: Pick<RunDetail, 'order' | 'trace' | 'summary'>): string | undefined {
  const { trace, summary } = detail;
  if (trace?.state === 'RUNNING' && trace.current.length > 0) return trace.current.join(', ');
  const failure = failureFacts(detail);
  if (failure) return `${failure.step} (failed)`;
  const last = trace?.steps.at(-1);
  if (trace && trace.state !== 'RUNNING' && last) {
    return trace.state === 'ABORTED' ? `${last.name} (stopped there)` : last.name;
  }
  return summary.currentStep;
}

export function failureFacts(
  detail: Pick<RunDetail, 'order' | 'trace' | 'summary'>,
): { step: string; error: string; cause: string; at?: string } | undefined {
  const { order, trace } = detail;
  if (trace && trace.state === 'RUNNING') return undefined;
  // The history names the failed state exactly; the order record's failure.step is the last
  // step that wrote the order, which can be the one before. So the history wins when it has it.
  const failed = trace?.failedStep;
  if (failed && order?.status !== 'expired' && order?.status !== 'cancelled') {
    return {
      step: stepDisplayName(failed),
      error: failed.error ?? order?.failure?.error ?? trace.error ?? 'unknown error',
      cause: readableCause(failed.cause ?? order?.failure?.cause ?? trace.cause) ?? '',
      at: order?.failure?.at ?? (failed.exitedAt ?? failed.enteredAt).toISOString(),
    };
  }
  if (order?.failure && order.status === 'failed') {
    return {
      step: order.failure.step,
      error: order.failure.error,
      cause: readableCause(order.failure.cause) ?? '',
      at: order.failure.at,
    };
  }
  if (trace && (trace.state === 'FAILED' || trace.state === 'TIMED_OUT') && order?.status !== 'expired') {
    return { step: '—', error: trace.error ?? 'unknown error', cause: readableCause(trace.cause) ?? '' };
  }
  return undefined;
}

function actionForm(
  action: OpsAction,
  orderId: string,
  csrf: string,
  intro: Html,
  extra: Html,
  confirmText: string,
  danger: boolean,
): Html {
  return html`<form method="post" action="${runHref(orderId)}/${action}" aria-labelledby="a-${action}">
    <h3 id="a-${action}">${ACTION_TITLES[action]}</h3>
    <p>${intro}</p>
    <input type="hidden" name="csrf" value="${csrf}" />
    ${extra}
    <label for="${action}-actor"
      >Your name (for the audit trail)
      <input type="text" id="${action}-actor" name="actor" maxlength="60" autocomplete="name" />
    </label>
    <label><input type="checkbox" name="confirm" value="yes" required /> ${confirmText}</label>
    <button type="submit" class="${danger ? 'danger' : 'primary'}">${ACTION_TITLES[action]}</button>
  </form>`;
}

export function actionForms(detail: RunDetail, csrf: string): Html {
  const { summary } = detail;
  const open = summary.status === 'received' || summary.status === 'in-progress';
  const forms: Html[] = [];
  const unavailable: Html[] = [];
  if (open && summary.waitingFor) {
    forms.push(
      actionForm(
        'resend',
        summary.orderId,
        csrf,
        html`Emails <strong>${summary.waitingFor.email}</strong> a fresh link to the step they are on.`,
        html``,
        `Yes, email a new setup link to ${summary.waitingFor.email}`,
        false,
      ),
    );
  } else {
    unavailable.push(html`<li>Resend the setup link: nobody is being waited for.</li>`);
  }
  if (open) {
    forms.push(
      actionForm(
        'cancel',
        summary.orderId,
        csrf,
        html`Stops the run, revokes every link of the order and tells the contact. It cannot be undone.`,
        html`<label for="cancel-reason"
          >Reason (sent to the contact)
          <textarea id="cancel-reason" name="reason" rows="2" maxlength="500" required></textarea>
        </label>`,
        `Yes, cancel order ${summary.orderId}`,
        true,
      ),
    );
  } else {
    unavailable.push(html`<li>Cancel: the order is ${summary.status}.</li>`);
  }
  if (!detail.redriveBlocked) {
    const failure = failureFacts(detail);
    forms.push(
      actionForm(
        'redrive',
        summary.orderId,
        csrf,
        html`Re-runs the run from the failed step${failure ? html` (<strong>${failure.step}</strong>)` : ''},
        keeping every step that succeeded. Safe because every step is idempotent; fix the cause first.`,
        html``,
        `Yes, redrive the run of ${summary.orderId}`,
        false,
      ),
    );
  } else {
    unavailable.push(html`<li>Redrive: ${detail.redriveBlocked}</li>`);
  }
  return html`<div class="actions">${forms}</div>
    ${
      unavailable.length > 0
        ? html`<ul class="muted">
            ${unavailable}
          </ul>`
        : ''
    }`;
}

function graphSection(detail: RunDetail): Html {
  const trace = detail.trace;
  const failed = new Set<string>();
  if (trace?.failedStep) failed.add(trace.failedStep.name);
  const map = trace?.failedStep ? containingMap(loadProvisioningAsl(), trace.failedStep.name) : undefined;
  if (map) failed.add(map);
  const visited = trace?.visited ?? new Set<string>();
  const svg = renderStateMachineSvg(
    loadProvisioningAsl(),
    {
      visited,
      taken: trace?.taken ?? new Set(),
      current: new Set(trace?.state === 'RUNNING' ? trace.current : []),
      failed,
    },
    `State machine of order ${detail.summary.orderId}: path taken in blue, current step in yellow, failed step in red`,
  );
  const path = trace ? [...new Map(trace.steps.map((s) => [s.name, s])).keys()] : [];
  return html`<ul class="legend" aria-label="Legend">
      <li><span class="swatch" style="background:#ddf4ff;border-color:#0969da"></span>passed</li>
      <li><span class="swatch" style="background:#fff8c5;border-color:#bf8700"></span>current step</li>
      <li><span class="swatch" style="background:#ffebe9;border-color:#cf222e"></span>failed here</li>
      <li><span class="swatch" style="background:#fff;border-color:#afb8c1"></span>not reached</li>
      <li>
        person icon: the step waits for a person · dotted lines: error paths · lines bending right: loops
      </li>
    </ul>
    <div class="graph-wrap">${raw(svg)}</div>
    <details>
      <summary>The path as text</summary>
      <p>${path.join(' → ') || 'No state entered yet.'}</p>
    </details>`;
}

/** The local Webex's page, showing the org (and its sites and locations) the order made there. */
function webexLink(customerOrgId: string | undefined): Html | string {
  const api = process.env.WEBEX_API_URL;
  if (!api || !customerOrgId) return '';
  const href = new URL(`/?externalId=${encodeURIComponent(customerOrgId)}`, api).toString();
  return html`<p><a href="${href}">What this order made in Webex</a> (the local Webex’s page)</p>`;
}

export function renderRunPage(
  detail: RunDetail,
  opts: {
    csrf: string;
    now: Date;
    notice?: { kind: 'ok' | 'error'; text: string };
    /** The order's events in and out (undefined where no event bus runs). */
    events?: EventRecord[];
  },
): WebResponse {
  const { summary } = detail;
  const body = html`<p><a href="/ops">← All runs</a></p>
    <h1>Order <code>${summary.orderId}</code></h1>
    ${
      opts.notice
        ? html`<div
            class="notice ${opts.notice.kind}"
            role="${opts.notice.kind === 'error' ? 'alert' : 'status'}"
          >
            ${opts.notice.text}
          </div>`
        : ''
    }
    ${headerFacts(detail, opts.now)}
    ${
      detail.order
        ? html`<p class="muted">
              Contact ${detail.order.contact.name} &lt;${detail.order.contact.email}&gt;
              (${detail.order.contact.language})
              ${detail.order.partnerName ? html` · partner ${detail.order.partnerName}` : ''} · services
              ${detail.order.services.map((s) => `${serviceLabel(s.type)} × ${s.quantity}`).join(', ')}
              ${detail.order.partnerOrg ? html` · partner org ${detail.order.partnerOrg.name}` : ''}
              ${detail.order.customerOrg ? html` · customer org ${detail.order.customerOrg.name}` : ''}
            </p>
            ${webexLink(detail.order.customerOrg?.orgId)}`
        : html`<p class="muted">No order record: the run failed before the order was stored.</p>`
    }
    <h2 id="actions">Actions</h2>
    ${actionForms(detail, opts.csrf)}
    <h2 id="steps">Steps</h2>
    ${stepsTable(detail, opts.now)}
    <h2 id="graph">State machine</h2>
    ${graphSection(detail)}
    <h2 id="audit">Audit trail</h2>
    ${auditTable(detail)}
    <h2 id="emails">Emails sent</h2>
    ${emailsTable(detail)}
    <h2 id="events">Events</h2>
    ${runEventsSection(summary.orderId, opts.events)}`;
  return page(`Order ${summary.orderId}`, body);
}

/** Shown when a form arrives without its confirmation box ticked: the same form, to confirm. */
export function renderConfirmPage(action: OpsAction, detail: RunDetail, csrf: string): WebResponse {
  const body = html`<p><a href="${runHref(detail.summary.orderId)}">← Order ${detail.summary.orderId}</a></p>
    <h1>${ACTION_TITLES[action]}: please confirm</h1>
    <p>Nothing was done yet. Tick the box to confirm.</p>
    ${actionForms(detail, csrf)}`;
  return page(`Confirm: ${ACTION_TITLES[action]}`, body, { status: 400 });
}

export function renderMessagePage(
  status: number,
  title: string,
  message: string,
  back?: string,
): WebResponse {
  const body = html`<h1>${title}</h1>
    <p>${message}</p>
    <p><a href="${back ?? '/ops'}">${back ? '← Back to the order' : '← All runs'}</a></p>`;
  return page(title, body, { status });
}
