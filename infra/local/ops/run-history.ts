import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { transitionKey } from './asl-graph';

// Turns an execution history (GetExecutionHistory's events, the same on AWS and on the local
// endpoint) into what ops read: the states entered in order, each with its input, output,
// attempts, error and cause; the path taken; where the run is now; and which step failed it.
// Events are tied to their state by following previousEventId, as the console does; where an
// event lacks it, the latest open state stands in. Inside a Map, GetExecutionHistory marks an
// iteration only at its start (MapIterationStarted carries the index); its events chain from
// there, interleaved with the other iterations' events. So each event belongs to the iteration
// its chain comes from, and a fallback never reaches into another iteration's steps.

export type StepStatus = 'running' | 'succeeded' | 'failed' | 'caught' | 'aborted';

export interface StepAttempt {
  startedAt: Date;
  endedAt?: Date;
  outcome: 'running' | 'succeeded' | 'failed' | 'timed-out';
  error?: string;
  cause?: string;
}

export interface RunStep {
  /** Id of the StateEntered event. */
  id: number;
  name: string;
  /** Task, Choice, Map, Fail, Succeed, Pass, Wait, Parallel. */
  stateType: string;
  /** Map iteration (the purchased service's index) for states inside the Map. */
  iteration?: number;
  enteredAt: Date;
  exitedAt?: Date;
  input?: string;
  output?: string;
  /** What the task was invoked with (after Parameters). */
  parameters?: string;
  /** The task's own result (before ResultPath), when it succeeded. */
  result?: string;
  attempts: StepAttempt[];
  error?: string;
  cause?: string;
  status: StepStatus;
  /** Which attempt of the execution entered it: 0 the original, n after the n-th redrive. */
  redrive: number;
}

export type ExecutionState = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT' | 'PENDING_REDRIVE';

export interface RunTrace {
  steps: RunStep[];
  visited: Set<string>;
  taken: Set<string>;
  /** Names of states the run is in now. */
  current: string[];
  /**
   * The step whose error ended the run: the failed task itself (nothing in the state machine
   * catches a task's error), or inside the Map, the iteration's failed step.
   */
  failedStep?: RunStep;
  startedAt?: Date;
  endedAt?: Date;
  lastEventAt?: Date;
  state: ExecutionState;
  error?: string;
  cause?: string;
  input?: string;
  output?: string;
  redriveCount: number;
}

const STATE_ENTERED = /^(\w+)StateEntered$/;
const STATE_EXITED = /^(\w+)StateExited$/;

interface Owner {
  step?: RunStep;
  /** A MapIterationStarted event: the iteration index its first inner state belongs to. */
  iteration?: number;
}

function toDate(value: Date | number | string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) return value;
  const d = new Date(typeof value === 'number' && value < 1e12 ? value * 1000 : value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function traceRun(events: readonly HistoryEvent[]): RunTrace {
  const sorted = [...events].sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  const owners = new Map<number, Owner>();
  const steps: RunStep[] = [];
  const taken = new Set<string>();
  const trace: RunTrace = {
    steps,
    visited: new Set(),
    taken,
    current: [],
    state: 'RUNNING',
    redriveCount: 0,
  };

  const openSteps = () => steps.filter((s) => !s.exitedAt && s.status !== 'aborted');
  const ownerOf = (e: HistoryEvent): Owner | undefined =>
    e.previousEventId !== undefined ? owners.get(e.previousEventId) : undefined;
  const latestOpen = (pred: (s: RunStep) => boolean = () => true) => openSteps().filter(pred).at(-1);
  /** The Map iteration an event's chain comes from (undefined: outside any Map, or no chain). */
  const branchOf = (e: HistoryEvent): { iteration?: number } | undefined => {
    const owner = ownerOf(e);
    if (!owner) return undefined;
    if (owner.iteration !== undefined) return { iteration: owner.iteration };
    return { iteration: owner.step?.stateType === 'Map' ? undefined : owner.step?.iteration };
  };
  /** Among the open steps, the latest one of the event's own branch that matches. */
  const latestOpenInBranch = (e: HistoryEvent, pred: (s: RunStep) => boolean) => {
    const branch = branchOf(e);
    return latestOpen((s) => pred(s) && (branch === undefined || s.iteration === branch.iteration));
  };
  /**
   * The run ended: the states it was in end with it. A failed task has no StateExited event (its
   * error ends the run), so without this it would still look open after a redrive.
   */
  const endOpenSteps = (at: Date | undefined) => {
    for (const s of openSteps()) {
      if (s.status === 'running') s.status = 'aborted';
      s.exitedAt ??= at;
    }
  };

  for (const e of sorted) {
    const type = e.type ?? '';
    const at = toDate(e.timestamp);
    if (at) trace.lastEventAt = at;
    const id = e.id ?? 0;

    const entered = STATE_ENTERED.exec(type);
    if (entered && e.stateEnteredEventDetails) {
      const prev = ownerOf(e);
      const from = prev?.step ?? (e.previousEventId === undefined ? steps.at(-1) : undefined);
      const iteration =
        prev?.iteration ?? (prev?.step && prev.step.stateType !== 'Map' ? prev.step.iteration : undefined);
      const step: RunStep = {
        id,
        name: e.stateEnteredEventDetails.name ?? '',
        stateType: entered[1] ?? '',
        iteration,
        enteredAt: at ?? new Date(0),
        input: e.stateEnteredEventDetails.input,
        attempts: [],
        status: 'running',
        redrive: trace.redriveCount,
      };
      steps.push(step);
      trace.visited.add(step.name);
      // The first inner state of a Map iteration comes from the iteration start, not a state.
      if (from && prev?.iteration === undefined) taken.add(transitionKey(from.name, step.name));
      owners.set(id, { step });
      continue;
    }

    const exited = STATE_EXITED.exec(type);
    if (exited && e.stateExitedEventDetails) {
      const name = e.stateExitedEventDetails.name ?? '';
      const step =
        ownerOf(e)?.step?.name === name ? ownerOf(e)?.step : latestOpenInBranch(e, (s) => s.name === name);
      if (step) {
        step.exitedAt = at;
        step.output = e.stateExitedEventDetails.output;
        const last = step.attempts.at(-1);
        step.status =
          last && last.outcome !== 'succeeded' && last.outcome !== 'running' ? 'caught' : 'succeeded';
        if (step.stateType === 'Map' && step.error) step.status = 'caught';
        owners.set(id, { step });
      }
      continue;
    }

    if (type === 'MapIterationStarted') {
      const details = e.mapIterationStartedEventDetails;
      const mapStep = ownerOf(e)?.step ?? latestOpen((s) => s.name === details?.name);
      owners.set(id, { step: mapStep, iteration: details?.index });
      continue;
    }

    const ownerStep = (pred: (s: RunStep) => boolean) => {
      const viaChain = ownerOf(e)?.step;
      return viaChain && pred(viaChain) ? viaChain : latestOpenInBranch(e, pred);
    };

    switch (type) {
      case 'ExecutionStarted':
        trace.startedAt = at;
        trace.input = e.executionStartedEventDetails?.input;
        break;
      case 'ExecutionSucceeded':
        trace.state = 'SUCCEEDED';
        trace.endedAt = at;
        trace.output = e.executionSucceededEventDetails?.output;
        break;
      case 'ExecutionFailed':
        trace.state = 'FAILED';
        trace.endedAt = at;
        trace.error = e.executionFailedEventDetails?.error;
        trace.cause = e.executionFailedEventDetails?.cause;
        endOpenSteps(at);
        break;
      case 'ExecutionAborted':
        trace.state = 'ABORTED';
        trace.endedAt = at;
        trace.error = e.executionAbortedEventDetails?.error;
        trace.cause = e.executionAbortedEventDetails?.cause;
        endOpenSteps(at);
        break;
      case 'ExecutionTimedOut':
        trace.state = 'TIMED_OUT';
        trace.endedAt = at;
        trace.error = e.executionTimedOutEventDetails?.error;
        trace.cause = e.executionTimedOutEventDetails?.cause;
        endOpenSteps(at);
        break;
      case 'ExecutionRedriven':
        trace.redriveCount = e.executionRedrivenEventDetails?.redriveCount ?? trace.redriveCount + 1;
        trace.state = 'RUNNING';
        trace.endedAt = undefined;
        trace.error = undefined;
        trace.cause = undefined;
        // The steps the failed attempt left open ended with it.
        endOpenSteps(at);
        break;
      case 'TaskScheduled':
      case 'ActivityScheduled':
      case 'LambdaFunctionScheduled': {
        const step = ownerStep((s) => s.stateType === 'Task');
        if (step) {
          if (step.exitedAt && trace.redriveCount > step.redrive) {
            // A redrive runs the failed state again without entering it anew: reopen it.
            step.exitedAt = undefined;
            step.status = 'running';
            step.redrive = trace.redriveCount;
          }
          step.attempts.push({ startedAt: at ?? new Date(0), outcome: 'running' });
          step.parameters ??=
            e.taskScheduledEventDetails?.parameters ?? e.lambdaFunctionScheduledEventDetails?.input;
          owners.set(id, { step });
        }
        break;
      }
      case 'TaskStarted':
      case 'TaskSubmitted':
      case 'ActivityStarted':
      case 'LambdaFunctionStarted': {
        const step = ownerStep((s) => s.stateType === 'Task');
        if (step) owners.set(id, { step });
        break;
      }
      case 'TaskSucceeded':
      case 'ActivitySucceeded':
      case 'LambdaFunctionSucceeded': {
        const step = ownerStep((s) => s.stateType === 'Task');
        if (step) {
          settle(step, at, 'succeeded');
          step.result =
            e.taskSucceededEventDetails?.output ??
            e.activitySucceededEventDetails?.output ??
            e.lambdaFunctionSucceededEventDetails?.output;
          owners.set(id, { step });
        }
        break;
      }
      case 'TaskFailed':
      case 'TaskStartFailed':
      case 'TaskSubmitFailed':
      case 'TaskTimedOut':
      case 'ActivityFailed':
      case 'ActivityTimedOut':
      case 'ActivityScheduleFailed':
      case 'LambdaFunctionFailed':
      case 'LambdaFunctionStartFailed':
      case 'LambdaFunctionScheduleFailed':
      case 'LambdaFunctionTimedOut': {
        const step = ownerStep((s) => s.stateType === 'Task');
        if (step) {
          const d =
            e.taskFailedEventDetails ??
            e.taskStartFailedEventDetails ??
            e.taskSubmitFailedEventDetails ??
            e.taskTimedOutEventDetails ??
            e.activityFailedEventDetails ??
            e.activityTimedOutEventDetails ??
            e.activityScheduleFailedEventDetails ??
            e.lambdaFunctionFailedEventDetails ??
            e.lambdaFunctionStartFailedEventDetails ??
            e.lambdaFunctionScheduleFailedEventDetails ??
            e.lambdaFunctionTimedOutEventDetails;
          const timedOut = type.endsWith('TimedOut');
          settle(
            step,
            at,
            timedOut ? 'timed-out' : 'failed',
            d?.error ?? (timedOut ? 'States.Timeout' : undefined),
            d?.cause,
          );
          step.error = d?.error ?? (timedOut ? 'States.Timeout' : step.error);
          step.cause = d?.cause ?? step.cause;
          step.status = 'failed';
          owners.set(id, { step });
        }
        break;
      }
      case 'TaskStateAborted':
      case 'MapStateAborted':
      case 'ParallelStateAborted':
      case 'WaitStateAborted': {
        const step = ownerStep(() => true);
        if (step) {
          step.status = 'aborted';
          step.exitedAt = at;
          owners.set(id, { step });
        }
        break;
      }
      case 'MapIterationFailed':
      case 'MapIterationAborted':
      case 'MapIterationSucceeded':
      case 'MapStateStarted':
      case 'MapStateSucceeded':
      case 'MapStateFailed': {
        const name =
          e.mapIterationFailedEventDetails?.name ??
          e.mapIterationAbortedEventDetails?.name ??
          e.mapIterationSucceededEventDetails?.name;
        const step = latestOpen((s) => s.stateType === 'Map' && (name === undefined || s.name === name));
        if (step) {
          if (type === 'MapStateFailed' || type === 'MapIterationFailed') {
            step.status = 'failed';
            // The Map fails with its failed iteration's error: take it from the inner step.
            const inner = steps.filter((s) => s.id > step.id && s.iteration !== undefined && s.error).at(-1);
            step.error ??= inner?.error;
            step.cause ??= inner?.cause;
          }
          owners.set(id, { step });
        }
        break;
      }
      case 'FailStateEntered':
        // Handled above as a StateEntered; kept for clarity of the switch's coverage.
        break;
      default:
        // EvaluationFailed and events of states we do not draw: tie them to the open state.
        if (type === 'EvaluationFailed') {
          const step = latestOpen();
          if (step) {
            step.status = 'failed';
            step.error = e.evaluationFailedEventDetails?.error;
            step.cause = e.evaluationFailedEventDetails?.cause;
          }
        }
    }
  }

  // A Fail state is where the run stopped with an error: it carries the run's error.
  for (const s of steps) {
    if (s.stateType === 'Fail') {
      s.status = 'failed';
      s.exitedAt ??= s.enteredAt;
      if (s.redrive === trace.redriveCount) {
        s.error ??= trace.error;
        s.cause ??= trace.cause;
      }
    }
    if (s.stateType === 'Succeed') {
      s.status = 'succeeded';
      s.exitedAt ??= s.enteredAt;
    }
  }

  if (trace.state === 'RUNNING') {
    trace.current = [
      ...new Set(
        openSteps()
          .filter((s) => s.stateType !== 'Map')
          .map((s) => s.name),
      ),
    ];
    const openMaps = openSteps().filter((s) => s.stateType === 'Map');
    if (trace.current.length === 0) trace.current = openMaps.map((s) => s.name);
  } else {
    for (const s of openSteps()) {
      s.status = s.status === 'running' ? 'aborted' : s.status;
      s.exitedAt ??= trace.endedAt;
    }
  }

  trace.failedStep = findFailedStep(trace);
  return trace;
}

function settle(
  step: RunStep,
  at: Date | undefined,
  outcome: StepAttempt['outcome'],
  error?: string,
  cause?: string,
) {
  const attempt = step.attempts.at(-1);
  if (attempt && attempt.outcome === 'running') {
    attempt.endedAt = at;
    attempt.outcome = outcome;
    attempt.error = error;
    attempt.cause = cause;
  } else {
    step.attempts.push({ startedAt: at ?? new Date(0), endedAt: at, outcome, error, cause });
  }
}

/**
 * The step that failed the run: the last step whose error ended it (for a Map, the inner step
 * that failed). A run that ended by design at a top-level Fail state (expiry) has none, nor has a
 * run that was stopped or timed out while no step had failed. Looked for in the latest attempt
 * first (after a redrive), then in the whole history.
 */
function findFailedStep(trace: RunTrace) {
  if (trace.state === 'SUCCEEDED' || trace.state === 'RUNNING') return undefined;
  const latest = trace.steps.filter((s) => s.redrive === trace.redriveCount);
  return culpritIn(latest, trace.steps) ?? culpritIn(trace.steps, trace.steps);
}

function culpritIn(steps: RunStep[], all: RunStep[]): RunStep | undefined {
  const fail = steps.filter((s) => s.stateType === 'Fail').at(-1);
  // A top-level Fail state is a designed end (expiry).
  if (fail && fail.iteration === undefined) return undefined;
  const culprit = steps.filter((s) => s.status === 'failed' && s.stateType !== 'Map').at(-1) ?? fail;
  if (culprit) return culprit;
  // A Map that failed without a failed inner step in `steps`: its first failed iteration's step.
  const map = steps.filter((s) => s.stateType === 'Map' && s.status === 'failed').at(-1);
  if (!map) return undefined;
  return all.find(
    (s) => s.id > map.id && s.iteration !== undefined && (s.status === 'failed' || s.stateType === 'Fail'),
  );
}
