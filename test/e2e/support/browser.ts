import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { OrderPlacedDetail } from '../../../functions/shared/domain/order.schema';
import type { AttachedRuntime } from '../../helpers/test-runtime';
import { waitFor } from '../../helpers/wait';

// The browser side of the end-to-end suite: Debian's Chromium driven by playwright-core, the
// local mailbox as the contact's inbox, axe on every page and a screenshot of every page.

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

export function browserAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface AxeFinding {
  page: string;
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Every page visited, with what axe found on it: the suite asserts on these and prints a summary. */
export const audit = {
  pages: 0,
  findings: [] as AxeFinding[],
  screenshots: 0,
};

/** A browser tab that checks and photographs every page it lands on. */
export class Visitor {
  private step = 0;
  constructor(
    readonly page: Page,
    private readonly scenario: string,
    /** False: the pages must work as plain HTML forms. */
    readonly javaScript = true,
    /** axe needs JavaScript: with it off in the tab, axe checks a copy of the page in this one. */
    private readonly twin?: Page,
  ) {}

  /** Runs axe on the page as it is now and saves a screenshot; fails on serious or critical findings. */
  async check(name: string): Promise<void> {
    const label = `${this.scenario}/${String(++this.step).padStart(2, '0')}-${name}`;
    await this.page.waitForLoadState('load');
    let target = this.page;
    if (this.twin) {
      const copy = (await this.page.content()).replace(/<script>[\s\S]*?<\/script>/g, '');
      await this.twin.setContent(copy, { waitUntil: 'load' });
      target = this.twin;
    }
    // axe.run in the page (legacy mode), not runPartial here and finishRun in a new blank tab with
    // axe injected twice: the same rules and findings (these pages have no cross-origin frames, the
    // one thing legacy mode leaves out), in a quarter of the time. Only violations are read, so
    // only they are gathered in full.
    const results = await new AxeBuilder({ page: target })
      .setLegacyMode()
      .options({ resultTypes: ['violations'] })
      .analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    audit.pages++;
    for (const v of results.violations) {
      audit.findings.push({
        page: label,
        id: v.id,
        impact: v.impact ?? 'unknown',
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      });
    }
    mkdirSync(join(SCREENSHOT_DIR, this.scenario), { recursive: true });
    await this.page.screenshot({ path: join(SCREENSHOT_DIR, `${label}.png`), fullPage: true });
    audit.screenshots++;
    if (bad.length > 0) {
      throw new Error(
        `axe found ${bad.length} serious/critical violation(s) on ${label}: ${bad
          .map(
            (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
          )
          .join('; ')}`,
      );
    }
  }
}

export async function newVisitor(
  browser: Browser,
  scenario: string,
  {
    javaScript = true,
    viewport = { width: 1100, height: 900 },
  }: { javaScript?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; visitor: Visitor }> {
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport,
    javaScriptEnabled: javaScript,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const twin = javaScript
    ? undefined
    : await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  if (twin) context.on('close', () => void twin.context().close());
  return { context, visitor: new Visitor(page, scenario, javaScript, twin) };
}

// ---------------------------------------------------------------------------------------------
// Orders and the mailbox.

/** What the browser suites use of a runtime: its endpoints and an SFN client (a shared runtime has them). */
export type RuntimeAccess = Pick<AttachedRuntime, 'urls' | 'env' | 'sfnClient' | 'stateMachineArn'>;

/** Starts a run as the intake does (execution name = order id, the runtime's Webex polling), with waiting steps that wait an hour. */
export async function placeOrder(rt: RuntimeAccess, detail: OrderPlacedDetail): Promise<void> {
  await rt.sfnClient.send(
    new StartExecutionCommand({
      stateMachineArn: rt.stateMachineArn,
      name: detail.orderId,
      input: JSON.stringify({
        order: detail,
        settings: {
          stepTimeoutSeconds: 3600,
          maxReminders: 2,
          // The local Webex's polling, as the intake gives it (without it a run waits the AWS
          // default of 10 s before its first look at a job the local Webex ends in half a second).
          webexPoll: {
            firstWaitSeconds: Number(rt.env.WEBEX_POLL_FIRST_WAIT_SECONDS),
            maxWaitSeconds: Number(rt.env.WEBEX_POLL_MAX_WAIT_SECONDS),
            maxPolls: Number(rt.env.WEBEX_POLL_MAX_POLLS),
          },
        },
      }),
    }),
  );
}

export interface StoredEmail {
  subject: string;
  destination: { to: string[] };
  body: { html?: string; text?: string };
}

export async function mailbox(rt: RuntimeAccess): Promise<StoredEmail[]> {
  const res = await fetch(`${rt.urls.ses}/store`);
  const data = (await res.json()) as { emails: StoredEmail[] };
  return data.emails;
}

const LINK = /\/setup\/[A-Za-z0-9_-]{32,}/;
const used = new Set<string>();

/**
 * Waits for a new email to `to` about `orderId` carrying a setup link, opens it in the tab as the
 * contact would read it, and clicks its button (e.g. "Set up service").
 */
export async function openEmailAndClick(
  rt: RuntimeAccess,
  visitor: Visitor,
  to: string,
  orderId: string,
  button: string | RegExp,
): Promise<void> {
  const email = await waitFor(
    `an email to ${to} for ${orderId}`,
    async () =>
      (await mailbox(rt)).find((e) => {
        const link = LINK.exec(e.body.html ?? '')?.[0];
        return (
          e.destination.to.includes(to) &&
          (e.subject.includes(orderId) || (e.body.text ?? '').includes(orderId)) &&
          link !== undefined &&
          !used.has(link)
        );
      }),
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  used.add(LINK.exec(email.body.html ?? '')?.[0] ?? '');
  // The email is shown in this tab as a mail client would (served from a stand-in address, so it
  // works with JavaScript off too); its links open in the same tab here.
  const html = (email.body.html ?? '').replace(/\starget="_blank"/g, '');
  await visitor.page.route('http://mailbox.test/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
  );
  await visitor.page.goto(`http://mailbox.test/${encodeURIComponent(orderId)}`);
  await visitor.page.unroute('http://mailbox.test/**');
  await visitor.page.getByRole('link', { name: button }).first().click();
  await visitor.page.waitForURL(LINK);
}

/** Shows the newest email to `to` whose subject has `subjectPart` in the tab, as a mail client would. */
export async function showEmail(
  rt: RuntimeAccess,
  visitor: Visitor,
  to: string,
  subjectPart: string,
): Promise<void> {
  const email = await waitFor(
    `an email to ${to} about ${subjectPart}`,
    async () =>
      (await mailbox(rt))
        .filter((e) => e.destination.to.includes(to) && e.subject.includes(subjectPart))
        .at(-1),
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  await visitor.page.route('http://mailbox.test/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: email.body.html ?? '' }),
  );
  await visitor.page.goto(`http://mailbox.test/${encodeURIComponent(subjectPart)}`);
  await visitor.page.unroute('http://mailbox.test/**');
}

export function isPdf(path: string): boolean {
  return readFileSync(path).subarray(0, 5).toString('latin1') === '%PDF-';
}
