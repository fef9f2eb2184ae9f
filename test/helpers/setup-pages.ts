import { findOrganization } from '../../functions/shared/adapters/org-directory';
import type { OrgChoiceResult, StepId } from '../../functions/shared/domain/steps.schema';
import { decode, formsOf, h1 } from '../wizard/support/web-client';

// A person at the setup pages, over HTTP, as a browser without JavaScript posts their forms: the
// link from the email opened, the step's form read for its CSRF token and carried values, the
// answer typed into the form's own fields and posted with the headers a browser sends. The pages
// do the rest (validation, the claim, the audit entry, SendTaskSuccess, the confirmation), so the
// integration suites drive the same code a person does.

/** The page answered a post with something other than "on to the next step". */
export class SetupPageRefused extends Error {
  override name = 'SetupPageRefused';
  constructor(
    readonly status: number,
    readonly heading: string,
    readonly errors: string[],
    what: string,
  ) {
    super(
      `The setup page refused ${what}: HTTP ${status} "${heading}"${errors.length ? `: ${errors.join('; ')}` : ''}`,
    );
  }
}

interface Page {
  status: number;
  url: string;
  body: string;
  location?: string;
}

/** The visible error messages of a page (beside the fields and in the summary). */
function errorsOf(body: string): string[] {
  return [...body.matchAll(/<span class="error-msg"[^>]*>([\s\S]*?)<\/span>/g)].map((m) =>
    decode((m[1] ?? '').replace(/<[^>]+>/g, '').trim()),
  );
}

export class SetupPagesVisitor {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly publicBaseUrl: string) {}

  private keep(res: Response): void {
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }

  private cookieHeader(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }

  private absolute(url: string): string {
    return new URL(url, this.publicBaseUrl).toString();
  }

  async get(url: string): Promise<Page> {
    const target = this.absolute(url);
    const res = await fetch(target, { headers: this.cookieHeader(), redirect: 'manual' });
    this.keep(res);
    const location = res.headers.get('location') ?? undefined;
    // Follow the pages' own redirects, as a browser does.
    if (res.status >= 300 && res.status < 400 && location) return this.get(location);
    return { status: res.status, url: target, body: await res.text(), location };
  }

  /** Posts a url-encoded form as a browser does from a page of the setup pages themselves. */
  async post(url: string, form: Record<string, string>): Promise<Page> {
    const target = this.absolute(url);
    const res = await fetch(target, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: new URL(this.publicBaseUrl).origin,
        'sec-fetch-site': 'same-origin',
        ...this.cookieHeader(),
      },
      body: new URLSearchParams(form).toString(),
    });
    this.keep(res);
    return {
      status: res.status,
      url: target,
      body: await res.text(),
      location: res.headers.get('location') ?? undefined,
    };
  }
}

/** The form of `page` that posts to the step (its action ends with /steps/<stepId>), if any. */
export function stepForm(body: string, stepId: StepId) {
  return formsOf(body).find((f) => f.action.split('?')[0]?.endsWith(`/steps/${stepId}`));
}

/** What the person types into the step's form for `result` (the step's result schema's shape). */
function fieldsFor(stepId: StepId, result: Record<string, unknown>): Record<string, string> {
  switch (stepId) {
    case 'order-for':
      return {
        intent: 'submit',
        choice: String(result.choice),
        ...(result.choice === 'someone-else' ? { email: String(result.email) } : {}),
      };
    case 'customer-review':
      return { intent: 'submit', ...(result.selfSetup === true ? { selfSetup: 'yes' } : {}) };
    case 'service-meetings':
    case 'service-calling': {
      const settings = result.settings as Record<string, unknown>;
      if (result.type === 'meetings') {
        const sites = settings.sites as {
          siteName: string;
          timeZone: string;
          earlyRelease?: boolean;
          licenses: number;
        }[];
        return Object.assign(
          { intent: 'confirm', siteCount: String(sites.length) },
          ...sites.map((s, i) => ({
            [`site-${i}-name`]: s.siteName,
            [`site-${i}-tz`]: s.timeZone,
            ...(s.earlyRelease ? { [`site-${i}-early`]: 'yes' } : {}),
            [`site-${i}-licenses`]: String(s.licenses),
          })),
        ) as Record<string, string>;
      }
      const location = settings.location as Record<string, string | undefined>;
      return {
        intent: 'confirm',
        ...Object.fromEntries(
          Object.entries(location).filter((e): e is [string, string] => e[1] !== undefined),
        ),
      };
    }
    default:
      throw new Error(`fieldsFor: ${stepId} is an organization step`);
  }
}

/**
 * The organization steps take two posts, as a person does: look up (or search by domain) to see
 * what the page offers, then pick the organization from those offers, or create a new one.
 */
async function answerOrgStep(
  visitor: SetupPagesVisitor,
  action: string,
  hidden: Record<string, string>,
  result: OrgChoiceResult & { adminEmail?: string },
): Promise<Page> {
  const admin: Record<string, string> = result.adminEmail ? { adminEmail: result.adminEmail } : {};
  if (result.action === 'create') {
    return visitor.post(action, {
      ...hidden,
      ...admin,
      intent: 'confirm',
      name: result.organization.name,
      businessVertical: result.organization.businessVertical,
      country: result.organization.country,
      // The postal address Webex needs to provision the org (the create form asks for it).
      street: result.organization.address.street,
      city: result.organization.address.city,
      state: result.organization.address.state ?? '',
      postalCode: result.organization.address.postalCode ?? '',
    });
  }
  const offers =
    result.outcome === 'searched'
      ? await visitor.post(action, {
          ...hidden,
          ...admin,
          intent: 'search',
          domain: result.searchedDomain ?? '',
        })
      : await visitor.post(action, { ...hidden, ...admin, intent: 'lookup' });
  if (offers.status !== 200) {
    throw new SetupPageRefused(offers.status, h1(offers.body), errorsOf(offers.body), 'the lookup');
  }
  const org = await findOrganization(result.orgId);
  if (!org) throw new Error(`No organization ${result.orgId} in the directory`);
  const mapForms = formsOf(offers.body).filter((f) => f.action === action);
  let ref: string | undefined;
  if (result.outcome === 'associated') {
    // Associated: one organization, carried in the form as a hidden field, shown on a card.
    ref = mapForms.find((f) => f.hidden.orgId)?.hidden.orgId;
    if (!ref || !offers.body.includes(org.name))
      throw new Error(`The page does not offer ${org.name} (${result.orgId}) as associated`);
  } else {
    // Matched or searched: one radio button per organization, labelled with its name.
    for (const m of offers.body.matchAll(/<label for="org-([^"]+)">([\s\S]*?)<\/label>/g)) {
      if (decode((m[2] ?? '').trim()) === org.name) ref = m[1];
    }
    if (!ref) throw new Error(`The page offers no ${org.name} (${result.orgId}) to pick (${result.outcome})`);
  }
  const form = mapForms.find((f) => f.hidden.orgId === ref) ?? mapForms.at(-1);
  return visitor.post(action, {
    ...(form?.hidden ?? hidden),
    ...admin,
    intent: 'map',
    orgId: ref,
    ...(result.outcome === 'searched' && result.searchedDomain
      ? { searchedDomain: result.searchedDomain }
      : ({} as Record<string, string>)),
  });
}

/**
 * Answers the step at the link's page: the step's own form, filled with `result`. Resolves when
 * the pages took the answer (they send the browser on to the next step); throws SetupPageRefused
 * with the page's heading and error messages otherwise.
 */
export async function answerAtLink(
  visitor: SetupPagesVisitor,
  link: string,
  stepId: StepId,
  result: Record<string, unknown>,
): Promise<void> {
  const page = await visitor.get(link);
  const form = stepForm(page.body, stepId);
  if (!form) {
    throw new SetupPageRefused(
      page.status,
      h1(page.body),
      errorsOf(page.body),
      `to show a form for ${stepId}`,
    );
  }
  const answered =
    stepId === 'partner-org' || stepId === 'customer-org'
      ? await answerOrgStep(visitor, form.action, form.hidden, result as OrgChoiceResult)
      : await visitor.post(form.action, { ...form.hidden, ...fieldsFor(stepId, result) });
  if (answered.status === 303 && answered.location?.includes(`/next?after=${stepId}`)) return;
  throw new SetupPageRefused(
    answered.status,
    h1(answered.body),
    errorsOf(answered.body),
    `the ${stepId} answer`,
  );
}
