import { findOrganization } from '../../shared/adapters/org-directory';
import { serviceOfStep } from '../../shared/domain/steps.schema';
import { markup, type SafeHtml } from '../html';
import { serviceName } from '../display';
import { formStart, type Rendered, type StepContext } from '../step-context';

// The first screen of every service: the subscription, then Set up now or Set up later.

/**
 * The country of the organization the services are set up in (the customer's; for an order
 * without one, the partner's): Meetings pre-selects its time zone, Calling the location's country.
 */
export async function organizationCountry(ctx: StepContext): Promise<string | undefined> {
  const ref = ctx.order.customerOrg ?? ctx.order.partnerOrg;
  if (!ref) return undefined;
  // Kept on the order when it was mapped (no read); orders mapped before that read the org.
  return ref.country ?? (await findOrganization(ref.orgId))?.country;
}

export function servicePosition(ctx: StepContext): SafeHtml {
  const type = serviceOfStep(ctx.step.stepId);
  const index = ctx.order.services.findIndex((s) => s.type === type);
  if (index < 0 || ctx.order.services.length < 2) return markup``;
  return markup`<p class="muted">
    ${ctx.page.t('service.position', { index: index + 1, total: ctx.order.services.length })}
  </p>`;
}

export function serviceIntro(ctx: StepContext): Rendered {
  const { t } = ctx.page;
  const type = serviceOfStep(ctx.step.stepId);
  const purchase = ctx.order.services.find((s) => s.type === type);
  const name = type ? serviceName(t, type) : '';
  return {
    title: t('service.introTitle', { service: name }),
    body: markup`${servicePosition(ctx)}
<h1>${t('service.introTitle', { service: name })}</h1>
<p class="lead">${t('service.introHelp')}</p>
<h2>${t('service.subscription')}</h2>
<dl class="facts">
  <dt>${t('service.name')}</dt><dd>${name}</dd>
  <dt>${t('service.subscriptionId')}</dt><dd>${ctx.order.subscriptionId}</dd>
  <dt>${t('service.licenses')}</dt><dd>${purchase?.quantity ?? ''}</dd>
</dl>
<p class="muted">${t('service.laterHelp')}</p>
<div class="actions">
  ${formStart(ctx)}<button class="btn" type="submit" name="intent" value="start">${t('service.now')}</button></form>
  ${
    ctx.step.deferred
      ? ''
      : markup`<form method="post" action="${ctx.laterAction}">
          <input type="hidden" name="csrf" value="${ctx.laterCsrf}" /><button
            class="btn secondary"
            type="submit"
          >
            ${t('service.later')}
          </button>
        </form>`
  }
</div>`,
  };
}
