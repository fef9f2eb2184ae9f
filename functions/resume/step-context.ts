import type { LinkRecord } from '../shared/adapters/link-store';
import type { WaitingStep } from '../shared/adapters/step-store';
import type { OrderRecord } from '../shared/domain/order-record.schema';
import type { AuditEntry } from '../shared/domain/audit.schema';
import type { StepId } from '../shared/domain/steps.schema';
import type { FormData } from './forms';
import { markup, type SafeHtml } from './html';
import type { PageContext } from './layout';

// What every step page gets, and what its form handler returns: a page to show again (a stage
// of the form, or the form with errors), or a decision to resume the run with.

export interface StepContext {
  page: PageContext;
  linkId: string;
  link: LinkRecord;
  order: OrderRecord;
  step: WaitingStep;
  /** The dedupe keys of the audit entries already on the order, as this request read it. */
  audited?: ReadonlySet<string>;
  /** The Meetings site names the order holds, as this request read it. */
  heldSites?: readonly string[];
  /** Where this step's form posts, and its CSRF token. */
  action: string;
  csrf: string;
  /** "Set up later" (service steps). */
  laterAction: string;
  laterCsrf: string;
  now: Date;
  /** A keyed signature bound to this link: references in forms that only this server can make. */
  sign(value: string): string;
}

export interface Rendered {
  title: string;
  body: SafeHtml;
  status?: number;
}

export type ActResult =
  | ({ kind: 'render' } & Rendered)
  | {
      kind: 'submit';
      /** The SendTaskSuccess output: exactly stepResultSchemas[step]. */
      output: unknown;
      /** The human-readable decision for the audit trail. */
      details: AuditEntry['details'];
      orderPatch?: Partial<Pick<OrderRecord, 'orderFor'>>;
    };

export interface StepPage {
  render(ctx: StepContext): Promise<Rendered>;
  act(ctx: StepContext, form: FormData): Promise<ActResult>;
}

export function formStart(ctx: StepContext, id?: string): SafeHtml {
  const { t } = ctx.page;
  // data-draft: the page's script keeps what is typed in this tab and offers it back (layout.ts).
  return markup`<form method="post" action="${ctx.action}" novalidate${id ? markup` id="${id}"` : ''} data-draft data-draft-offer="${t('draft.offer')}" data-draft-restore="${t('draft.restore')}">
<input type="hidden" name="csrf" value="${ctx.csrf}">`;
}

export const STEP_PROGRESS_KEY: Record<
  StepId,
  'progress.orderFor' | 'progress.partner' | 'progress.customer' | 'progress.review' | 'progress.services'
> = {
  'order-for': 'progress.orderFor',
  'partner-org': 'progress.partner',
  'customer-org': 'progress.customer',
  'customer-review': 'progress.review',
  'service-meetings': 'progress.services',
  'service-calling': 'progress.services',
};
