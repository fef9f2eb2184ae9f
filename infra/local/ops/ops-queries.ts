import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  type DescribeExecutionCommandOutput,
  type ExecutionListItem,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { listSent, type SentEmail } from '../../../functions/shared/adapters/email-log';
import {
  findEarlyCancellation,
  listEarlyCancellations,
  type EarlyCancellation,
} from '../../../functions/shared/adapters/early-cancellations';
import { findOrder, listAudit } from '../../../functions/shared/adapters/order-repository';
import { listPendingSteps, type WaitingStep } from '../../../functions/shared/adapters/step-store';
import { sfn } from '../../../functions/shared/clients/sfn';
import { required } from '../../../functions/shared/config';
import type { AuditEntry } from '../../../functions/shared/domain/audit.schema';
import type { OrderRecord } from '../../../functions/shared/domain/order-record.schema';
import {
  ORDER_STATUSES,
  type Assignee,
  type OrderStatus,
} from '../../../functions/shared/domain/order.schema';
import { traceRun, type RunTrace } from './run-history';
import { executionArnFor } from '../../../functions/cancel-order/cancel-order';

// What the ops view and the ops CLI read: Step Functions (the runs, through the same API on AWS
// and locally) joined with the order record (status, who it waits on) and its audit trail.

export const RUN_STATUSES = ORDER_STATUSES;
export type RunStatus = OrderStatus;

export interface RunSummary {
  orderId: string;
  executionArn?: string;
  executionStatus?: string;
  /** The order's status; derived from the run's when the order record is missing. */
  status: RunStatus;
  currentStep?: string;
  /** The person the run waits for, when a step is waiting for a person now. */
  waitingFor?: Assignee;
  waitingSince?: string;
  /** The waiting step ids ("partner-org", "service-meetings"). */
  waitingSteps: string[];
  startedAt?: Date;
  lastChange?: Date;
  failure?: OrderRecord['failure'];
  /** For a failed run: the state that failed it and its error, from the execution history. */
  failedStep?: string;
  failedError?: string;
  hasOrder: boolean;
}

export interface RunDetail {
  summary: RunSummary;
  order?: OrderRecord;
  execution?: DescribeExecutionCommandOutput;
  trace?: RunTrace;
  audit: AuditEntry[];
  pending: WaitingStep[];
  emails: SentEmail[];
  /** Why redrive is not offered, or undefined when it is. */
  redriveBlocked?: string;
  /** A cancellation that arrived before the order: the order event that came after was refused. */
  earlyCancellation?: EarlyCancellation;
}

export const CANCELLED_BEFORE_ORDER = 'Cancelled before the order arrived';

/** What the ops view shows for an order cancelled before it arrived (no order record, no run). */
function earlySummary(early: EarlyCancellation): RunSummary {
  const last = early.refusedAt ?? early.recordedAt;
  return {
    orderId: early.orderId,
    status: 'cancelled',
    currentStep: `${CANCELLED_BEFORE_ORDER}${early.refusals > 0 ? ` (order refused ×${early.refusals})` : ''}`,
    waitingSteps: [],
    lastChange: new Date(last),
    hasOrder: false,
  };
}

// The run of an order: the same ARN the cancellation stops.
export { executionArnFor };

function isNotFound(error: unknown): boolean {
  return (
    error instanceof Error && (error.name === 'ExecutionDoesNotExist' || error.name === 'ResourceNotFound')
  );
}

async function listAllExecutions(): Promise<ExecutionListItem[]> {
  const out: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn().send(
      new ListExecutionsCommand({
        stateMachineArn: required('STATE_MACHINE_ARN'),
        maxResults: 1000,
        nextToken,
      }),
    );
    out.push(...(page.executions ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

export async function getHistory(executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn().send(
      new GetExecutionHistoryCommand({
        executionArn,
        maxResults: 1000,
        nextToken,
        includeExecutionData: true,
      }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

function statusFromExecution(status: string | undefined): RunStatus {
  switch (status) {
    case 'SUCCEEDED':
      return 'completed';
    case 'FAILED':
    case 'TIMED_OUT':
      return 'failed';
    case 'ABORTED':
      return 'cancelled';
    default:
      return 'received';
  }
}

const OPEN: readonly RunStatus[] = ['received', 'in-progress'];

function summarize(
  orderId: string,
  order: OrderRecord | undefined,
  execution: { executionArn?: string; status?: string; startDate?: Date; stopDate?: Date } | undefined,
  pending: WaitingStep[] | undefined,
): RunSummary {
  const status = order?.status ?? statusFromExecution(execution?.status);
  const waiting = OPEN.includes(status) && execution?.status !== 'FAILED' ? (pending ?? []) : [];
  const since = waiting.map((s) => s.since).sort()[0];
  const times = [order?.updatedAt, execution?.stopDate?.toISOString(), ...waiting.map((s) => s.updatedAt)]
    .filter((t): t is string => typeof t === 'string')
    .sort();
  const last = times.at(-1);
  return {
    orderId,
    executionArn: execution?.executionArn,
    executionStatus: execution?.status,
    status,
    currentStep: order?.currentStep,
    waitingFor: waiting.length > 0 ? order?.assignee : undefined,
    waitingSince: since,
    waitingSteps: waiting.map((s) => s.stepId),
    startedAt: execution?.startDate,
    lastChange: last ? new Date(last) : execution?.startDate,
    failure: order?.failure,
    hasOrder: order !== undefined,
  };
}

export interface RunFilter {
  status?: RunStatus;
  /** An order id, or the start of one. */
  search?: string;
  limit?: number;
}

export interface RunList {
  runs: RunSummary[];
  /** How many runs matched before the limit. */
  matched: number;
  total: number;
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return out;
}

/** The runs, newest change first: searched by order id (exact or prefix), filtered by status. */
export async function listRuns(filter: RunFilter = {}): Promise<RunList> {
  const executions = await listAllExecutions();
  const search = filter.search?.trim().toLowerCase();
  const candidates = search
    ? executions.filter((e) => (e.name ?? '').toLowerCase().startsWith(search))
    : executions;
  const withOrders = await mapLimited(candidates, 16, async (e) => ({
    execution: e,
    order: await findOrder(e.name ?? ''),
  }));
  type Row = { summary: RunSummary; execution?: ExecutionListItem; order?: OrderRecord };
  const rows: Row[] = withOrders
    .map(({ execution, order }) => ({
      execution,
      order,
      summary: summarize(execution.name ?? '', order, execution, []),
    }))
    .filter((r) => !filter.status || r.summary.status === filter.status);
  // Orders cancelled before they arrived have no run: listed from their cancellation record.
  const named = new Set(executions.map((e) => e.name));
  const early = (await listEarlyCancellations()).filter((c) => !named.has(c.orderId));
  for (const c of early) {
    const summary = earlySummary(c);
    if (search && !c.orderId.toLowerCase().startsWith(search)) continue;
    if (filter.status && summary.status !== filter.status) continue;
    rows.push({ summary });
  }
  // An exact match goes first, then the most recently changed.
  rows.sort((a, b) => {
    if (search) {
      const ea = a.summary.orderId.toLowerCase() === search ? 0 : 1;
      const eb = b.summary.orderId.toLowerCase() === search ? 0 : 1;
      if (ea !== eb) return ea - eb;
    }
    return (b.summary.lastChange?.getTime() ?? 0) - (a.summary.lastChange?.getTime() ?? 0);
  });
  const limited = rows.slice(0, filter.limit ?? 200);
  // Only the rows shown need their waiting steps (one query each), and failed runs their history
  // (to name the failed state: few runs, and the one fact ops look for first).
  const runs = await mapLimited(limited, 16, async (row) => {
    const { execution, order } = row;
    if (!execution) return row.summary;
    const summary = summarize(
      execution.name ?? '',
      order,
      execution,
      order && OPEN.includes(order.status) ? await listPendingSteps(order.orderId) : [],
    );
    if (summary.status === 'failed' && execution.executionArn) {
      const trace = traceRun(await getHistory(execution.executionArn));
      summary.failedStep = trace.failedStep?.name ?? summary.failure?.step;
      summary.failedError = trace.failedStep?.error ?? trace.error ?? summary.failure?.error;
    }
    return summary;
  });
  return { runs, matched: rows.length, total: executions.length + early.length };
}

/** Everything about one order's run; undefined when neither a run nor an order exists. */
export async function loadRun(orderId: string): Promise<RunDetail | undefined> {
  const executionArn = executionArnFor(orderId);
  const [order, execution] = await Promise.all([
    findOrder(orderId),
    sfn()
      .send(new DescribeExecutionCommand({ executionArn }))
      .catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      }),
  ]);
  if (!order && !execution) {
    const early = await findEarlyCancellation(orderId);
    if (!early) return undefined;
    return {
      summary: earlySummary(early),
      audit: [],
      pending: [],
      emails: [],
      earlyCancellation: early,
      redriveBlocked: 'There is no run for this order.',
    };
  }
  const [history, audit, pending, emails] = await Promise.all([
    execution ? getHistory(executionArn) : Promise.resolve(undefined),
    order ? listAudit(orderId) : Promise.resolve([]),
    order ? listPendingSteps(orderId) : Promise.resolve([]),
    order ? listSent(orderId) : Promise.resolve([]),
  ]);
  const trace = history ? traceRun(history) : undefined;
  const summary = summarize(orderId, order, execution, pending);
  if (trace?.failedStep && summary.status === 'failed') {
    summary.failedStep = trace.failedStep.name;
    summary.failedError = trace.failedStep.error ?? trace.error;
  }
  if (trace && summary.waitingFor === undefined && trace.state === 'RUNNING' && order) {
    // Between steps: nobody is being waited for, but say where the run is.
    summary.currentStep = trace.current.join(', ') || summary.currentStep;
  }
  return {
    summary,
    order,
    execution,
    trace,
    audit,
    pending: summary.waitingFor ? pending : [],
    emails,
    redriveBlocked: redriveBlockedReason(order, execution),
  };
}

export function redriveBlockedReason(
  order: OrderRecord | undefined,
  execution:
    Pick<DescribeExecutionCommandOutput, 'status' | 'redriveStatus' | 'redriveStatusReason'> | undefined,
): string | undefined {
  if (!execution) return 'There is no run for this order.';
  if (execution.status !== 'FAILED' && execution.status !== 'TIMED_OUT' && execution.status !== 'ABORTED') {
    return `The run is ${execution.status?.toLowerCase() ?? 'in an unknown state'}; only a failed run can be redriven.`;
  }
  if (order && order.status !== 'failed') {
    return `The order is ${order.status}; redrive is only for failed orders (an expired or cancelled order stays closed).`;
  }
  if (execution.status === 'ABORTED') return 'The run was stopped (cancelled); it is not redriven.';
  if (execution.redriveStatus === 'NOT_REDRIVABLE') {
    return `Step Functions says this run cannot be redriven: ${execution.redriveStatusReason ?? 'no reason given'}.`;
  }
  return undefined;
}
