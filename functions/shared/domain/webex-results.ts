import { siteUrl } from './meetings.schema';
import type { OrderRecord } from './order-record.schema';

// What an order made in Webex, as lines for a person (the done page, the PDF, the completion
// email): the name Webex shows, then the id Webex gave it. Language-neutral on purpose.

export function webexResultLines(order: OrderRecord): string[] {
  const lines: string[] = [];
  if (order.customerOrg?.webexOrgId)
    lines.push(`${order.customerOrg.name} — ${order.customerOrg.webexOrgId}`);
  if (order.partnerOrg?.webexOrgId) lines.push(`${order.partnerOrg.name} — ${order.partnerOrg.webexOrgId}`);
  for (const site of order.provisioned.meetings?.webex?.sites ?? [])
    lines.push(`${site.siteUrl || siteUrl(site.siteName)} — ${site.siteId}`);
  const calling = order.provisioned.calling;
  if (calling?.webex) lines.push(`${calling.location.locationName} — ${calling.webex.locationId}`);
  return lines;
}
