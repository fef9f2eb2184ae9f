import { webexResultLines } from '../../shared/domain/webex-results';
import type { OrderRecord } from '../../shared/domain/order-record.schema';
import type { ServiceType } from '../../shared/domain/order.schema';
import { siteUrl } from '../../shared/domain/meetings.schema';
import type { WizardKey } from '../../shared/i18n/wizard.catalog';
import { addressLines } from '../../shared/documents/address';
import { lineBreaks, markup, type SafeHtml } from '../html';
import { announcementLanguageName, formatDate, serviceName, whereOrderStands } from '../display';
import type { PageContext, PageOptions } from '../layout';
import { timeZoneLabel } from '../../shared/documents/time-zone-names';

// Pages that say where things stand: link problems, closed orders, the run at work, and Done.

export interface StatusPage extends PageOptions {
  /** Keep the progress bar off pages about links and errors. */
  plain?: boolean;
}

export function messagePage(
  ctx: PageContext,
  titleKey: WizardKey,
  bodyKey: WizardKey,
  status: number,
  extra: SafeHtml = markup``,
  vars: Record<string, string> = {},
): StatusPage {
  const { t } = ctx;
  return {
    title: t(titleKey),
    status,
    body: markup`<h1>${t(titleKey)}</h1>
      <p class="lead">${t(bodyKey, vars)}</p>
      ${extra}`,
  };
}

/** The expired and revoked link pages offer a fresh link, sent only to the address on file. */
export function newLinkForm(ctx: PageContext, action: string, csrf: string): SafeHtml {
  const { t } = ctx;
  return markup`<form method="post" action="${action}">
    <input type="hidden" name="csrf" value="${csrf}" />
    <p class="muted">${t('page.newLinkHelp')}</p>
    <div class="actions"><button class="btn" type="submit">${t('page.newLink')}</button></div>
  </form>`;
}

export function closedOrderPage(ctx: PageContext, order: OrderRecord): StatusPage {
  const vars = { orderId: order.orderId };
  switch (order.status) {
    case 'cancelled':
      return messagePage(ctx, 'page.cancelledTitle', 'page.cancelledBody', 200, markup``, vars);
    case 'expired':
      return messagePage(ctx, 'page.orderExpiredTitle', 'page.orderExpiredBody', 200, markup``, vars);
    default:
      return messagePage(ctx, 'page.failedTitle', 'page.failedBody', 200, markup``, vars);
  }
}

export function standsPage(
  ctx: PageContext,
  order: OrderRecord,
  titleKey: WizardKey,
  bodyKey: WizardKey,
  status: number,
  vars: Record<string, string> = {},
): StatusPage {
  return messagePage(ctx, titleKey, bodyKey, status, whereOrderStands(ctx.t, ctx.lang, order), vars);
}

export function processingPage(ctx: PageContext, order: OrderRecord, refreshUrl: string): StatusPage {
  const { t } = ctx;
  return {
    title: t('page.processingTitle'),
    status: 200,
    refresh: { seconds: 4, url: refreshUrl },
    body: markup`<h1>${t('page.processingTitle')}</h1>
      <p class="lead" role="status">${t('page.processingBody')}</p>
      ${whereOrderStands(t, ctx.lang, order)}
      <div class="actions"><a class="btn secondary" href="${refreshUrl}">${t('page.checkAgain')}</a></div>`,
  };
}

export function donePage(ctx: PageContext, order: OrderRecord, summaryUrl: string): StatusPage {
  const { t, lang } = ctx;
  const meetings = order.provisioned.meetings;
  const calling = order.provisioned.calling;
  return {
    title: t('done.title'),
    status: 200,
    body: markup`<h1>${t('done.title')}</h1>
      <p class="lead">${t('done.intro', { orderId: order.orderId })}</p>
      <h2>${t('done.setUp')}</h2>
      <dl class="facts">
        ${
          order.partnerOrg
            ? markup`<dt>${t('review.partnerOrg')}</dt>
                <dd>${order.partnerOrg.name}</dd>`
            : ''
        }
        ${
          order.customerOrg
            ? markup`<dt>${t(order.orderFor === 'my-company' ? 'review.yourOrg' : 'review.customerOrg')}</dt>
                <dd>${order.customerOrg.name}</dd>`
            : ''
        }
      </dl>
      ${
        meetings
          ? markup`<div class="org">
              <h3>${serviceName(t, 'meetings')}</h3>
              <p class="muted">
                ${t('done.provisionedAt', { date: formatDate(meetings.provisionedAt, lang) })}
              </p>
              <ul class="summary-list">
                ${meetings.sites.map(
                  (s) =>
                    markup`<li>
                      <strong>${siteUrl(s.siteName)}</strong> · ${timeZoneLabel(s.timeZone, lang)} · ${t('service.licenses')}:
                      ${s.licenses}${s.earlyRelease ? markup` · ${t('meetings.earlyReleaseShort')}` : ''}
                    </li>`,
                )}
              </ul>
            </div>`
          : ''
      }
      ${
        calling
          ? markup`<div class="org">
              <h3>${serviceName(t, 'calling')}</h3>
              <p class="muted">
                ${t('done.provisionedAt', { date: formatDate(calling.provisionedAt, lang) })}
              </p>
              <dl class="facts">
                <dt>${t('calling.locationName')}</dt>
                <dd>${calling.location.locationName}</dd>
                <dt>${t('calling.address')}</dt>
                <dd>${lineBreaks(addressLines(calling.location, lang))}</dd>
                <dt>${t('calling.timeZone')}</dt>
                <dd>${timeZoneLabel(calling.location.timeZone, lang)}</dd>
                <dt>${t('calling.announcementLanguage')}</dt>
                <dd>${announcementLanguageName(calling.location.announcementLanguage, lang)}</dd>
              </dl>
            </div>`
          : ''
      }
      ${
        webexResultLines(order).length > 0
          ? markup`<div class="org">
              <h3>${t('done.inWebex')}</h3>
              <ul class="summary-list">
                ${webexResultLines(order).map((line) => markup`<li><code>${line}</code></li>`)}
              </ul>
            </div>`
          : ''
      }
      ${
        order.summaryKey
          ? markup`<p>${t('done.downloadHelp')}</p>
              <div class="actions">
                <a class="btn" href="${summaryUrl}" download>${t('done.download')}</a>
              </div>`
          : markup`<p class="notice" role="status">${t('done.summaryPending')}</p>`
      }`,
  };
}

/**
 * Below the services put off: what is set up already (provisioned, or being provisioned now),
 * and how the person comes back (this same link, in the email they got, and in each reminder).
 */
export function deferredFollowUp(
  ctx: PageContext,
  order: OrderRecord,
  recipient: string,
  deferred: readonly (ServiceType | undefined)[],
): SafeHtml {
  const { t, lang } = ctx;
  const others = order.services.map((s) => s.type).filter((type) => !deferred.includes(type));
  const lines = others.map((type) => {
    const at = order.provisioned[type]?.provisionedAt;
    return at
      ? t('deferred.provisioned', { service: serviceName(t, type), date: formatDate(at, lang) })
      : t('deferred.inProgress', { service: serviceName(t, type) });
  });
  return markup`${
    lines.length > 0
      ? markup`<h2>${t('deferred.doneTitle')}</h2>
          <ul class="summary-list" id="already-set-up">
            ${lines.map((line) => markup`<li>${line}</li>`)}
          </ul>`
      : ''
  }
    <h2>${t('deferred.comeBackTitle')}</h2>
    <p id="come-back">${t('deferred.comeBack', { email: recipient })}</p>`;
}
