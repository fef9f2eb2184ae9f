import type { LinkRecord } from '../shared/adapters/link-store';
import type { WaitingStep } from '../shared/adapters/step-store';
import { getConfig } from '../shared/config';
import { hmac } from '../shared/domain/links';
import type { OrderRecord } from '../shared/domain/order-record.schema';
import type { Language } from '../shared/domain/order.schema';
import { wizardTranslator, type WizardKey } from '../shared/i18n/wizard.catalog';
import type { WebRequest, WebResponse } from './http.types';
import { renderPage, type PageContext, type ProgressStep } from './layout';
import type { StatusPage } from './pages/status.page';
import { csrfToken, type Session } from './security';
import { STEP_PROGRESS_KEY, type StepContext } from './step-context';

// What every setup-page request carries (the signing key, the session, the language asked for),
// and the helpers that turn it into a page, a redirect, a link's address or a step's context.

export interface RequestContext {
  request: WebRequest;
  key: string;
  session: Session;
  /** The language asked for in the query (?lang=), which is then kept in the session cookie. */
  askedLang?: Language;
  base: string;
  cookies: string[];
  /** The link id in the route (`/setup/:linkId/…`), when the route has one. */
  linkId?: string;
}

export function basePath(): string {
  return new URL(getConfig().PUBLIC_BASE_URL).pathname.replace(/\/+$/, '');
}

function pickLanguage(rc: RequestContext, order?: OrderRecord): Language {
  if (rc.askedLang) return rc.askedLang;
  if (rc.session.lang) return rc.session.lang;
  if (order) return order.contact.language;
  return /^ro\b/i.test(rc.request.headers['accept-language'] ?? '') ? 'ro' : 'en';
}

export function pageContext(
  rc: RequestContext,
  selfPath: string,
  order?: OrderRecord,
  progress?: ProgressStep[],
): PageContext {
  const lang = pickLanguage(rc, order);
  return { lang, t: wizardTranslator(lang), selfPath, orderId: order?.orderId, progress };
}

export function respond(rc: RequestContext, ctx: PageContext, page: StatusPage): WebResponse {
  const response = renderPage(ctx, page);
  return { ...response, cookies: [...rc.cookies] };
}

export function redirect(rc: RequestContext, location: string, status = 303): WebResponse {
  // The CSP and the other security headers: secureHeaders, in web-app.ts.
  return { status, headers: { location, 'cache-control': 'no-store' }, cookies: [...rc.cookies], body: '' };
}

export const linkPath = (rc: RequestContext, linkId: string) => `${rc.base}/setup/${linkId}`;

/**
 * Where a page that is not a link's own view (not found, not valid, an error) points its language
 * links: built from the route, never from the request path (`//evil.example` would otherwise
 * become a link to another site). The link's address when the route has one, else the base.
 */
export const routeSelf = (rc: RequestContext) =>
  rc.linkId === undefined ? `${rc.base}/` : linkPath(rc, encodeURIComponent(rc.linkId));

export function progressFor(order: OrderRecord, link: LinkRecord, current: WizardKey): ProgressStep[] {
  const keys: WizardKey[] =
    link.scope === 'services'
      ? ['progress.services', 'progress.done']
      : order.orderFor === 'my-company'
        ? ['progress.orderFor', 'progress.customer', 'progress.review', 'progress.services', 'progress.done']
        : [
            'progress.orderFor',
            'progress.partner',
            'progress.customer',
            'progress.review',
            'progress.services',
            'progress.done',
          ];
  const at = keys.indexOf(current);
  return keys.map((key, i) => ({ key, state: i < at ? 'done' : i === at ? 'current' : 'todo' }));
}

export function stepContext(
  rc: RequestContext,
  linkId: string,
  link: LinkRecord,
  order: OrderRecord,
  step: WaitingStep,
  /** What the page's read of the order found besides it (gate.ts): audit entries, site names held. */
  read: { audited?: ReadonlySet<string>; heldSites?: readonly string[] } = {},
): StepContext {
  const self = linkPath(rc, linkId);
  return {
    audited: read.audited,
    heldSites: read.heldSites,
    page: pageContext(rc, self, order, progressFor(order, link, STEP_PROGRESS_KEY[step.stepId])),
    linkId,
    link,
    order,
    step,
    action: `${self}/steps/${step.stepId}`,
    csrf: csrfToken(rc.key, link.linkHash, step.stepId),
    laterAction: `${self}/later/${step.stepId}`,
    laterCsrf: csrfToken(rc.key, link.linkHash, `later:${step.stepId}`),
    now: new Date(),
    sign: (value) => hmac(rc.key, `${link.linkHash}|${value}`),
  };
}
