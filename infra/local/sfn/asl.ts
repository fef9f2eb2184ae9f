// Prepares an ASL definition for the local interpreter: applies the `${...}` substitutions, and
// records what the endpoint needs to know about each Task state (resource, timeout).
//
// Why Task timeouts are rewritten: aws-local-stepfunctions 3.0 evaluates `TimeoutSecondsPath`
// against the state's input *after* `Parameters` (AWS evaluates it against the state input), so
// `$.settings.stepTimeoutSeconds` fails with States.Runtime there. The endpoint therefore runs
// each Task's timeout itself (from the original definition, on the state input) and hands the
// interpreter a definition whose Task timeouts are too long to ever fire first.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Longest delay a Node timer takes (≈24.8 days); the interpreter's own Task timer never wins. */
export const INTERPRETER_TASK_TIMEOUT_SECONDS = 2_147_483;

export interface TaskSpec {
  stateName: string;
  resource: string;
  /** `.waitForTaskToken`: the result comes from SendTaskSuccess/SendTaskFailure. */
  callback: boolean;
  timeoutSeconds?: number;
  timeoutSecondsPath?: string;
  heartbeatSeconds?: number;
  inputPath?: string | null;
}

export interface PreparedDefinition {
  /** The definition as DescribeStateMachine returns it (substitutions applied). */
  definitionText: string;
  /** What the interpreter runs. */
  interpreterDefinition: JsonObject;
  tasks: Map<string, TaskSpec>;
  /** Map state name → ItemsPath (for MapStateStarted's length). */
  maps: Map<string, string | undefined>;
  /** State name → the states nested in it (Map item processors), to close their tokens with it. */
  nested: Map<string, Set<string>>;
}

export function substitute(text: string, substitutions: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, key: string) => substitutions[key] ?? whole);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function prepareDefinition(
  aslText: string,
  substitutions: Record<string, string>,
): PreparedDefinition {
  const definitionText = substitute(aslText, substitutions);
  const missing = /\$\{([A-Za-z0-9_]+)\}/.exec(definitionText);
  if (missing) throw new Error(`The definition uses \${${missing[1]}}, which has no substitution`);
  const original = JSON.parse(definitionText) as JsonObject;
  const interpreterDefinition = JSON.parse(definitionText) as JsonObject;
  const tasks = new Map<string, TaskSpec>();
  const maps = new Map<string, string | undefined>();
  const nested = new Map<string, Set<string>>();

  const walk = (
    machine: JsonValue | undefined,
    rewritten: JsonValue | undefined,
    owners: Set<string>[],
  ): void => {
    if (
      !isObject(machine) ||
      !isObject(rewritten) ||
      !isObject(machine.States) ||
      !isObject(rewritten.States)
    )
      return;
    for (const [name, state] of Object.entries(machine.States)) {
      const target = rewritten.States[name];
      if (!isObject(state) || !isObject(target)) continue;
      for (const owner of owners) owner.add(name);
      if (state.Type === 'Task' && typeof state.Resource === 'string') {
        if (tasks.has(name))
          throw new Error(`Task state names must be unique in the local runtime: "${name}"`);
        tasks.set(name, {
          stateName: name,
          resource: state.Resource,
          callback: state.Resource.endsWith('.waitForTaskToken'),
          timeoutSeconds: typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : undefined,
          timeoutSecondsPath:
            typeof state.TimeoutSecondsPath === 'string' ? state.TimeoutSecondsPath : undefined,
          heartbeatSeconds: typeof state.HeartbeatSeconds === 'number' ? state.HeartbeatSeconds : undefined,
          inputPath: 'InputPath' in state ? (state.InputPath as string | null) : undefined,
        });
        delete target.TimeoutSecondsPath;
        delete target.HeartbeatSeconds;
        delete target.HeartbeatSecondsPath;
        target.TimeoutSeconds = INTERPRETER_TASK_TIMEOUT_SECONDS;
      }
      if (state.Type === 'Map') {
        maps.set(name, typeof state.ItemsPath === 'string' ? state.ItemsPath : undefined);
        const inner = new Set<string>();
        nested.set(name, inner);
        walk(state.ItemProcessor ?? state.Iterator, target.ItemProcessor ?? target.Iterator, [
          ...owners,
          inner,
        ]);
      }
      if (state.Type === 'Parallel' && Array.isArray(state.Branches) && Array.isArray(target.Branches)) {
        const inner = new Set<string>();
        nested.set(name, inner);
        state.Branches.forEach((branch, i) =>
          walk(branch, (target.Branches as JsonValue[])[i], [...owners, inner]),
        );
      }
    }
  };
  walk(original, interpreterDefinition, []);
  return { definitionText, interpreterDefinition, tasks, maps, nested };
}

/**
 * A reference path as ASL allows them in TimeoutSecondsPath, ItemsPath, InputPath: `$`, `$.a.b`,
 * `$['a']`, `$.a[0]`. Returns undefined when it does not point to a value.
 */
export function readPath(path: string, value: JsonValue): JsonValue | undefined {
  if (!path.startsWith('$')) return undefined;
  const parts = path.slice(1).match(/\.[^.[\]]+|\[\d+\]|\['[^']*'\]|\["[^"]*"\]/g) ?? [];
  if (parts.join('') !== path.slice(1)) return undefined;
  let current: JsonValue | undefined = value;
  for (const part of parts) {
    if (current === undefined || current === null || typeof current !== 'object') return undefined;
    if (part.startsWith('.')) current = Array.isArray(current) ? undefined : current[part.slice(1)];
    else if (/^\[\d+\]$/.test(part))
      current = Array.isArray(current) ? current[Number(part.slice(1, -1))] : undefined;
    else current = Array.isArray(current) ? undefined : current[part.slice(2, -2)];
  }
  return current;
}
