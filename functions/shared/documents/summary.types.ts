import type { AuditEntry } from '../domain/audit.schema';
import type { OrderRecord } from '../domain/order-record.schema';
import type { Organization } from '../domain/org.schema';

/** Everything the order summary PDF shows. */
export interface SummaryInput {
  order: OrderRecord;
  audit: AuditEntry[];
  partnerOrg?: Organization;
  customerOrg?: Organization;
}
