import { describe, expect, it } from 'vitest';
import { renderRunPage, renderRunsPage } from '../../infra/local/ops/ops-pages';
import { formatRunDetail, formatRunList, table } from '../../infra/local/ops/ops-text';
import type { RunDetail } from '../../infra/local/ops/ops-queries';
import { traceRun } from '../../infra/local/ops/run-history';
import { mapFailedHistory, TASK_TOKEN, twoServiceHistory } from './fixtures/history-builder';
import { completedDetail, failedDetail, NOW, waitingDetail } from './fixtures/run-details';

const body = (r: { body: string | Buffer }) => String(r.body);

describe('run page (rendered from fixtures)', () => {
  it('a waiting order: where, who and since when at the top; token never shown', () => {
    const html = body(renderRunPage(waitingDetail(), { csrf: 'tok', now: NOW }));
    const top = html.slice(0, html.indexOf('id="actions"'));
    expect(top).toContain('Where is it');
    expect(top).toContain('Partner organization');
    expect(top).toContain('ana@partner.example');
    expect(top).toContain('provisioning contact');
    expect(top).toContain('2026-11-25 10:05:00 UTC');
    expect(top).toContain('2 h 55 min ago');
    expect(top).toContain('1 reminder sent');
    expect(top).toContain('Order is for a customer');
    expect(html).not.toContain(TASK_TOKEN);
    expect(html).not.toContain('tokenHash');
    // Escaped contact name.
    expect(html).toContain('Ana &lt;Popescu&gt;');
    // Resend and cancel offered, redrive explained.
    expect(html).toContain('action="/ops/runs/ORD-1001/resend"');
    expect(html).toContain('action="/ops/runs/ORD-1001/cancel"');
    expect(html).not.toContain('action="/ops/runs/ORD-1001/redrive"');
    expect(html).toContain('only a failed run can be redriven');
    expect(html).toMatch(/name="confirm" value="yes" required/);
    expect(html).toContain('<svg');
  });

  it('a failed order: the failed step, its error and why; redrive offered', () => {
    const html = body(renderRunPage(failedDetail(), { csrf: 'tok', now: NOW }));
    const top = html.slice(0, html.indexOf('id="actions"'));
    expect(top).toContain('Failed');
    expect(top).toContain('Map partner organization');
    expect(top).toContain('OrganizationNotFoundError');
    expect(top).toContain('Organization org-42 does not exist');
    expect(html).toContain('action="/ops/runs/ORD-1001/redrive"');
    expect(html).not.toContain('action="/ops/runs/ORD-1001/resend"');
    expect(html).toContain('failed the run');
  });

  it('a failure inside the Map names the service step, and the Map group is red too', () => {
    const detail = { ...failedDetail(), trace: traceRun(mapFailedHistory().events) };
    const html = body(renderRunPage(detail, { csrf: 'tok', now: NOW }));
    const top = html.slice(0, html.indexOf('id="actions"'));
    expect(top).toContain('Provision Webex Calling — Webex Calling');
    expect(top).toContain('ValidationError');
    expect(top).toContain('Calling location address is missing a postal code');
    expect(html).toMatch(/class="state group failed" data-state="Set up services"/);
    expect(html).toMatch(/class="state task failed" data-state="Provision Webex Calling"/);
  });

  it('a completed two-service order: each Map step shows what happened to it, once; decisions in words', () => {
    const webexOrgId =
      'Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi85ZjNjMmE0Ny1lNWQxLTRiOGEtOWMwZi0xYTJiM2M0ZDVlNmY';
    const detail: RunDetail = {
      ...completedDetail(),
      trace: traceRun(twoServiceHistory().events),
      audit: [
        {
          at: '2026-11-25T10:30:00.000Z',
          actor: 'ana@partner.example',
          action: 'service-calling deferred',
          details: { service: 'calling' },
        },
        {
          at: '2026-11-25T10:40:00.000Z',
          actor: 'system',
          action: 'Customer organization provisioned in Webex',
          details: { webexOrgId },
        },
        { at: '2026-11-25T11:00:00.000Z', actor: 'system', action: 'Order completed', details: {} },
      ],
    };
    const html = body(renderRunPage(detail, { csrf: 'tok', now: NOW }));
    const rows = html.split('<tr').filter((r) => r.includes('id="step-'));
    const row = (name: string) => rows.filter((r) => r.includes(`<strong>${name}</strong>`));
    for (const name of [
      'Wait for service setup — Webex Meetings',
      'Wait for service setup — Webex Calling',
    ]) {
      expect(row(name)).toHaveLength(1);
      expect(row(name)[0]).toContain('<span class="badge succeeded">succeeded</span>');
      expect(row(name)[0]).not.toContain('(retried)');
    }
    expect(row('Provision Webex Calling — Webex Calling')[0]).toContain('2 (retried)');
    expect(html).not.toContain('badge aborted');
    // Latest decisions and the audit trail say what people read elsewhere, not internal names.
    const decided = html.slice(html.indexOf('id="f-decided"'), html.indexOf('Full audit trail'));
    expect(decided).toContain('Webex Calling: set up later');
    expect(decided).toContain('Customer organization provisioned in Webex');
    expect(html).not.toContain('service-calling deferred');
    expect(html).toContain(`<td class="wrap-ids">Webex organization ID: ${webexOrgId}</td>`);
    // `npm run ops -- show` tells the same story.
    const text = formatRunDetail(detail, NOW);
    expect(text).toContain('Webex Calling: set up later');
    expect(text).not.toContain('service-calling deferred');
  });

  it('a completed order: nobody waited for, every step listed', () => {
    const html = body(renderRunPage(completedDetail(), { csrf: 'tok', now: NOW }));
    expect(html).toContain('Nobody: completed 2026-11-25 11:00:00 UTC');
    expect(html).toContain('Provision Webex Meetings — Webex Meetings');
    expect(html).toContain('2 (retried)');
    expect(html).not.toContain('<form method="post"');
  });

  it('runs list: one row per run with its waiting person', () => {
    const w = waitingDetail().summary;
    const f = failedDetail().summary;
    const html = body(
      renderRunsPage(
        { runs: [w, { ...f, orderId: 'ORD-2' }], matched: 2, total: 5 },
        { status: undefined },
        NOW,
      ),
    );
    expect(html).toContain('href="/ops/runs/ORD-1001"');
    expect(html).toContain('href="/ops/runs/ORD-2"');
    expect(html.replace(/\s+/g, ' ')).toContain('Showing 2 of 2 matching runs (5 in total)');
    expect(html).toContain('ana@partner.example');
  });
});

describe('terminal output', () => {
  it('table pads columns', () => {
    expect(table(['A', 'BB'], [['xxx', 'y']])).toBe('A    BB\n---  --\nxxx  y');
  });

  it('list: a row per run', () => {
    const text = formatRunList(
      { runs: [waitingDetail().summary, completedDetail().summary], matched: 2, total: 2 },
      NOW,
    );
    const lines = text.split('\n');
    expect(lines[0]).toMatch(
      /^ORDER ID\s+STATUS\s+CURRENT STEP\s+WAITING FOR\s+WAITING SINCE\s+STARTED\s+LAST CHANGE$/,
    );
    expect(lines[2]).toContain('ORD-1001');
    expect(lines[2]).toContain('Partner organization');
    expect(lines[2]).toContain('ana@partner.example (provisioning contact)');
    expect(lines[3]).toContain('completed');
    expect(text).toContain('2 of 2 matching run(s)');
  });

  it('show: a waiting order answers where, who, since when', () => {
    const text = formatRunDetail(waitingDetail(), NOW);
    expect(text).toMatch(/Status:\s+in-progress \(run RUNNING\)/);
    expect(text).toMatch(/Current step:\s+Partner organization/);
    expect(text).toMatch(/Waiting for:\s+ana@partner.example \(provisioning contact\)/);
    expect(text).toMatch(/Since:\s+2026-11-25 10:05:00 UTC \(2 h 55 min ago\)/);
    expect(text).toMatch(/Failure:\s+-/);
    expect(text).toContain('Audit trail');
    expect(text).toContain('Order is for a customer');
    expect(text).not.toContain(TASK_TOKEN);
  });

  it('show: a failed order names the failed step, error and cause', () => {
    const text = formatRunDetail(failedDetail(), NOW);
    expect(text).toMatch(/Failed step:\s+Map partner organization/);
    expect(text).toMatch(/Error:\s+OrganizationNotFoundError/);
    expect(text).toMatch(/Cause:\s+Organization org-42 does not exist/);
    expect(text).toMatch(/FAILED THE RUN/);
    expect(text).toContain('can be redriven');
  });
});
