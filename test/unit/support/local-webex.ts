import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resetConfig } from '../../../functions/shared/config';
import { updateOrder } from '../../../functions/shared/adapters/order-repository';
import { ensureCustomer, getCustomer } from '../../../functions/shared/webex/webex-port';
import { waitFor } from '../../helpers/wait';
import { resetWebexClient } from '../../../functions/shared/webex/webex-client';
import { startLocalWebex, type LocalWebex } from '../../../infra/local/webex/local-webex';
import { NO_FAULTS, type WebexFaults } from '../../../infra/local/webex/webex-faults';
import { seedOrder } from './seed';

// The local Webex for unit and contract tests: a free port, a temporary directory, the adapter's
// environment pointed at it. `state()` reads what exists, as the page shows it.

export interface WebexState {
  partnerOrg: { id: string; displayName: string };
  customers: {
    id: string;
    orgId?: string;
    externalId: string;
    name: string;
    status: string;
    packages: string[];
    meetingsTimezone?: string;
    resourceDetails?: { packages: { name: string; status: string }[] };
  }[];
  sites: {
    id: string;
    orgId: string;
    siteName: string;
    siteUrl: string;
    status: string;
    submissions: number;
  }[];
  locations: { id: string; orgId: string; name: string; callingEnabled: boolean }[];
}

export interface TestWebex extends LocalWebex {
  state(): Promise<WebexState>;
  faults(faults: Partial<WebexFaults>): void;
  stop(): Promise<void>;
}

export async function startTestWebex(
  options: {
    jobSeconds?: number;
    tokenTtlSeconds?: number;
    dataDir?: string;
    /** Where fault draws come from: a seeded stream (infra/local/faults.ts seededRandom) makes them repeatable. */
    random?: () => number;
  } = {},
): Promise<TestWebex> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'local-webex-'));
  const webex = await startLocalWebex({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    jobSeconds: options.jobSeconds ?? 0,
    tokenTtlSeconds: options.tokenTtlSeconds,
    random: options.random,
  });
  process.env.WEBEX_API_URL = webex.apiUrl;
  process.env.WEBEX_CREDENTIALS = JSON.stringify(webex.credentials);
  resetConfig();
  resetWebexClient();
  return {
    ...webex,
    state: async () => (await (await fetch(`${webex.url}/_local/state`)).json()) as WebexState,
    faults: (faults) => webex.setFaults({ ...NO_FAULTS, ...faults }),
    stop: async () => {
      webex.server.closeAllConnections?.();
      await new Promise<void>((resolve) => webex.server.close(() => resolve()));
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let orgCounter = 0;

/** An order whose customer org exists in the local Webex (provisioned), as after "Check customer organization". */
export async function seedWebexOrder(): Promise<{ orderId: string; webexOrgId: string }> {
  const orgId = `org-customer-test-${process.pid}-${++orgCounter}-${Date.now()}`;
  const customer = await ensureCustomer({
    provisioningId: 'test',
    packages: ['webex_meetings'],
    externalId: orgId,
    address: {
      addressLine1: 'Strada Lipscani 1',
      city: 'București',
      stateOrProvince: 'București',
      zipOrPostalCode: '030031',
      country: 'RO',
    },
    customerInfo: { name: `Customer ${orgCounter}`, primaryEmail: 'admin@example.com' },
  });
  // A local Webex whose jobs take time presents the org once its job is done.
  const ready = customer.orgId
    ? customer
    : await waitFor('the seeded customer provisioned', async () => {
        const { customer: now } = await getCustomer(customer.id);
        return now.status === 'provisioned' && now;
      });
  if (!ready.orgId) throw new Error('the local Webex did not present the seeded customer org');
  const webexOrgId = ready.orgId;
  const orderId = await seedOrder();
  await updateOrder(orderId, {
    customerOrg: {
      orgId,
      name: `Customer ${orgCounter}`,
      created: false,
      adminEmail: 'admin@example.com',
      webexOrgId,
    },
  });
  return { orderId, webexOrgId };
}
