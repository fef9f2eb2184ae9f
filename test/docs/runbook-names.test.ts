import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_RULES } from '../../infra/event-rules';
import { readDoc, ROOT, ticked } from './markdown';

// The names an ops engineer types or searches for: states of the ASL, rules of the rules table,
// error names of functions/shared/errors.ts (and the few that come from elsewhere), log messages
// and audit actions. Each one the runbook (and the README and deploy guide) puts in backticks
// must exist in the code, so a rename fails here, not at 3 a.m. The alarms are checked against
// the synthesized template in deploy-tables.test.ts.

const DOCS = ['docs/runbook.md', 'docs/deploy.md', 'README.md'];
const RUNBOOK = 'docs/runbook.md';

interface AslState {
  Type: string;
  Resource?: string;
  Error?: string;
  Retry?: {
    ErrorEquals: string[];
    IntervalSeconds?: number;
    MaxAttempts?: number;
    MaxDelaySeconds?: number;
  }[];
  ItemProcessor?: { States: Record<string, AslState> };
  Iterator?: { States: Record<string, AslState> };
  Branches?: { States: Record<string, AslState> }[];
}

const asl = JSON.parse(readFileSync(join(ROOT, 'statemachines/provisioning.asl.json'), 'utf8')) as {
  States: Record<string, AslState>;
};

function allStates(states: Record<string, AslState>): [string, AslState][] {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state] as [string, AslState],
    ...allStates(state.ItemProcessor?.States ?? state.Iterator?.States ?? {}),
    ...(state.Branches ?? []).flatMap((b) => allStates(b.States)),
  ]);
}
const STATES = allStates(asl.States);
const STATE_NAMES = new Set(STATES.map(([name]) => name));

const errorsSource = readFileSync(join(ROOT, 'functions/shared/errors.ts'), 'utf8');
const PROJECT_ERRORS = new Set([...errorsSource.matchAll(/name = '(\w+)'/g)].map((m) => m[1] ?? ''));
/** Errors the docs name that other code throws: each checked where it comes from. */
const FOREIGN_ERRORS: Record<string, () => boolean> = {
  // The local EventBridge under `--faults events=…`, as EventBridge answers.
  ThrottlingException: () => codeText().includes("'ThrottlingException'"),
};

let code: string | undefined;
/** Every TypeScript file of the product and the runtime, as one text. */
function codeText(): string {
  if (code !== undefined) return code;
  const read = (dir: string): string[] =>
    readdirSync(join(ROOT, dir)).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(join(ROOT, path)).isDirectory()) return read(path);
      return path.endsWith('.ts') ? [readFileSync(join(ROOT, path), 'utf8')] : [];
    });
  code = [...read('functions'), ...read('infra')].join('\n');
  return code;
}

/** Log messages and audit actions: the first string of each logger call, each `action:`. */
function phrasesInCode(): string[] {
  const text = codeText();
  return [
    ...text.matchAll(/logger\.(?:debug|info|warn|error|critical)\(\s*['"`]([^'"`]+)/g),
    ...text.matchAll(/\baction:\s*['"`]([^'"`]+)/g),
    ...text.matchAll(/DETAIL_TYPE_\w+ = ['"]([^'"]+)/g),
  ].map((m) => m[1] ?? '');
}

/** The document without its fenced code blocks (fences included), whitespace made single spaces. */
function prose(file: string): string {
  const kept: string[] = [];
  let inFence = false;
  for (const line of readDoc(file).split('\n')) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    else if (!inFence) kept.push(line);
  }
  return kept.join('\n').replace(/\s+/g, ' ');
}

/** Backticked words outside code blocks. */
function tickedInProse(file: string): string[] {
  return ticked(prose(file));
}

describe('names in the runbook exist in the code', () => {
  it('names only error classes that exist', () => {
    const bad = DOCS.flatMap((file) =>
      tickedInProse(file)
        .filter((t) => /^[A-Z]\w*(Error|Exception)$/.test(t))
        .filter((t) => !PROJECT_ERRORS.has(t) && !(FOREIGN_ERRORS[t]?.() ?? false))
        .map((t) => `${file}: ${t}`),
    );
    expect(bad).toEqual([]);
  });

  it("names a run's Error as the state machine or the cancel function sets it", () => {
    const failErrors = new Set(STATES.map(([, s]) => s.Error).filter(Boolean));
    const named = [...prose(RUNBOOK).matchAll(/Error `(\w+)`/g)].map((m) => m[1] ?? '');
    expect(named.length).toBeGreaterThan(0);
    for (const error of named)
      expect(failErrors.has(error) || codeText().includes(`error: '${error}'`), error).toBe(true);
  });

  it('names the retried errors, the retries and the backoff as the ASL has them', () => {
    const retries = STATES.flatMap(([, s]) => s.Retry ?? []);
    expect(retries.length).toBeGreaterThan(0);
    const runbook = prose(RUNBOOK);
    const named = new Set(ticked(runbook).filter((t) => /^Lambda\.\w+$/.test(t) || t === 'TransientError'));
    for (const retry of retries) {
      if (retry.ErrorEquals.includes('WebexCustomerBusyError')) {
        // The one retrier of its own: a Webex customer busy with another update is waited out longer.
        expect(retry.ErrorEquals).toEqual(['WebexCustomerBusyError']);
        expect(runbook).toContain(
          `${retry.MaxAttempts} retries from ${retry.IntervalSeconds} s, doubling up to ${retry.MaxDelaySeconds} s`,
        );
        continue;
      }
      expect(new Set(retry.ErrorEquals)).toEqual(named);
      expect(runbook).toContain(`${retry.MaxAttempts} retries after the first attempt`);
      expect(runbook).toContain(
        `waiting ${retry.IntervalSeconds} s, then doubling up to ${retry.MaxDelaySeconds} s`,
      );
    }
  });

  it('names only rules of infra/event-rules.ts', () => {
    const ids = new Set(EVENT_RULES.map((r) => r.id));
    const named = DOCS.flatMap((file) => tickedInProse(file).filter((t) => /^[A-Z]\w*Rule$/.test(t)));
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((t) => !ids.has(t))).toEqual([]);
    // A rule named without its suffix (`ExecutionFailures`) is not a name anyone finds.
    const shortened = DOCS.flatMap((file) =>
      tickedInProse(file).filter((t) => ids.has(`${t}Rule`) && !codeText().includes(`'${t}'`)),
    );
    expect(shortened).toEqual([]);
  });

  it('lists exactly the states that wait for a person', () => {
    const runbook = prose(RUNBOOK);
    const sentence = /The states that wait for a person \(callback tasks\) are (.*?)\. A run/.exec(
      runbook,
    )?.[1];
    expect(sentence, 'the sentence listing the waiting states').toBeDefined();
    const waiting = STATES.filter(([, s]) => s.Resource?.includes('waitForTaskToken')).map(([n]) => n);
    const map = STATES.find(([, s]) => s.Type === 'Map')?.[0];
    expect(ticked(sentence ?? '').sort()).toEqual([...waiting, map].sort());
  });

  it('names only states of the ASL, log messages and audit actions the code writes', () => {
    const phrases = phrasesInCode();
    const unknown = DOCS.flatMap((file) =>
      tickedInProse(file)
        // A phrase: starts with a capital, has a space or an ellipsis, and is not a key or a path.
        .filter((t) => /^[A-Z][^#<=/]*[ …][^#<=/]*$/.test(t) && !/^[A-Z][\w-]*: [\w-]+$/.test(t))
        .filter((t) => {
          if (STATE_NAMES.has(t)) return false;
          if (t.includes('…')) {
            const pattern = new RegExp(
              `^${t
                .split('…')
                .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
                .join('.+')}$`,
            );
            return ![...STATE_NAMES].some((s) => pattern.test(s));
          }
          return !phrases.some((p) => p.startsWith(t));
        })
        .map((t) => `${file}: ${t}`),
    );
    expect(unknown).toEqual([]);
  });
});
