import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { STATE_MACHINE_FUNCTIONS } from '../../functions/registry';
import { PROJECT_ROOT } from '../../infra/create-app';
import { defaultApp } from '../infra/synth-app.fixture';

interface State {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  TimeoutSecondsPath?: string;
  TimeoutSeconds?: number;
  Retry?: {
    ErrorEquals: string[];
    IntervalSeconds?: number;
    BackoffRate?: number;
    MaxAttempts?: number;
    MaxDelaySeconds?: number;
    JitterStrategy?: string;
  }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  ItemProcessor?: Machine;
  Iterator?: Machine;
  Branches?: Machine[];
}
interface Machine {
  StartAt: string;
  States: Record<string, State>;
}

const aslText = readFileSync(join(PROJECT_ROOT, 'statemachines/provisioning.asl.json'), 'utf8');
const asl = JSON.parse(aslText) as Machine;

/** Every state, nested ones included, with the states that enclose it (Map, Parallel). */
function allStates(
  machine: Machine,
  enclosing: State[] = [],
): { name: string; state: State; enclosing: State[] }[] {
  return Object.entries(machine.States).flatMap(([name, state]) => {
    const inner = [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])].filter(
      (m): m is Machine => m !== undefined,
    );
    return [{ name, state, enclosing }, ...inner.flatMap((m) => allStates(m, [...enclosing, state]))];
  });
}

const states = allStates(asl);
const lambdaTasks = states.filter(({ state }) =>
  state.Resource?.startsWith('arn:aws:states:::lambda:invoke'),
);
const callbackTasks = states.filter(({ state }) => state.Resource?.endsWith('.waitForTaskToken'));
const placeholders = [...new Set([...aslText.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]))].sort();

const TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'TransientError',
];

describe('statemachines/provisioning.asl.json', () => {
  it('is valid Amazon States Language, as written and with its substitutions applied', () => {
    for (const text of [
      aslText,
      aslText.replace(/\$\{([A-Za-z0-9_]+)\}/g, 'arn:aws:lambda:eu-west-1:123456789012:function:$1'),
    ]) {
      const { isValid, errorsText } = aslValidator(JSON.parse(text));
      expect(isValid, errorsText('\n')).toBe(true);
    }
  });

  it('uses every ${key} the stack substitutes, and the stack substitutes every ${key} it uses', () => {
    const { workflowTemplate } = defaultApp();
    const [stateMachine] = Object.values(workflowTemplate.findResources('AWS::StepFunctions::StateMachine'));
    const substituted = Object.keys(stateMachine?.Properties.DefinitionSubstitutions ?? {}).sort();
    expect(placeholders.length).toBeGreaterThan(0);
    expect(substituted).toEqual(placeholders);
    expect(STATE_MACHINE_FUNCTIONS.map((spec) => spec.substitution).sort()).toEqual(placeholders);
  });

  it('names each Lambda task’s function through a substitution', () => {
    expect(lambdaTasks.length).toBeGreaterThan(0);
    for (const { name, state } of lambdaTasks) {
      expect(state.Parameters?.FunctionName, name).toMatch(/^\$\{[A-Za-z0-9_]+\}$/);
    }
  });

  it('retries transient Lambda errors and TransientError with backoff and jitter in every Lambda task', () => {
    for (const { name, state } of lambdaTasks) {
      const retry = state.Retry?.find((r) => TRANSIENT_ERRORS.every((e) => r.ErrorEquals.includes(e)));
      expect(retry, `${name} retries ${TRANSIENT_ERRORS.join(', ')}`).toBeDefined();
      expect(retry?.BackoffRate ?? 2, name).toBeGreaterThan(1);
      expect(retry?.JitterStrategy, name).toBe('FULL');
    }
  });

  it('waits out a Webex customer busy with another update, longer than a transient error, wherever a customer is updated', () => {
    const updating = ['Provision Webex Meetings', 'Provision Webex Calling', 'Check services'];
    for (const name of updating) {
      const state = states.find((s) => s.name === name)?.state;
      const busy = state?.Retry?.find((r) => r.ErrorEquals.includes('WebexCustomerBusyError'));
      const transient = state?.Retry?.find((r) => r.ErrorEquals.includes('TransientError'));
      expect(busy, `${name} retries WebexCustomerBusyError`).toBeDefined();
      expect(busy?.JitterStrategy, name).toBe('FULL');
      // Webex updates a customer in seconds to minutes: this retrier waits longer in all.
      const total = (r: typeof busy) => {
        let wait = r?.IntervalSeconds ?? 1;
        let sum = 0;
        for (let i = 0; i < (r?.MaxAttempts ?? 3); i++) {
          sum += Math.min(wait, r?.MaxDelaySeconds ?? Infinity);
          wait *= r?.BackoffRate ?? 2;
        }
        return sum;
      };
      expect(total(busy), name).toBeGreaterThanOrEqual(300);
      expect(total(busy), name).toBeGreaterThan(total(transient));
    }
  });

  it('lets a failed task end the run itself: no States.ALL catch, no failure-recording state', () => {
    // A catch-all into a "record the failure" state would make RedriveExecution restart at the
    // Fail state after it (failing again at once) instead of at the task that failed. Failures
    // are recorded by the rule on the execution status change (RecordFailure), outside the ASL.
    for (const { name, state } of states) {
      for (const c of state.Catch ?? []) {
        expect(c.ErrorEquals, `${name} catches`).not.toContain('States.ALL');
        expect(c.ErrorEquals, `${name} catches`).not.toContain('States.TaskFailed');
      }
    }
    const names = states.map((s) => s.name);
    expect(names).not.toContain('Record failure');
    expect(names).not.toContain('Provisioning failed');
    expect(aslText).not.toContain('RecordFailureFunctionArn');
  });

  it('catches only timeouts (into a reminder) and an expired order (into Expire order)', () => {
    const catches = states.flatMap(({ name, state }) => (state.Catch ?? []).map((c) => ({ name, ...c })));
    expect(catches.length).toBeGreaterThan(0);
    for (const { name, ErrorEquals, Next } of catches) {
      expect(ErrorEquals, name).toHaveLength(1);
      if (ErrorEquals[0] === 'States.Timeout') expect(Next, name).toMatch(/^Remind: /);
      else expect([ErrorEquals[0], Next], name).toEqual(['OrderExpiredError', 'Expire order']);
    }
    // A reminder that finds the order past its deadline ends the run as expired, not failed.
    for (const { name } of lambdaTasks.filter(({ name }) => name.startsWith('Remind: '))) {
      const own = catches.some((c) => c.name === name && c.ErrorEquals[0] === 'OrderExpiredError');
      const mapped = catches.some(
        (c) => c.name === 'Set up services' && c.ErrorEquals[0] === 'OrderExpiredError',
      );
      expect(own || (name === 'Remind: service setup' && mapped), name).toBe(true);
    }
    expect(asl.States['Expire order']?.Type).toBe('Task');
    expect(asl.States['Order expired']?.Type).toBe('Fail');
  });

  it('gives every callback task a timeout from its input, and turns the timeout into a reminder', () => {
    expect(callbackTasks.length).toBeGreaterThan(0);
    for (const { name, state } of callbackTasks) {
      expect(state.TimeoutSecondsPath, name).toMatch(/^\$\./);
      expect(state.TimeoutSeconds, name).toBeUndefined();
      const onTimeout = state.Catch?.find((c) => c.ErrorEquals.includes('States.Timeout'));
      expect(onTimeout?.Next, name).toMatch(/^Remind/);
      expect(state.Parameters?.['Payload'], name).toMatchObject({ 'taskToken.$': '$$.Task.Token' });
    }
  });

  it('is JSONPath only: no JSONata, no Assign', () => {
    expect(aslText).not.toMatch(/"QueryLanguage"|"Assign"|"Arguments"|"Output"\s*:|\{%/);
  });
});
