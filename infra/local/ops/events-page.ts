import type { WebResponse } from '../../../functions/resume/http.types';
import type { DeadLetter, EventRecord } from '../events/event-log';
import { filterForm, html, page, type Html } from './html';

// The ops view's Events page: every event the local EventBridge took, in (the order system, AWS
// services) and out (the workflow's domain events), newest first, with the rules it matched,
// what each target did, and the event's JSON. Also the section of a run's page that lists that
// order's events, and the dead letters.

export interface EventsFilter {
  orderId?: string;
  direction?: 'in' | 'out';
}

export /** What the local bus did with an event: each rule's target and outcome. */
function deliveryText(record: EventRecord): string {
  if (record.rules.length === 0) return 'no rule matched';
  return record.deliveries
    .map((d) => {
      const status = (d.result as { status?: unknown } | undefined)?.status;
      const outcome =
        d.status === 'failed'
          ? `failed after ${d.attempts} attempts`
          : d.status === 'pending'
            ? `pending${d.attempts > 0 ? ` (attempt ${d.attempts} failed)` : ''}`
            : typeof status === 'string'
              ? status
              : 'delivered';
      return `${d.target}: ${outcome}`;
    })
    .join('; ');
}

const runHref = (orderId: string) => `/ops/runs/${encodeURIComponent(orderId)}`;

function deliveryBadge(record: EventRecord): Html {
  const failed = record.deliveries.some((d) => d.status === 'failed');
  const pending = record.deliveries.some((d) => d.status === 'pending');
  const kind =
    record.rules.length === 0 ? 'not-started' : failed ? 'failed' : pending ? 'running' : 'succeeded';
  return html`<span class="badge ${kind}">${deliveryText(record)}</span>`;
}

/** A table of events, each with its JSON behind a disclosure triangle. */
export function eventsTable(records: EventRecord[], opts: { showOrder: boolean }): Html {
  const rows = records.map(
    (r) =>
      html`<tr>
        <td class="nowrap"><code>${r.receivedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</code></td>
        <td>${r.direction === 'out' ? 'out' : 'in'}</td>
        <td><strong>${r.detailType}</strong><br /><span class="muted">${r.source}</span></td>
        ${
          opts.showOrder
            ? html`<td class="nowrap">
                ${r.orderId ? html`<a href="${runHref(r.orderId)}"><code>${r.orderId}</code></a>` : html`<span class="muted">—</span>`}
              </td>`
            : ''
        }
        <td>${deliveryBadge(r)}</td>
        <td>
          <details>
            <summary>JSON</summary>
            <pre>${JSON.stringify(r.event, null, 2)}</pre>
            ${
              r.deliveries.some((d) => d.result !== undefined || d.error)
                ? html`<pre>${JSON.stringify(r.deliveries, null, 2)}</pre>`
                : ''
            }
          </details>
        </td>
      </tr>`,
  );
  return html`<table>
    <thead>
      <tr>
        <th scope="col">Time</th>
        <th scope="col">In/out</th>
        <th scope="col">Detail type</th>
        ${opts.showOrder ? html`<th scope="col">Order</th>` : ''}
        <th scope="col">Delivered to</th>
        <th scope="col">Event</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function deadLettersSection(letters: DeadLetter[]): Html {
  if (letters.length === 0) return html``;
  return html`<h2 id="dead-letters">Dead letters</h2>
    <p>
      These deliveries failed every attempt. Fix the cause, then put the event on the bus again (a duplicate
      order starts no second run).
    </p>
    <table>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Rule → target</th>
          <th scope="col">Error</th>
          <th scope="col">Event</th>
        </tr>
      </thead>
      <tbody>
        ${letters.map(
          (l) =>
            html`<tr class="step-failed">
              <td class="nowrap"><code>${l.at}</code></td>
              <td>${l.ruleId} → ${l.target} (${l.attempts} attempts)</td>
              <td><code>${l.error}</code></td>
              <td>
                <details>
                  <summary>JSON</summary>
                  <pre>${JSON.stringify(l.event, null, 2)}</pre>
                </details>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

export function renderEventsPage(
  records: EventRecord[] | undefined,
  filter: EventsFilter,
  letters: DeadLetter[] = [],
): WebResponse {
  const directionOptions = [
    ['', 'in and out'],
    ['in', 'in: order system, AWS services'],
    ['out', 'out: domain events'],
  ].map(
    ([value, label]) =>
      html`<option value="${value}" ${(filter.direction ?? '') === value ? 'selected' : ''}>
        ${label}
      </option>`,
  );
  const filtered = Boolean(filter.orderId || filter.direction);
  const body = html`<h1>Events${filter.orderId ? html` of order <code>${filter.orderId}</code>` : ''}</h1>
    ${filterForm({
      action: '/ops/events',
      search: { name: 'orderId', label: 'Order id', value: filter.orderId },
      select: { name: 'direction', label: 'Direction', options: directionOptions },
      filtered,
    })}
    ${
      records === undefined
        ? html`<p>
            <strong>No event bus here.</strong> Events are kept by the embedded runtime's EventBridge (npm
            start).
          </p>`
        : html`<p class="muted" id="count">
              ${records.length} event${records.length === 1 ? '' : 's'}, newest first. In: what the order
              system and AWS services put on the buses; out: the workflow's domain events (docs/events.md).
            </p>
            ${
              records.length === 0
                ? html`<p><strong>No event matches.</strong></p>`
                : eventsTable(records, { showOrder: !filter.orderId })
            }`
    }
    ${deadLettersSection(letters)}`;
  return page(filter.orderId ? `Events of ${filter.orderId}` : 'Events', body);
}

/** The run page's section: the order's events, newest first. */
export function runEventsSection(orderId: string, records: EventRecord[] | undefined): Html {
  if (records === undefined) return html`<p class="muted">No event bus here.</p>`;
  if (records.length === 0) return html`<p class="muted">No event for this order.</p>`;
  return html`<p class="muted">
      ${records.length} event${records.length === 1 ? '' : 's'}, newest first (<a
        href="/ops/events?orderId=${encodeURIComponent(orderId)}"
        >on the Events page</a
      >).
    </p>
    ${eventsTable(records, { showOrder: false })}`;
}
