import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSent } from '../../functions/shared/adapters/email-log';
import { findOrder, listAudit } from '../../functions/shared/adapters/order-repository';
import { getStep } from '../../functions/shared/adapters/step-store';
import { sfn } from '../../functions/shared/clients';
import { executionArnFor } from '../../infra/local/ops/ops-queries';
import { traceRun } from '../../infra/local/ops/run-history';
import { main as opsCli } from '../../infra/local/ops-cli';
import { waitFor } from '../helpers/wait';
import { startOpsScenario, waitForPending, waitForRun, type OpsScenario } from './fixtures/ops-scenario';

// The ops view's pages and actions over HTTP, against the embedded runtime with a waiting, a
// failed and a completed order driven through the real state machine.

let world: OpsScenario;
let base: string;

beforeAll(async () => {
  world = await startOpsScenario();
  base = world.runtime.urls.web;
}, 240_000);

afterAll(async () => {
  await world?.stop();
});

async function get(path: string, cookie?: string) {
  const res = await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** Opens a run page like a browser: keeps its CSRF cookie and the form's token. */
async function openRun(orderId: string) {
  const page = await get(`/ops/runs/${orderId}`);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  return { page, cookie, csrf };
}

async function post(path: string, cookie: string, form: Record<string, string>) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
  return { status: res.status, text: await res.text(), location: res.headers.get('location') };
}

async function sesStore(): Promise<{ destination?: { to?: string[] }; subject?: string }[]> {
  const res = await fetch(`${world.runtime.urls.ses}/store`);
  const body = (await res.json()) as { emails?: { destination?: { to?: string[] }; subject?: string }[] };
  return body.emails ?? [];
}

describe('runs list', () => {
  it('lists the three runs with status, current step and who each waits for', async () => {
    const { status, text } = await get('/ops');
    expect(status).toBe(200);
    for (const id of Object.values(world.ids)) expect(text).toContain(`href="/ops/runs/${id}"`);
    const waitingRow =
      text.slice(text.indexOf(`href="/ops/runs/${world.ids.waiting}"`)).split('</tr>')[0] ?? '';
    expect(waitingRow).toContain('in-progress');
    expect(waitingRow).toContain('Partner organization');
    expect(waitingRow).toContain('ana@northwind.example');
    expect(waitingRow).toContain('provisioning contact');
  });

  it('filters by status', async () => {
    const { text } = await get('/ops?status=failed');
    expect(text).toContain(world.ids.failed);
    // A failed row names the state that failed and its error, read from the history.
    expect(text).toContain('Map partner organization (failed)');
    expect(text).toContain('OrganizationNotFoundError');
    expect(text).not.toContain(world.ids.waiting);
    expect(text).not.toContain(world.ids.completed);
    const completed = await get('/ops?status=completed');
    expect(completed.text).toContain(world.ids.completed);
    expect(completed.text).not.toContain(world.ids.failed);
  });

  it('searches by exact order id and by prefix', async () => {
    const exact = await get(`/ops?q=${world.ids.completed}`);
    expect(exact.text).toContain(world.ids.completed);
    expect(exact.text).not.toContain(world.ids.waiting);
    const prefix = await get('/ops?q=OPS-');
    for (const id of Object.values(world.ids)) expect(prefix.text).toContain(id);
    const none = await get('/ops?q=NOPE-123');
    expect(none.text).toContain('No run matches');
  });

  it('ignores a bad status value instead of failing', async () => {
    const { status } = await get('/ops?status=%3Cscript%3E');
    expect(status).toBe(200);
  });
});

describe('one run', () => {
  it('a waiting order: where, who and since when; no task token or link id anywhere', async () => {
    const { page } = await openRun(world.ids.waiting);
    expect(page.status).toBe(200);
    const top = page.text.slice(0, page.text.indexOf('id="actions"'));
    expect(top).toContain('Partner organization');
    expect(top).toContain('ana@northwind.example');
    expect(top).toMatch(/since <time datetime="/);
    expect(page.text).toContain('Receive order');
    expect(page.text).toContain('Order received');
    expect(page.text).toContain('Provisioning information required for your order');
    expect(page.text).toContain('class="asl-graph"');
    expect(page.text).toMatch(/class="state task current" data-state="Partner organization"/);
    expect(page.text).not.toMatch(/\/setup\/[A-Za-z0-9_-]{32}/);
    expect(page.text).not.toMatch(/"taskToken":\s*"(?!\[redacted\])/);
  });

  it('a failed order: the failed step, its error and why', async () => {
    const { page } = await openRun(world.ids.failed);
    const top = page.text.slice(0, page.text.indexOf('id="actions"'));
    expect(top).toContain('Map partner organization');
    expect(top).toContain('OrganizationNotFoundError');
    expect(top).toContain(`No partner organization org-ops-partner in the directory`);
    expect(page.text).toContain(`action="/ops/runs/${world.ids.failed}/redrive"`);
    expect(page.text).toMatch(/class="state task failed" data-state="Map partner organization"/);
    // The failed task ended the run: it is the only state drawn failed.
    expect(page.text.match(/class="state [a-z]+ failed"/g)).toHaveLength(1);
    // The order's failure record (RecordFailure, on the status change) names the same task.
    expect((await findOrder(world.ids.failed))?.failure).toMatchObject({
      step: 'Map partner organization',
      error: 'OrganizationNotFoundError',
    });
  });

  it('a completed order: nobody waited for, the run succeeded', async () => {
    const { page } = await openRun(world.ids.completed);
    expect(page.text).toContain('Nobody: completed');
    expect(page.text).toContain('Provision Webex Meetings');
    expect(page.text).not.toContain('<form method="post"');
  });

  it('an unknown order is a 404 page', async () => {
    const { status, text } = await get('/ops/runs/NO-SUCH-ORDER');
    expect(status).toBe(404);
    expect(text).toContain('No such order');
  });

  it('the CLI prints the same facts', async () => {
    const lines: string[] = [];
    expect(await opsCli(['show', world.ids.failed], (l) => lines.push(l))).toBe(0);
    const out = lines.join('\n');
    expect(out).toMatch(/Failed step:\s+Map partner organization/);
    expect(out).toMatch(/Error:\s+OrganizationNotFoundError/);
    const list: string[] = [];
    expect(await opsCli(['list', '--status', 'in-progress'], (l) => list.push(l))).toBe(0);
    expect(list.join('\n')).toContain(world.ids.waiting);
    expect(list.join('\n')).not.toContain(world.ids.completed);
  });
});

describe('actions', () => {
  it('refuses a post without a valid CSRF token', async () => {
    const { cookie } = await openRun(world.ids.waiting);
    const res = await post(`/ops/runs/${world.ids.waiting}/resend`, cookie, {
      csrf: 'forged',
      confirm: 'yes',
    });
    expect(res.status).toBe(403);
    const other = await post(`/ops/runs/${world.ids.waiting}/resend`, '', { csrf: 'x', confirm: 'yes' });
    expect(other.status).toBe(403);
  });

  it('asks for confirmation when the box is not ticked, and does nothing', async () => {
    const before = (await listSent(world.ids.waiting)).length;
    const { cookie, csrf } = await openRun(world.ids.waiting);
    const res = await post(`/ops/runs/${world.ids.waiting}/resend`, cookie, { csrf });
    expect(res.status).toBe(400);
    expect(res.text).toContain('please confirm');
    expect((await listSent(world.ids.waiting)).length).toBe(before);
  });

  it('resend: a new email to the person waited for, recorded in the audit trail', async () => {
    const emailsBefore = (await sesStore()).length;
    const { cookie, csrf } = await openRun(world.ids.waiting);
    const res = await post(`/ops/runs/${world.ids.waiting}/resend`, cookie, {
      csrf,
      confirm: 'yes',
      actor: 'Maria',
    });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/ops/runs/${world.ids.waiting}?done=resend`);
    const emails = await sesStore();
    expect(emails.length).toBe(emailsBefore + 1);
    expect(emails.at(-1)?.destination?.to).toContain('ana@northwind.example');
    const audit = await listAudit(world.ids.waiting);
    expect(audit.at(-1)).toMatchObject({ actor: 'ops:Maria', action: 'Setup link resent' });
    expect(audit.at(-1)?.details.to).toBe('ana@northwind.example');
    // The step still waits: a resend changes nothing in the run.
    expect((await getStep(world.ids.waiting, 'partner-org'))?.status).toBe('pending');
    const after = await get(`/ops/runs/${world.ids.waiting}?done=resend`, cookie);
    expect(after.text).toContain('A fresh setup link was emailed');
  });

  it('redrive: the failed run continues from the failed step once the cause is fixed', async () => {
    await world.restorePartnerOrg();
    const { cookie, csrf } = await openRun(world.ids.failed);
    const res = await post(`/ops/runs/${world.ids.failed}/redrive`, cookie, { csrf, confirm: 'yes' });
    expect(res.status).toBe(303);
    await waitForPending(world.ids.failed, 'customer-org');
    const order = await findOrder(world.ids.failed);
    expect(order?.status).toBe('in-progress');
    expect(order?.partnerOrg?.orgId).toBe('org-ops-partner');
    const { events = [] } = await sfn().send(
      new GetExecutionHistoryCommand({ executionArn: executionArnFor(world.ids.failed), maxResults: 1000 }),
    );
    const redriven = events.findIndex((e) => e.type === 'ExecutionRedriven');
    expect(redriven).toBeGreaterThan(0);
    // From the failed step: it runs again (a new attempt that succeeds), the steps before it do not.
    const after = events.slice(redriven);
    expect(after.some((e) => e.stateEnteredEventDetails?.name === 'Receive order')).toBe(false);
    const trace = traceRun(events);
    const mapped = trace.steps.filter((s) => s.name === 'Map partner organization');
    expect(mapped.flatMap((s) => s.attempts.map((a) => a.outcome))).toEqual(['failed', 'succeeded']);
    expect(mapped.at(-1)).toMatchObject({ status: 'succeeded', redrive: 1 });
    expect(trace.steps.filter((s) => s.name === 'Receive order')).toHaveLength(1);
    expect(trace.current).toEqual(['Customer organization']);
    const audit = await listAudit(world.ids.failed);
    expect(audit.find((a) => a.action === 'Run redriven')).toMatchObject({
      actor: 'ops',
      details: { step: 'Map partner organization', error: 'OrganizationNotFoundError', redrive: 1 },
    });
    const page = await get(`/ops/runs/${world.ids.failed}`);
    expect(page.text).toMatch(/class="state task current" data-state="Customer organization"/);
  });

  it('redrive is refused for a run that did not fail', async () => {
    // A completed run's page has no forms: take the token from another page of the same session.
    const { cookie, csrf } = await openRun(world.ids.failed);
    const res = await post(`/ops/runs/${world.ids.completed}/redrive`, cookie, { csrf, confirm: 'yes' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Nothing was done');
  });

  it('cancel: the order is cancelled and its run aborted', async () => {
    const { cookie, csrf } = await openRun(world.ids.waiting);
    const noReason = await post(`/ops/runs/${world.ids.waiting}/cancel`, cookie, { csrf, confirm: 'yes' });
    expect(noReason.status).toBe(400);
    // A reason with a NUL or a tab, or over 500 characters: said plainly, and nothing is done.
    for (const reason of ['Customer\u0000withdrew', 'Customer\twithdrew', 'x'.repeat(501)]) {
      const bad = await post(`/ops/runs/${world.ids.waiting}/cancel`, cookie, {
        csrf,
        confirm: 'yes',
        reason,
      });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('Reason not accepted');
    }
    expect((await findOrder(world.ids.waiting))?.status).not.toBe('cancelled');
    const res = await post(`/ops/runs/${world.ids.waiting}/cancel`, cookie, {
      csrf,
      confirm: 'yes',
      actor: 'Maria',
      reason: 'Customer withdrew the order',
    });
    expect(res.status).toBe(303);
    await waitForRun(world.ids.waiting, 'ABORTED');
    const order = await waitFor('order cancelled', async () => {
      const o = await findOrder(world.ids.waiting);
      return o?.status === 'cancelled' ? o : undefined;
    });
    expect(order.cancelReason).toBe('Customer withdrew the order');
    const audit = await listAudit(world.ids.waiting);
    expect(audit.some((a) => a.actor === 'ops:Maria' && a.action === 'Order cancelled')).toBe(true);
    const page = await get(`/ops/runs/${world.ids.waiting}`);
    expect(page.text).toContain('Nobody: cancelled (Customer withdrew the order)');
  });
});
