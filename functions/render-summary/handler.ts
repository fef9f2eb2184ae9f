import * as z from 'zod';
import { findOrderWithAudit, updateOrder } from '../shared/adapters/order-repository';
import { getOrganizations } from '../shared/adapters/org-directory';
import { storeSummary } from '../shared/documents/document-store';
import { renderOrderSummary } from '../shared/documents/order-summary';
import type { SummaryInput } from '../shared/documents/summary.types';
import { orderIdSchema } from '../shared/domain/order.schema';
import { stepHandler } from '../shared/middleware';
import { OrderNotFoundError } from '../shared/errors';

// "Render order summary": the order, its organizations and its audit trail → PDF → S3.
// Idempotent: the PDF is deterministic and its key derives from the order id, so a retry
// writes the same bytes to the same object.

export const renderSummarySchema = z.object({ orderId: orderIdSchema });

export async function loadSummaryInput(orderId: string): Promise<SummaryInput> {
  // The order and its audit trail in one read.
  const found = await findOrderWithAudit(orderId);
  if (!found) throw new OrderNotFoundError(`Order ${orderId} does not exist`);
  const { order, audit } = found;
  // Both organizations in one read.
  const orgs = await getOrganizations(
    [order.partnerOrg?.orgId, order.customerOrg?.orgId].filter((id): id is string => id !== undefined),
  );
  const byId = (orgId: string | undefined) => orgs.find((org) => org.orgId === orgId);
  return {
    order,
    audit,
    partnerOrg: order.partnerOrg ? byId(order.partnerOrg.orgId) : undefined,
    customerOrg: order.customerOrg ? byId(order.customerOrg.orgId) : undefined,
  };
}

export async function renderSummary(input: z.infer<typeof renderSummarySchema>) {
  const summary = await loadSummaryInput(input.orderId);
  const pdf = await renderOrderSummary(summary);
  const summaryKey = await storeSummary(input.orderId, pdf);
  await updateOrder(input.orderId, { summaryKey, currentStep: 'Render order summary' });
  return { summaryKey, bytes: pdf.length };
}

export const handler = stepHandler(renderSummarySchema, renderSummary);
