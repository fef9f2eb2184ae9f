import { auditActionText, auditDetailParts } from '../../../functions/shared/documents/audit-text';
import type { AssigneeRole } from '../../../functions/shared/domain/order.schema';

// Words ops read: the waiting steps by the names the state machine gives them, who an assignee
// is, and times both absolute (UTC, to match logs) and relative (to answer "since when").

const STEP_LABELS: Record<string, string> = {
  'order-for': 'Who is this order for',
  'partner-org': 'Partner organization',
  'customer-org': 'Customer organization',
  'customer-review': 'Review organizations',
  'service-meetings': 'Set up Webex Meetings',
  'service-calling': 'Set up Webex Calling',
};

export function stepLabel(stepId: string): string {
  return STEP_LABELS[stepId] ?? stepId;
}

const ROLE_LABELS: Record<AssigneeRole, string> = {
  contact: 'provisioning contact',
  delegate: 'delegate (order handed to them)',
  'customer-admin': 'customer admin (self-setup)',
};

export function roleLabel(role: AssigneeRole): string {
  return ROLE_LABELS[role];
}

const SERVICE_LABELS: Record<string, string> = { meetings: 'Webex Meetings', calling: 'Webex Calling' };
export function serviceLabel(type: string): string {
  return SERVICE_LABELS[type] ?? type;
}

export function formatTime(value: Date | string | undefined): string {
  if (value === undefined) return '—';
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return String(value);
  return d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function formatAgo(value: Date | string | undefined, now: Date): string {
  if (value === undefined) return '';
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return '';
  const ms = now.getTime() - d.getTime();
  return ms >= 0 ? `${formatDuration(ms)} ago` : `in ${formatDuration(-ms)}`;
}

/** An audit entry's codes and values in words (English): the same renderer as the PDF. */
export function formatDetails(details: Record<string, string | number | boolean>): string {
  return auditDetailParts(details, 'en').join(', ');
}

/** An audit action in the words the summary and the pages use ("Webex Calling: set up later"). */
export function actionLabel(action: string): string {
  return auditActionText(action, 'en');
}
