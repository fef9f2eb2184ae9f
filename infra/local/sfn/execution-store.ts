import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JsonValue } from './asl';

// Executions on disk, written synchronously as they happen so that `kill -9` loses nothing:
// - `executions.jsonl`: one line when a run starts, ends or is redriven (small; read at start);
// - `executions/<name>.jsonl`: the run's history events and the results of its tasks (read to
//   answer GetExecutionHistory and to replay a run after a restart or for a redrive).

export type ExecutionStatus =
  'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface ExecutionSummary {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  /** Epoch milliseconds. */
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount: number;
  redriveDate?: number;
  file: string;
}

/** One GetExecutionHistory event, as the API returns it (timestamp in epoch ms until serialized). */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: JsonValue | undefined;
}

/** A task's outcome, kept so a replay can serve it instead of running the task again. */
export interface RecordedResult {
  key: string;
  state: string;
  ok: boolean;
  value?: JsonValue;
  error?: string;
  cause?: string;
  /** Id of the TaskScheduled event of that attempt. */
  sched: number;
}

type IndexLine =
  | { t: 'start'; summary: ExecutionSummary }
  | {
      t: 'end';
      arn: string;
      status: ExecutionStatus;
      stopDate: number;
      output?: string;
      error?: string;
      cause?: string;
    }
  | { t: 'redrive'; arn: string; redriveCount: number; redriveDate: number };

type ExecutionLine = { t: 'event'; e: HistoryEvent } | ({ t: 'result' } & RecordedResult);

function fileNameFor(machineName: string, name: string): string {
  const plain = `${machineName}--${name}`;
  if (/^[A-Za-z0-9][A-Za-z0-9_.-]{0,160}$/.test(plain)) return `${plain}.jsonl`;
  return `${createHash('sha256').update(plain).digest('hex')}.jsonl`;
}

function parseLines<T>(text: string): T[] {
  const out: T[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // A line cut short by a crash mid-write: everything before it is intact.
    }
  }
  return out;
}

export class ExecutionStore {
  private readonly indexPath: string;
  private readonly dir: string;

  constructor(readonly root: string) {
    this.dir = join(root, 'executions');
    this.indexPath = join(root, 'executions.jsonl');
    mkdirSync(this.dir, { recursive: true });
  }

  /** Every execution known on disk, with its latest status. */
  load(): ExecutionSummary[] {
    if (!existsSync(this.indexPath)) return [];
    const byArn = new Map<string, ExecutionSummary>();
    for (const line of parseLines<IndexLine>(readFileSync(this.indexPath, 'utf8'))) {
      if (line.t === 'start') byArn.set(line.summary.executionArn, { ...line.summary });
      const found = line.t !== 'start' ? byArn.get(line.arn) : undefined;
      if (line.t === 'end' && found) {
        Object.assign(found, {
          status: line.status,
          stopDate: line.stopDate,
          output: line.output,
          error: line.error,
          cause: line.cause,
        });
      }
      if (line.t === 'redrive' && found) {
        Object.assign(found, {
          status: 'RUNNING',
          stopDate: undefined,
          output: undefined,
          error: undefined,
          cause: undefined,
          redriveCount: line.redriveCount,
          redriveDate: line.redriveDate,
        });
      }
    }
    return [...byArn.values()];
  }

  fileFor(machineName: string, name: string): string {
    return fileNameFor(machineName, name);
  }

  private append(path: string, line: unknown): void {
    appendFileSync(path, `${JSON.stringify(line)}\n`);
  }

  started(summary: ExecutionSummary): void {
    this.append(this.indexPath, { t: 'start', summary } satisfies IndexLine);
  }

  ended(summary: ExecutionSummary): void {
    this.append(this.indexPath, {
      t: 'end',
      arn: summary.executionArn,
      status: summary.status,
      stopDate: summary.stopDate ?? Date.now(),
      output: summary.output,
      error: summary.error,
      cause: summary.cause,
    } satisfies IndexLine);
  }

  redriven(summary: ExecutionSummary): void {
    this.append(this.indexPath, {
      t: 'redrive',
      arn: summary.executionArn,
      redriveCount: summary.redriveCount,
      redriveDate: summary.redriveDate ?? Date.now(),
    } satisfies IndexLine);
  }

  appendEvent(file: string, event: HistoryEvent): void {
    this.append(join(this.dir, file), { t: 'event', e: event } satisfies ExecutionLine);
  }

  appendResult(file: string, result: RecordedResult): void {
    this.append(join(this.dir, file), { t: 'result', ...result } satisfies ExecutionLine);
  }

  readSync(file: string): { events: HistoryEvent[]; results: RecordedResult[] } {
    const path = join(this.dir, file);
    return this.split(existsSync(path) ? readFileSync(path, 'utf8') : '');
  }

  async read(file: string): Promise<{ events: HistoryEvent[]; results: RecordedResult[] }> {
    const path = join(this.dir, file);
    return this.split(existsSync(path) ? await readFile(path, 'utf8') : '');
  }

  private split(text: string): { events: HistoryEvent[]; results: RecordedResult[] } {
    const events: HistoryEvent[] = [];
    const results: RecordedResult[] = [];
    for (const line of parseLines<ExecutionLine>(text)) {
      if (line.t === 'event') events.push(line.e);
      else if (line.t === 'result') {
        // eslint-disable-next-line @typescript-eslint/no-unused-vars
        const { t, ...result } = line;
        results.push(result);
      }
    }
    return { events, results };
  }
}
