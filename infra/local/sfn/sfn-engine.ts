import './polyfills';
import { randomBytes, randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import {
  prepareDefinition,
  readPath,
  type JsonObject,
  type JsonValue,
  type PreparedDefinition,
  type TaskSpec,
} from './asl';
import {
  ExecutionStore,
  type ExecutionStatus,
  type ExecutionSummary,
  type HistoryEvent,
  type RecordedResult,
} from './execution-store';
import {
  ENDPOINT_EVENT_TYPES,
  TERMINAL_EVENT_TYPES,
  TOKEN_PREFIX,
  dataDetails,
  eventSignature,
  json,
  maskTokens,
  resourceParts,
  toApiEvent,
} from './history';
import {
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  LambdaInvoker,
  TaskFailure,
  type LocalFunction,
} from './lambda-invoker';
import { SfnApiError } from './sfn-errors';

// The local Step Functions service: executions of ASL state machines run by
// aws-local-stepfunctions, with Lambda tasks run in-process, callback tasks settled through
// SendTaskSuccess/SendTaskFailure, AWS-shaped execution history, and every execution kept on
// disk. After a restart (or for a redrive) a run is replayed from its input: each task that has
// a recorded result gets that result again instead of running, the events the first run already
// wrote are not written twice, and the first task without a result runs live.

export interface MachineConfig {
  name: string;
  /** ASL text, with `${...}` placeholders. */
  definition: string;
  substitutions?: Record<string, string>;
}

export interface SfnEngineOptions {
  /** Directory for the executions (created if missing). */
  dataDir: string;
  machines: MachineConfig[];
  functions: LocalFunction[];
  /** Entries of `functions` are relative to this directory. */
  root: string;
  /** Called with a short message when something goes wrong in the background. */
  log?: (message: string) => void;
  /** Called when an execution ends, as AWS emits "Step Functions Execution Status Change" to EventBridge. */
  onExecutionEnded?: (summary: ExecutionSummary) => void;
}

interface Machine {
  name: string;
  arn: string;
  prepared: PreparedDefinition;
  interpreter: StateMachine;
  creationDate: number;
}

interface Outcome {
  ok: boolean;
  value?: JsonValue;
  error?: string;
  cause?: string;
}

interface TokenEntry {
  token: string;
  exec: LiveExecution;
  stateName: string;
  settled: boolean;
  settle: (outcome: Outcome) => void;
  /** Writes the outcome to disk before anyone is told (SendTaskSuccess answers after it). */
  record: (outcome: Outcome) => void;
  timer?: NodeJS.Timeout;
}

const ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT}:role/LocalStepFunctionsRole`;
const MAX_DEAD_TOKENS = 20_000;
// eslint-disable-next-line no-control-regex -- AWS forbids control characters in names
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

export function stateMachineArn(name: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;
}
export function executionArn(machineName: string, name: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${machineName}:${name}`;
}

function newToken(): string {
  // Like AWS's: long, opaque, base64 with `+`, `/` and `=`.
  return TOKEN_PREFIX + randomBytes(311).toString('base64');
}

/** Long timers: Node caps one timer at ~24.8 days. */
function setLongTimeout(fn: () => void, ms: number, onTimer: (t: NodeJS.Timeout) => void): void {
  const step = Math.min(ms, 2_000_000_000);
  onTimer(
    setTimeout(() => {
      if (ms > step) setLongTimeout(fn, ms - step, onTimer);
      else fn();
    }, step),
  );
}

function errorText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

class LiveExecution {
  finished = false;
  aborted = false;
  run?: ReturnType<StateMachine['run']>;
  nextId: number;
  private readonly lastIdByThread = new Map<string, number>();
  /** Keyed by thread and state: two Map iterations in the same state keep their own chains. */
  private readonly lastIdByState = new Map<string, number>();
  private readonly stateThread = new Map<string, string>();
  /** Per task state, the threads whose next attempt has not started yet, in the order they asked. */
  private readonly attemptsDue = new Map<string, string[]>();
  readonly enteredInput = new Map<string, JsonValue>();
  readonly issued = new Set<string>();
  readonly tokens = new Set<TokenEntry>();
  readonly timers = new Set<NodeJS.Timeout>();
  private readonly replay = new Map<string, RecordedResult[]>();
  readonly replayFailures = new Set<string>();
  private readonly suppress = new Map<string, number>();
  /** When the first run wrote each event a replay regenerates (a waiting task keeps its deadline). */
  private readonly storedTimes = new Map<number, number>();
  private readonly generated = new Map<string, number>();
  finishedPromise: Promise<void>;
  private resolveFinished!: () => void;

  constructor(
    readonly engine: SfnEngine,
    readonly machine: Machine,
    readonly summary: ExecutionSummary,
    stored: HistoryEvent[] = [],
    results: RecordedResult[] = [],
    suppressBelowId = Number.POSITIVE_INFINITY,
  ) {
    this.nextId = stored.reduce((max, e) => Math.max(max, e.id), 0) + 1;
    for (const result of results) {
      const list = this.replay.get(result.key) ?? [];
      list.push(result);
      this.replay.set(result.key, list);
    }
    const seen = new Map<string, number>();
    for (const event of stored) {
      if (event.id >= suppressBelowId || ENDPOINT_EVENT_TYPES.has(event.type)) continue;
      const sig = eventSignature(event);
      const k = (seen.get(sig) ?? 0) + 1;
      seen.set(sig, k);
      this.suppress.set(`${k}#${sig}`, event.id);
      this.storedTimes.set(event.id, event.timestamp);
    }
    this.finishedPromise = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  get store(): ExecutionStore {
    return this.engine.store;
  }

  /** Appends one history event, unless a replay regenerated one that the first run wrote. */
  push(type: string, details: Record<string, JsonValue>, thread: string, stateName?: string): number {
    if (this.finished) return 0;
    const body = { type, ...details } as HistoryEvent;
    const sig = eventSignature(body);
    const k = (this.generated.get(sig) ?? 0) + 1;
    this.generated.set(sig, k);
    const storedId = this.suppress.get(`${k}#${sig}`);
    let id: number;
    if (storedId !== undefined) {
      this.suppress.delete(`${k}#${sig}`);
      id = storedId;
    } else {
      id = this.nextId++;
      const previousEventId =
        (stateName !== undefined ? this.lastIdByState.get(`${thread}|${stateName}`) : undefined) ??
        this.lastIdByThread.get(thread) ??
        this.lastIdByThread.get('root') ??
        0;
      const event: HistoryEvent = { ...body, id, previousEventId, timestamp: Date.now() };
      this.store.appendEvent(this.summary.file, event);
    }
    this.lastIdByThread.set(thread, id);
    if (stateName !== undefined) {
      this.lastIdByState.set(`${thread}|${stateName}`, id);
      this.stateThread.set(stateName, thread);
    }
    return id;
  }

  /** A task state was entered or is retried in `thread`: its next attempt belongs there. */
  attemptDue(stateName: string, thread: string): void {
    const due = this.attemptsDue.get(stateName) ?? [];
    due.push(thread);
    this.attemptsDue.set(stateName, due);
  }

  /**
   * The thread (Map iteration) of the task attempt starting now. Iterations in the same state
   * start their attempts in the order the interpreter entered (or retried) the state there, so
   * each attempt's events chain to its own iteration, as AWS writes them.
   */
  attemptThread(stateName: string): string {
    return this.attemptsDue.get(stateName)?.shift() ?? this.threadOf(stateName);
  }

  /** When the first run wrote event `id`, if a replay regenerated it. */
  storedTime(id: number): number | undefined {
    return this.storedTimes.get(id);
  }

  threadOf(stateName: string): string {
    return this.stateThread.get(stateName) ?? 'root';
  }

  /** Recorded results remain to be served: the run is still catching up with its record. */
  replaying(): boolean {
    return this.replay.size > 0;
  }

  takeRecorded(key: string): RecordedResult | undefined {
    const list = this.replay.get(key);
    const next = list?.shift();
    if (list && list.length === 0) this.replay.delete(key);
    return next;
  }

  addTimer(t: NodeJS.Timeout): void {
    this.timers.add(t);
  }

  /** Closes every waiting task token of the given states (all of them when omitted). */
  closeTokens(states?: Set<string>, reason: 'closed' | 'aborted' = 'closed'): void {
    for (const entry of [...this.tokens]) {
      if (states && !states.has(entry.stateName)) continue;
      this.tokens.delete(entry);
      if (entry.timer) clearTimeout(entry.timer);
      this.engine.retireToken(entry.token, 'closed');
      if (reason === 'aborted' && !entry.settled) {
        entry.settled = true;
        entry.settle({ ok: false, error: 'States.Aborted', cause: 'The execution was stopped' });
      }
    }
  }

  finish(status: ExecutionStatus, fields: { output?: string; error?: string; cause?: string }): void {
    if (this.finished) return;
    this.finished = true;
    Object.assign(this.summary, { status, stopDate: Date.now(), ...fields });
    this.store.ended(this.summary);
    this.closeTokens(undefined, 'aborted');
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.engine.executionFinished(this);
    this.resolveFinished();
  }
}

export class SfnEngine {
  readonly store: ExecutionStore;
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, ExecutionSummary>();
  private readonly live = new Map<string, LiveExecution>();
  private readonly tokens = new Map<string, TokenEntry>();
  private readonly deadTokens = new Map<string, 'timed-out' | 'closed'>();
  private readonly invoker: LambdaInvoker;
  private readonly log: (message: string) => void;
  private readonly onExecutionEnded?: (summary: ExecutionSummary) => void;
  private closed = false;
  private stateTransitions = 0;
  /** More counters to report with stats() (the runtime adds its emulators' request counts). */
  readonly statsProviders: (() => Record<string, unknown>)[] = [];

  constructor(options: SfnEngineOptions) {
    this.store = new ExecutionStore(options.dataDir);
    this.invoker = new LambdaInvoker(options.functions, options.root);
    this.log = options.log ?? ((m) => console.error(`[sfn] ${m}`));
    this.onExecutionEnded = options.onExecutionEnded;
    for (const config of options.machines) {
      const prepared = prepareDefinition(config.definition, config.substitutions ?? {});
      // Validation costs ~85 ms: build each machine once and run it many times.
      const interpreter = new StateMachine(
        prepared.interpreterDefinition as unknown as StateMachineDefinition,
        {
          validationOptions: { checkArn: true, checkPaths: true },
        },
      );
      const arn = stateMachineArn(config.name);
      this.machines.set(arn, { name: config.name, arn, prepared, interpreter, creationDate: Date.now() });
    }
    for (const summary of this.store.load()) this.executions.set(summary.executionArn, summary);
  }

  /** Continues every run that was in progress when the endpoint last stopped. Call once the handlers' dependencies are up. */
  resumeRunning(): number {
    let resumed = 0;
    for (const summary of this.executions.values()) {
      if (summary.status !== 'RUNNING' || this.live.has(summary.executionArn)) continue;
      const machine = this.machines.get(summary.stateMachineArn);
      const { events, results } = this.store.readSync(summary.file);
      const terminal = events.find((e) => TERMINAL_EVENT_TYPES.has(e.type));
      if (terminal || !machine) {
        // It ended after its last history event was written but before the index said so.
        const d = terminal
          ? (Object.values(terminal).find((v) => v && typeof v === 'object') as JsonObject)
          : {};
        const status: Record<string, ExecutionStatus> = {
          ExecutionSucceeded: 'SUCCEEDED',
          ExecutionFailed: 'FAILED',
          ExecutionAborted: 'ABORTED',
          ExecutionTimedOut: 'TIMED_OUT',
        };
        Object.assign(summary, {
          status: terminal ? (status[terminal.type] ?? 'FAILED') : 'FAILED',
          stopDate: terminal?.timestamp ?? Date.now(),
          output: typeof d?.output === 'string' ? d.output : undefined,
          error: typeof d?.error === 'string' ? d.error : terminal ? undefined : 'States.Runtime',
          cause:
            typeof d?.cause === 'string' ? d.cause : terminal ? undefined : 'State machine no longer exists',
        });
        this.store.ended(summary);
        continue;
      }
      this.launch(new LiveExecution(this, machine, summary, events, results));
      resumed++;
    }
    return resumed;
  }

  // ---- API operations -------------------------------------------------------------------------

  listStateMachines(): { stateMachines: Record<string, unknown>[] } {
    return {
      stateMachines: [...this.machines.values()].map((m) => ({
        stateMachineArn: m.arn,
        name: m.name,
        type: 'STANDARD',
        creationDate: m.creationDate / 1000,
      })),
    };
  }

  describeStateMachine(arn: string | undefined): Record<string, unknown> {
    const m = this.machine(arn);
    return {
      stateMachineArn: m.arn,
      name: m.name,
      status: 'ACTIVE',
      definition: m.prepared.definitionText,
      roleArn: ROLE_ARN,
      type: 'STANDARD',
      creationDate: m.creationDate / 1000,
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  }

  startExecution(input: { stateMachineArn?: string; name?: string; input?: string }): {
    executionArn: string;
    startDate: number;
  } {
    const machine = this.machine(input.stateMachineArn);
    const name = input.name ?? randomUUID();
    if (name.length < 1 || name.length > 80 || INVALID_NAME.test(name)) {
      throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
    }
    const text = input.input ?? '{}';
    try {
      JSON.parse(text);
    } catch {
      throw new SfnApiError(
        'InvalidExecutionInput',
        'Invalid State Machine Execution Input: the input is not valid JSON',
      );
    }
    const arn = executionArn(machine.name, name);
    const existing = this.executions.get(arn);
    if (existing) {
      // AWS: the same name and input while the run is open is the same request, not a new run.
      if (existing.status === 'RUNNING' && existing.input === text) {
        return { executionArn: arn, startDate: existing.startDate / 1000 };
      }
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const summary: ExecutionSummary = {
      executionArn: arn,
      stateMachineArn: machine.arn,
      name,
      status: 'RUNNING',
      startDate: Date.now(),
      input: text,
      redriveCount: 0,
      file: this.store.fileFor(machine.name, name),
    };
    this.executions.set(arn, summary);
    this.store.started(summary);
    this.launch(new LiveExecution(this, machine, summary));
    return { executionArn: arn, startDate: summary.startDate / 1000 };
  }

  describeExecution(arn: string | undefined): Record<string, unknown> {
    const s = this.execution(arn);
    const redrivable = s.status === 'FAILED' || s.status === 'ABORTED' || s.status === 'TIMED_OUT';
    return {
      executionArn: s.executionArn,
      stateMachineArn: s.stateMachineArn,
      name: s.name,
      status: s.status,
      startDate: s.startDate / 1000,
      ...(s.stopDate !== undefined ? { stopDate: s.stopDate / 1000 } : {}),
      input: s.input,
      inputDetails: { included: true },
      ...(s.output !== undefined ? { output: s.output, outputDetails: { included: true } } : {}),
      ...(s.error !== undefined ? { error: s.error } : {}),
      ...(s.cause !== undefined ? { cause: s.cause } : {}),
      redriveCount: s.redriveCount,
      ...(s.redriveDate !== undefined ? { redriveDate: s.redriveDate / 1000 } : {}),
      redriveStatus: redrivable ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
      ...(redrivable ? {} : { redriveStatusReason: `Execution is ${s.status}` }),
    };
  }

  listExecutions(input: {
    stateMachineArn?: string;
    statusFilter?: string;
    maxResults?: number;
    nextToken?: string;
  }): Record<string, unknown> {
    const machine = this.machine(input.stateMachineArn);
    const all = [...this.executions.values()]
      .filter(
        (e) => e.stateMachineArn === machine.arn && (!input.statusFilter || e.status === input.statusFilter),
      )
      .sort((a, b) => b.startDate - a.startDate || b.name.localeCompare(a.name));
    const { page, nextToken } = paginate(all, input.maxResults, input.nextToken);
    return {
      executions: page.map((s) => ({
        executionArn: s.executionArn,
        stateMachineArn: s.stateMachineArn,
        name: s.name,
        status: s.status,
        startDate: s.startDate / 1000,
        ...(s.stopDate !== undefined ? { stopDate: s.stopDate / 1000 } : {}),
        redriveCount: s.redriveCount,
        ...(s.redriveDate !== undefined ? { redriveDate: s.redriveDate / 1000 } : {}),
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  async getExecutionHistory(input: {
    executionArn?: string;
    maxResults?: number;
    nextToken?: string;
    reverseOrder?: boolean;
    includeExecutionData?: boolean;
  }): Promise<Record<string, unknown>> {
    const s = this.execution(input.executionArn);
    const { events } = await this.store.read(s.file);
    events.sort((a, b) => a.id - b.id);
    if (input.reverseOrder) events.reverse();
    const { page, nextToken } = paginate(events, input.maxResults, input.nextToken);
    return {
      events: page.map((e) => toApiEvent(e, input.includeExecutionData !== false)),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  stopExecution(input: { executionArn?: string; error?: string; cause?: string }): { stopDate: number } {
    const s = this.execution(input.executionArn);
    const exec = this.live.get(s.executionArn);
    if (!exec || s.status !== 'RUNNING') return { stopDate: (s.stopDate ?? Date.now()) / 1000 };
    exec.aborted = true;
    exec.push(
      'ExecutionAborted',
      {
        executionAbortedEventDetails: {
          ...(input.error !== undefined ? { error: input.error } : {}),
          ...(input.cause !== undefined ? { cause: input.cause } : {}),
        },
      },
      'root',
    );
    exec.finish('ABORTED', { error: input.error, cause: input.cause });
    exec.run?.abort();
    return { stopDate: (s.stopDate ?? Date.now()) / 1000 };
  }

  redriveExecution(input: { executionArn?: string }): { redriveDate: number } {
    const s = this.execution(input.executionArn);
    const machine = this.machines.get(s.stateMachineArn);
    if (!machine || !(s.status === 'FAILED' || s.status === 'ABORTED' || s.status === 'TIMED_OUT')) {
      throw new SfnApiError(
        'ExecutionNotRedrivable',
        `Execution is ${s.status}: only failed, aborted or timed out runs can be redriven`,
      );
    }
    const { events, results } = this.store.readSync(s.file);
    // Everything up to the attempts that failed is served again; from there the run goes live
    // with a fresh set of retries, and the failure path that followed is not replayed.
    let cut = results.length;
    let last = -1;
    for (let i = results.length - 1; i >= 0; i--) {
      if (!results[i]?.ok) {
        last = i;
        break;
      }
    }
    if (last >= 0) {
      cut = last;
      const state = results[last]?.state;
      while (cut > 0 && results[cut - 1]?.state === state && !results[cut - 1]?.ok) cut--;
    }
    // The failed state is entered afresh: its history after the redrive starts with its *StateEntered.
    const failed = results[cut];
    let cutoff = failed?.sched ?? Number.POSITIVE_INFINITY;
    if (failed) {
      const entered = events
        .filter((e) => e.id < failed.sched && e.type.endsWith('StateEntered'))
        .filter((e) => (e.stateEnteredEventDetails as JsonObject | undefined)?.name === failed.state)
        .at(-1);
      if (entered) cutoff = entered.id;
    }
    Object.assign(s, {
      status: 'RUNNING',
      stopDate: undefined,
      output: undefined,
      error: undefined,
      cause: undefined,
      redriveCount: s.redriveCount + 1,
      redriveDate: Date.now(),
    });
    this.store.redriven(s);
    const exec = new LiveExecution(this, machine, s, events, results.slice(0, cut), cutoff);
    exec.push(
      'ExecutionRedriven',
      { executionRedrivenEventDetails: { redriveCount: s.redriveCount } },
      'root',
    );
    this.launch(exec);
    return { redriveDate: (s.redriveDate ?? Date.now()) / 1000 };
  }

  sendTaskSuccess(input: { taskToken?: string; output?: string }): Record<string, never> {
    const entry = this.pendingToken(input.taskToken);
    let value: JsonValue;
    try {
      value = JSON.parse(input.output ?? '') as JsonValue;
    } catch {
      throw new SfnApiError('InvalidOutput', 'Invalid Output: the output is not valid JSON');
    }
    this.settleToken(entry, { ok: true, value });
    return {};
  }

  sendTaskFailure(input: { taskToken?: string; error?: string; cause?: string }): Record<string, never> {
    const entry = this.pendingToken(input.taskToken);
    this.settleToken(entry, {
      ok: false,
      error: input.error ?? 'States.TaskFailed',
      cause: input.cause ?? '',
    });
    return {};
  }

  sendTaskHeartbeat(input: { taskToken?: string }): Record<string, never> {
    this.pendingToken(input.taskToken);
    return {};
  }

  /** Counters since this endpoint started: what a run costs on AWS is counted the same way. */
  stats(): Record<string, unknown> {
    const byStatus: Record<string, number> = {};
    for (const e of this.executions.values()) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
    return {
      executions: byStatus,
      stateTransitions: this.stateTransitions,
      lambdaInvocations: Object.fromEntries(this.invoker.invocations),
      ...Object.assign({}, ...this.statsProviders.map((p) => p())),
    };
  }

  /** Waits for a run to end (tests, shutdown). */
  async waitForExecution(arn: string): Promise<void> {
    await this.live.get(arn)?.finishedPromise;
  }

  /** Stops the interpreter runs without recording anything: they resume on the next start. */
  close(): void {
    this.closed = true;
    for (const exec of this.live.values()) {
      exec.finished = true;
      for (const t of exec.timers) clearTimeout(t);
      for (const entry of exec.tokens) if (entry.timer) clearTimeout(entry.timer);
      exec.run?.abort();
    }
    this.live.clear();
    this.tokens.clear();
  }

  // ---- internals --------------------------------------------------------------------------------

  /** Invokes one of the engine's functions outside any execution (EventBridge targets). */
  invokeFunction(id: string, payload: JsonValue): Promise<JsonValue> {
    return this.invoker.invoke(id, payload);
  }

  executionFinished(exec: LiveExecution): void {
    this.live.delete(exec.summary.executionArn);
    if (this.closed || !this.onExecutionEnded) return;
    try {
      this.onExecutionEnded({ ...exec.summary });
    } catch (error) {
      this.log(`execution-ended listener failed: ${(error as Error).message}`);
    }
  }

  retireToken(token: string, why: 'timed-out' | 'closed'): void {
    this.tokens.delete(token);
    this.deadTokens.set(token, why);
    if (this.deadTokens.size > MAX_DEAD_TOKENS) {
      const oldest = this.deadTokens.keys().next().value;
      if (oldest !== undefined) this.deadTokens.delete(oldest);
    }
  }

  private settleToken(entry: TokenEntry, outcome: Outcome): void {
    entry.settled = true;
    entry.exec.tokens.delete(entry);
    if (entry.timer) clearTimeout(entry.timer);
    this.retireToken(entry.token, outcome.error === 'States.Timeout' ? 'timed-out' : 'closed');
    if (!entry.exec.finished && !entry.exec.aborted) entry.record(outcome);
    entry.settle(outcome);
  }

  private pendingToken(token: string | undefined): TokenEntry {
    if (!token || token.length > 2048) throw new SfnApiError('InvalidToken', 'Invalid Token');
    const entry = this.tokens.get(token);
    if (entry && !entry.settled && !entry.exec.finished) return entry;
    const dead = this.deadTokens.get(token);
    if (dead === 'timed-out') throw new SfnApiError('TaskTimedOut', 'Task Timed Out');
    if (dead || token.startsWith(TOKEN_PREFIX))
      throw new SfnApiError('TaskDoesNotExist', 'Task Does Not Exist');
    throw new SfnApiError('InvalidToken', 'Invalid Token');
  }

  private machine(arn: string | undefined): Machine {
    if (!arn || !arn.startsWith('arn:')) throw new SfnApiError('InvalidArn', `Invalid Arn: '${arn ?? ''}'`);
    const m = this.machines.get(arn);
    if (!m) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return m;
  }

  private execution(arn: string | undefined): ExecutionSummary {
    if (!arn || !arn.startsWith('arn:')) throw new SfnApiError('InvalidArn', `Invalid Arn: '${arn ?? ''}'`);
    const s = this.executions.get(arn);
    if (!s) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return s;
  }

  private launch(exec: LiveExecution): void {
    if (this.closed) return;
    const { summary, machine } = exec;
    this.live.set(summary.executionArn, exec);
    const handlers: Record<string, (input: JsonValue) => Promise<JsonValue>> = {};
    for (const name of machine.prepared.tasks.keys())
      handlers[name] = (input) => this.runTask(exec, name, input);
    const issued = exec.issued;
    const context = {
      Execution: {
        Id: summary.executionArn,
        Name: summary.name,
        RoleArn: ROLE_ARN,
        RedriveCount: summary.redriveCount,
      },
      StateMachine: { Id: machine.arn, Name: machine.name },
      // A getter: each task entry that reads `$$.Task.Token` gets a fresh token.
      Task: {
        get Token(): string {
          const token = newToken();
          issued.add(token);
          return token;
        },
      },
    };
    const run = machine.interpreter.run(JSON.parse(summary.input) as JsonValue as never, {
      noThrowOnAbort: true,
      context,
      overrides: {
        taskResourceLocalHandlers: handlers as never,
        // Wait states between tasks served from the record need no waiting: they waited already.
        waitTimeOverrides: new Proxy(
          {},
          { get: (_t, state) => (typeof state === 'string' && exec.replaying() ? 0 : undefined) },
        ) as never,
        // Retries of failures served from the record need no backoff: they happened already.
        retryIntervalOverrides: new Proxy(
          {},
          {
            get: (_t, state) => (typeof state === 'string' && exec.replayFailures.has(state) ? 0 : undefined),
          },
        ) as never,
      },
    });
    exec.run = run;
    run.result.catch(() => undefined);
    void (async () => {
      try {
        for await (const event of run.eventLogs) {
          if (exec.finished) break;
          this.onInterpreterEvent(exec, event as unknown as InterpreterEvent);
        }
      } catch (error) {
        this.log(`history of ${summary.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!exec.finished && !this.closed) {
        // The event stream closed without a terminal event (should not happen): settle from the result.
        const output = await run.result.catch(() => undefined);
        exec.finish(
          output === undefined ? 'FAILED' : 'SUCCEEDED',
          output === undefined ? {} : { output: json(output) },
        );
      }
    })();
  }

  private onInterpreterEvent(exec: LiveExecution, event: InterpreterEvent): void {
    const thread = event.index !== undefined ? `i${event.index}` : 'root';
    const state = event.state;
    switch (event.type) {
      case 'ExecutionStarted': {
        const input = json(event.input);
        exec.push(
          'ExecutionStarted',
          { executionStartedEventDetails: { input, inputDetails: dataDetails(input), roleArn: ROLE_ARN } },
          'root',
        );
        return;
      }
      case 'StateRetried':
        // AWS bills each retry as a state transition.
        this.stateTransitions++;
        if (state?.type === 'Task') exec.attemptDue(state.name, thread);
        return;
      case 'StateEntered': {
        if (!state) return;
        this.stateTransitions++;
        exec.enteredInput.set(state.name, state.input);
        const input = json(state.input);
        exec.push(
          `${state.type}StateEntered`,
          { stateEnteredEventDetails: { name: state.name, input, inputDetails: dataDetails(input) } },
          thread,
          state.name,
        );
        if (state.type === 'Task') exec.attemptDue(state.name, thread);
        if (state.type === 'Map') {
          const itemsPath = exec.machine.prepared.maps.get(state.name) ?? '$';
          const items = readPath(itemsPath, state.input);
          exec.push(
            'MapStateStarted',
            { mapStateStartedEventDetails: { length: Array.isArray(items) ? items.length : 0 } },
            thread,
            state.name,
          );
        }
        return;
      }
      case 'StateExited': {
        if (!state) return;
        if (state.type === 'Map' || state.type === 'Parallel') {
          exec.closeTokens(exec.machine.prepared.nested.get(state.name));
          exec.push(`${state.type}StateSucceeded`, {}, thread, state.name);
        }
        const output = json(state.output);
        exec.push(
          `${state.type}StateExited`,
          { stateExitedEventDetails: { name: state.name, output, outputDetails: dataDetails(output) } },
          thread,
          state.name,
        );
        return;
      }
      case 'StateFailed': {
        if (!state) return;
        if (state.type === 'Map' || state.type === 'Parallel') {
          exec.closeTokens(exec.machine.prepared.nested.get(state.name));
          exec.push(`${state.type}StateFailed`, {}, thread, state.name);
        }
        return;
      }
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const key = `${event.type.charAt(0).toLowerCase()}${event.type.slice(1)}EventDetails`;
        const details: JsonObject = { name: event.parentState?.name ?? '', index: event.index ?? 0 };
        if (event.type === 'MapIterationFailed') {
          if (event.Error !== undefined) details.error = String(event.Error);
          const cause = errorText(event.Cause);
          if (cause !== undefined) details.cause = cause;
        }
        exec.push(event.type, { [key]: details }, thread);
        return;
      }
      case 'ExecutionSucceeded': {
        const output = json(event.output);
        exec.push(
          'ExecutionSucceeded',
          { executionSucceededEventDetails: { output, outputDetails: dataDetails(output) } },
          'root',
        );
        exec.finish('SUCCEEDED', { output });
        return;
      }
      case 'ExecutionFailed': {
        const error = event.Error !== undefined ? String(event.Error) : undefined;
        const cause = errorText(event.Cause);
        exec.push(
          'ExecutionFailed',
          {
            executionFailedEventDetails: {
              ...(error !== undefined ? { error } : {}),
              ...(cause !== undefined ? { cause } : {}),
            },
          },
          'root',
        );
        exec.finish('FAILED', { error, cause });
        return;
      }
      case 'ExecutionTimeout': {
        exec.push('ExecutionTimedOut', { executionTimedOutEventDetails: {} }, 'root');
        exec.finish('TIMED_OUT', { error: 'States.Timeout' });
        return;
      }
      default:
        return;
    }
  }

  private timeoutSecondsFor(exec: LiveExecution, spec: TaskSpec): number | undefined {
    if (spec.timeoutSeconds !== undefined) return spec.timeoutSeconds;
    if (spec.timeoutSecondsPath === undefined) return undefined;
    let input = exec.enteredInput.get(spec.stateName) ?? null;
    if (typeof spec.inputPath === 'string') input = readPath(spec.inputPath, input) ?? null;
    const value = readPath(spec.timeoutSecondsPath, input);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new TaskFailure(
        'States.Runtime',
        `TimeoutSecondsPath '${spec.timeoutSecondsPath}' does not point to a positive integer`,
      );
    }
    return value;
  }

  private claimToken(exec: LiveExecution, value: JsonValue): string | undefined {
    if (typeof value === 'string') {
      if (exec.issued.has(value)) {
        exec.issued.delete(value);
        return value;
      }
      return undefined;
    }
    if (value && typeof value === 'object') {
      for (const v of Object.values(value)) {
        const found = this.claimToken(exec, v);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** One attempt of a Task state: served from the record during a replay, run live otherwise. */
  private async runTask(exec: LiveExecution, stateName: string, input: JsonValue): Promise<JsonValue> {
    const spec = exec.machine.prepared.tasks.get(stateName);
    if (!spec) throw new TaskFailure('States.Runtime', `Unknown task state ${stateName}`);
    const token = spec.callback ? this.claimToken(exec, input) : undefined;
    // Let the history catch up with the interpreter (it is read asynchronously), so this task's
    // events follow its state's TaskStateEntered.
    await nextTurn();
    if (exec.finished || exec.aborted) throw new TaskFailure('States.Aborted', 'The execution was stopped');
    const thread = exec.attemptThread(stateName);
    const { resourceType, resource } = resourceParts(spec.resource);
    const key = `${stateName}|${maskTokens(JSON.stringify(input))}`;
    let timeoutSeconds: number | undefined;
    try {
      timeoutSeconds = this.timeoutSecondsFor(exec, spec);
    } catch (error) {
      exec.push(
        'TaskFailed',
        {
          taskFailedEventDetails: {
            resourceType,
            resource,
            error: (error as Error).name,
            cause: (error as Error).message,
          },
        },
        thread,
        stateName,
      );
      throw error;
    }
    const sched = exec.push(
      'TaskScheduled',
      {
        taskScheduledEventDetails: {
          resourceType,
          resource,
          region: LOCAL_REGION,
          parameters: JSON.stringify(input),
          ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
          ...(spec.heartbeatSeconds !== undefined ? { heartbeatInSeconds: spec.heartbeatSeconds } : {}),
        },
      },
      thread,
      stateName,
    );
    exec.push('TaskStarted', { taskStartedEventDetails: { resourceType, resource } }, thread, stateName);

    const recorded = exec.takeRecorded(key);
    let outcome: Outcome;
    if (recorded) {
      if (recorded.ok) exec.replayFailures.delete(stateName);
      else exec.replayFailures.add(stateName);
      outcome = recorded;
    } else {
      exec.replayFailures.delete(stateName);
      const record = (o: Outcome) =>
        this.store.appendResult(exec.summary.file, { key, state: stateName, sched, ...o });
      if (spec.callback) {
        // A task the first run had started keeps its deadline across a restart.
        const startedAt = exec.storedTime(sched) ?? Date.now();
        outcome = await this.runCallbackTask(
          exec,
          spec,
          input,
          token,
          timeoutSeconds,
          startedAt,
          thread,
          record,
        );
        if (exec.finished || exec.aborted)
          throw new TaskFailure('States.Aborted', 'The execution was stopped');
      } else {
        outcome = await this.runLambdaTask(exec, spec, input, timeoutSeconds);
        if (exec.finished || exec.aborted)
          throw new TaskFailure('States.Aborted', 'The execution was stopped');
        record(outcome);
      }
    }
    if (outcome.ok) {
      const output = json(outcome.value);
      exec.push(
        'TaskSucceeded',
        { taskSucceededEventDetails: { resourceType, resource, output, outputDetails: dataDetails(output) } },
        thread,
        stateName,
      );
      return outcome.value ?? null;
    }
    const error = outcome.error ?? 'States.TaskFailed';
    const cause = outcome.cause ?? '';
    exec.push(
      error === 'States.Timeout' ? 'TaskTimedOut' : 'TaskFailed',
      {
        [error === 'States.Timeout' ? 'taskTimedOutEventDetails' : 'taskFailedEventDetails']: {
          resourceType,
          resource,
          error,
          cause,
        },
      },
      thread,
      stateName,
    );
    throw new TaskFailure(error, cause);
  }

  private payloadOf(spec: TaskSpec, input: JsonValue): { functionName: string; payload: JsonValue } {
    const params = (input && typeof input === 'object' && !Array.isArray(input) ? input : {}) as JsonObject;
    if (spec.resource.startsWith('arn:aws:lambda:')) return { functionName: spec.resource, payload: input };
    if (!/^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/.test(spec.resource)) {
      throw new TaskFailure('States.Runtime', `The local runtime cannot run resource ${spec.resource}`);
    }
    const functionName = typeof params.FunctionName === 'string' ? params.FunctionName : '';
    return { functionName, payload: params.Payload ?? null };
  }

  private async runLambdaTask(
    exec: LiveExecution,
    spec: TaskSpec,
    input: JsonValue,
    timeoutSeconds: number | undefined,
  ): Promise<Outcome> {
    try {
      const { functionName, payload } = this.payloadOf(spec, input);
      let timer: NodeJS.Timeout | undefined;
      const invocation = this.invoker.invoke(functionName, payload);
      const result = await (timeoutSeconds === undefined
        ? invocation
        : Promise.race([
            invocation,
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new TaskFailure('States.Timeout', '')), timeoutSeconds * 1000);
              exec.addTimer(timer);
            }),
          ]).finally(() => timer && clearTimeout(timer)));
      const value: JsonValue = spec.resource.startsWith('arn:aws:lambda:')
        ? result
        : { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
      return { ok: true, value };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      return { ok: false, error: e.name, cause: e.message };
    }
  }

  private async runCallbackTask(
    exec: LiveExecution,
    spec: TaskSpec,
    input: JsonValue,
    token: string | undefined,
    timeoutSeconds: number | undefined,
    startedAt: number,
    thread: string,
    record: (outcome: Outcome) => void,
  ): Promise<Outcome> {
    const { resourceType, resource } = resourceParts(spec.resource);
    const finalOutcome = (o: Outcome): Outcome => {
      if (!exec.finished && !exec.aborted) record(o);
      return o;
    };
    let resolveOutcome!: (o: Outcome) => void;
    const settled = new Promise<Outcome>((resolve) => (resolveOutcome = resolve));
    let entry: TokenEntry | undefined;
    if (token) {
      entry = { token, exec, stateName: spec.stateName, settled: false, settle: resolveOutcome, record };
      this.tokens.set(token, entry);
      exec.tokens.add(entry);
      if (timeoutSeconds !== undefined) {
        const e = entry;
        setLongTimeout(
          () => {
            if (!e.settled) this.settleToken(e, { ok: false, error: 'States.Timeout', cause: '' });
          },
          Math.max(0, startedAt + timeoutSeconds * 1000 - Date.now()),
          (t) => (e.timer = t),
        );
      }
    }
    try {
      const { functionName, payload } = this.payloadOf(spec, input);
      const result = await this.invoker.invoke(functionName, payload);
      if (!exec.finished) {
        const output = json({ ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 });
        exec.push(
          'TaskSubmitted',
          {
            taskSubmittedEventDetails: { resourceType, resource, output, outputDetails: dataDetails(output) },
          },
          thread,
          spec.stateName,
        );
      }
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      if (entry && !entry.settled) this.settleToken(entry, { ok: false, error: e.name, cause: e.message });
      else if (!entry) return finalOutcome({ ok: false, error: e.name, cause: e.message });
    }
    if (!entry) {
      // No `$$.Task.Token` in the parameters: nobody can ever answer; AWS waits for the timeout.
      if (timeoutSeconds === undefined) return new Promise<Outcome>(() => undefined);
      await new Promise((r) => exec.addTimer(setTimeout(r, timeoutSeconds * 1000)));
      return finalOutcome({ ok: false, error: 'States.Timeout', cause: '' });
    }
    return settled;
  }
}

interface InterpreterEvent {
  type: string;
  index?: number;
  input?: JsonValue;
  output?: JsonValue;
  Error?: unknown;
  Cause?: unknown;
  state?: { name: string; type: string; input: JsonValue; output?: JsonValue };
  parentState?: { name: string };
}

function paginate<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined) {
  const size = maxResults && maxResults > 0 ? Math.min(maxResults, 1000) : 100;
  let start = 0;
  if (nextToken) {
    const parsed = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(parsed) || parsed < 0)
      throw new SfnApiError('ValidationException', 'Invalid nextToken');
    start = parsed;
  }
  const page = items.slice(start, start + size);
  const next =
    start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return { page, nextToken: next };
}
