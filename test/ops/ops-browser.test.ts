import { existsSync, mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAudit, findOrder } from '../../functions/shared/adapters/order-repository';
import { waitFor } from '../helpers/wait';
import { startOpsScenario, type OpsScenario } from './fixtures/ops-scenario';

// A real browser through the ops view: a waiting, a failed and a completed run as an ops
// engineer sees them (screenshots kept as test artifacts), then the failed run redriven by
// ticking the confirmation and pressing the button.

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = 'test-results/screenshots';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser) {
  const message = `Browser test skipped: ${CHROMIUM} not found (apt-get install chromium).`;
  if (process.env.REQUIRE_BROWSER)
    throw new Error(`${message} REQUIRE_BROWSER is set, so this is a failure.`);
  console.warn(message);
}

describe.skipIf(!haveBrowser)('ops view in a browser', () => {
  let world: OpsScenario;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    world = await startOpsScenario();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    page = await context.newPage();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await world?.stop();
  });

  const open = async (path: string) => {
    const res = await page.goto(`${world.runtime.urls.web}${path}`);
    expect(res?.status()).toBe(200);
  };

  async function seriousA11yViolations(): Promise<string[]> {
    // axe.run in the page, violations only: as the wizard's browser suites (test/e2e/support/browser.ts).
    const results = await new AxeBuilder({ page })
      .setLegacyMode()
      .options({ resultTypes: ['violations'] })
      .withTags(['wcag2a', 'wcag2aa'])
      .analyze();
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  it('shows the runs, and a waiting, a failed and a completed run', async () => {
    await open('/ops');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(3);
    await page.screenshot({ path: `${SHOTS}/ops-runs.png`, fullPage: true });
    expect(await seriousA11yViolations()).toEqual([]);

    await open(`/ops/runs/${world.ids.waiting}`);
    await expect
      .poll(() => page.locator('#f-wait').locator('..').innerText())
      .toContain('ana@northwind.example');
    await page.screenshot({ path: `${SHOTS}/ops-waiting.png`, fullPage: true });
    expect(await seriousA11yViolations()).toEqual([]);

    // A Webex id as Webex writes it (no break opportunity in 86 characters) in the audit trail.
    await addAudit(world.ids.completed, {
      actor: 'system',
      action: 'Customer organization provisioned in Webex',
      details: {
        webexOrgId: `Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi85ZjNjMmE0Ny1lNWQxLTRiOGEtOWMwZi0xYTJiM2M0ZDVlNmY`,
      },
    });
    await open(`/ops/runs/${world.ids.completed}`);
    expect(await page.locator('#f-wait').locator('..').innerText()).toContain('Nobody: completed');
    // The long id wraps in its cell: on a laptop's window the page is no wider than the window.
    await page.setViewportSize({ width: 1024, height: 800 });
    const width = await page.locator('html').evaluate((el) => el.scrollWidth);
    await page.setViewportSize({ width: 1360, height: 900 });
    expect(width).toBeLessThanOrEqual(1024);
    await page.screenshot({ path: `${SHOTS}/ops-completed.png`, fullPage: true });

    await open(`/ops/runs/${world.ids.failed}`);
    const failure = await page.locator('#failure').innerText();
    expect(failure).toContain('Map partner organization');
    expect(failure).toContain('OrganizationNotFoundError');
    // The drawing shows the failed task in red, and nothing else: the run ended there.
    expect(await page.locator('[data-state="Map partner organization"]').getAttribute('class')).toContain(
      'failed',
    );
    expect(await page.locator('.asl-graph .state.failed').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/ops-failed.png`, fullPage: true });
    expect(await seriousA11yViolations()).toEqual([]);
  });

  it('redrives the failed run from the page', async () => {
    await world.restorePartnerOrg();
    await open(`/ops/runs/${world.ids.failed}`);
    const form = page.locator(`form[action="/ops/runs/${world.ids.failed}/redrive"]`);
    await form.getByLabel('Your name').fill('Maria');
    // The browser refuses to submit until the confirmation is ticked: no request leaves the page
    // (a click that starts a navigation has sent its POST by the time click() returns), the box
    // says it is missing, and the run is still the failed one.
    const posts: string[] = [];
    const countPost = (request: { method(): string; url(): string }) => {
      if (request.method() === 'POST') posts.push(request.url());
    };
    page.on('request', countPost);
    await form.getByRole('button', { name: 'Redrive the failed run' }).click();
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    page.off('request', countPost);
    expect(posts).toEqual([]);
    expect(
      await form
        .getByRole('checkbox')
        .evaluate((box) => (box as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing),
    ).toBe(true);
    expect((await findOrder(world.ids.failed))?.status).toBe('failed');
    expect(await page.locator('[role=status]').count()).toBe(0);
    await form.getByRole('checkbox').check();
    await Promise.all([
      page.waitForURL(/done=redrive/),
      form.getByRole('button', { name: 'Redrive the failed run' }).click(),
    ]);
    expect(await page.locator('[role=status]').innerText()).toContain('redriven from the failed step');

    await waitFor('the redriven run to wait at the customer organization', async () => {
      const order = await findOrder(world.ids.failed);
      return order?.currentStep === 'Customer organization';
    });
    await page.reload();
    const wait = await page.locator('#f-wait').locator('..').innerText();
    expect(wait).toContain('ana@northwind.example');
    expect(await page.locator('[data-state="Customer organization"]').getAttribute('class')).toContain(
      'current',
    );
    expect(await page.locator('#audit').locator('xpath=following-sibling::table[1]').innerText()).toContain(
      'ops:Maria',
    );
    await page.screenshot({ path: `${SHOTS}/ops-redriven.png`, fullPage: true });
  });
});
