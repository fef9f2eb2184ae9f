import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWebexApp } from '../../../infra/local/webex/webex-app';
import { NO_FAULTS } from '../../../infra/local/webex/webex-faults';
import { WebexStateFile, webexId } from '../../../infra/local/webex/webex-state';

// The local Webex works its jobs out by the clock: a customer is `provisioning` until its job's
// readyAt, then provisioned, and only then presents its orgId (as Webex does). A job may end while
// a request is being answered: whatever moment that is, the answer never shows the customer
// provisioned without its orgId (a check would fail the run on it).

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('local Webex: a customer job that ends during a request', () => {
  it('is shown provisioned only with its orgId, whenever during the request the job ends', async () => {
    for (let before = 1; before <= 6; before++) {
      const dir = mkdtempSync(join(tmpdir(), 'local-webex-job-'));
      dirs.push(dir);
      const store = new WebexStateFile(join(dir, 'state.json'));
      const { app } = createWebexApp(store, { jobSeconds: 1, tokenTtlSeconds: 3600, faults: NO_FAULTS });
      const readyAt = Date.now() + 60_000;
      store.state.tokens.token = readyAt + 3_600_000;
      const id = webexId('CUSTOMER');
      store.state.customers.push({
        id,
        orgId: webexId('ORGANIZATION'),
        externalId: `org-${before}`,
        name: 'Acme',
        primaryEmail: 'admin@acme.example',
        address: {},
        packages: ['webex_meetings'],
        createdAt: new Date().toISOString(),
        job: { readyAt, phase: 'provisioning', outcome: 'provisioned', failedPackages: [], submissions: 1 },
        orgPresented: false,
      });
      // Each reading of the clock is a millisecond later; the job ends at the `before`-th reading.
      let now = readyAt - before;
      vi.spyOn(Date, 'now').mockImplementation(() => now++);

      const res = await app.request(`/v1/wholesale/customers/${id}`, {
        headers: { authorization: 'Bearer token' },
      });
      vi.restoreAllMocks();

      const body = (await res.json()) as { status: string; orgId?: string };
      expect(res.status).toBe(200);
      if (body.status === 'provisioned') expect(body.orgId, `job ending at reading ${before}`).toBeDefined();
    }
  });
});
