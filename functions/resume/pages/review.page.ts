import { reviewDetails } from '../../shared/domain/audit-details';
import { getOrganizations } from '../../shared/adapters/org-directory';
import type { Organization } from '../../shared/domain/org.schema';
import type { OrgRef } from '../../shared/domain/order.schema';
import { checkboxField, field } from '../forms';
import { markup, type SafeHtml } from '../html';
import { orgFacts } from '../display';
import { formStart, type ActResult, type StepContext, type StepPage } from '../step-context';

// The customer review: both organizations, the partner's role in the customer org (Provisioning
// admin for an existing customer), and — partner orders only — "My customer will set up their
// own services".

function orgBlock(
  ctx: StepContext,
  heading: string,
  ref: OrgRef,
  orgs: Organization[],
  extraRows?: SafeHtml,
  after: SafeHtml = markup``,
): SafeHtml {
  const { t, lang } = ctx.page;
  const org = orgs.find((o) => o.orgId === ref.orgId);
  return markup`<section class="org" aria-label="${heading}">
    <p class="muted">${heading}</p>
    <h2>${ref.name} <span class="tag">${t(ref.created ? 'review.newOrg' : 'review.existingOrg')}</span></h2>
    ${org ? orgFacts(t, lang, org, extraRows) : extraRows ? markup`<dl class="facts">${extraRows}</dl>` : ''}
    ${after}
  </section>`;
}

function isPartnerOrder(ctx: StepContext): boolean {
  return ctx.order.orderFor === 'customer' && ctx.order.partnerOrg !== undefined;
}

export const reviewPage: StepPage = {
  async render(ctx) {
    const { t } = ctx.page;
    const { order } = ctx;
    const customer = order.customerOrg;
    const role =
      customer?.partnerRole ??
      (isPartnerOrder(ctx) && customer
        ? customer.created
          ? 'full-admin'
          : 'provisioning-admin'
        : undefined);
    const partnerView = isPartnerOrder(ctx) && customer !== undefined;
    const roleRows =
      partnerView && role
        ? markup`<dt>${t('review.adminEmail')}</dt><dd>${customer.adminEmail}</dd>
<dt>${t('review.yourRole')}</dt><dd><span class="tag role">${t(role === 'provisioning-admin' ? 'review.provisioningAdmin' : 'review.fullAdmin')}</span></dd>`
        : undefined;
    const roleHelp =
      partnerView && role
        ? markup`<p class="${role === 'provisioning-admin' ? 'warn' : 'muted'}">${t(role === 'provisioning-admin' ? 'review.provisioningAdminHelp' : 'review.fullAdminHelp')}</p>`
        : markup``;
    // Both organizations in one read.
    const orgs = await getOrganizations(
      [order.partnerOrg?.orgId, customer?.orgId].filter((id): id is string => id !== undefined),
    );
    return {
      title: t('review.title'),
      body: markup`<h1>${t('review.title')}</h1>
<p class="lead">${t('review.intro')}</p>
${order.partnerOrg ? orgBlock(ctx, t('review.partnerOrg'), order.partnerOrg, orgs) : ''}
${customer ? orgBlock(ctx, t(partnerView ? 'review.customerOrg' : 'review.yourOrg'), customer, orgs, roleRows, roleHelp) : ''}
${formStart(ctx)}
${
  isPartnerOrder(ctx) && customer
    ? checkboxField({
        name: 'selfSetup',
        label: t('review.selfSetup'),
        checked: false,
        hint: t('review.selfSetupHelp', { email: customer.adminEmail }),
      })
    : ''
}
<div class="actions"><button class="btn" type="submit" name="intent" value="submit">${t('common.next')}</button></div>
</form>`,
    };
  },

  async act(ctx, form): Promise<ActResult> {
    // Only a partner order may hand the services to the customer; anything else is ignored.
    const selfSetup = isPartnerOrder(ctx) && field(form, 'selfSetup') === 'yes';
    return {
      kind: 'submit',
      output: { selfSetup },
      details: reviewDetails(selfSetup),
    };
  },
};
