import { BlockList, isIPv4, isIPv6 } from 'node:net';

// EventBridge event patterns, as the service defines them
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html):
// every comparison operator of an event bus — exact values, prefix, suffix, equals-ignore-case,
// wildcard, anything-but (with its prefix, suffix, ignore-case and wildcard forms), numeric,
// exists, cidr — and $or, with the service's array semantics (an array in the event matches when
// one of its elements does; the fields of one pattern object are matched within one array
// element). `validateEventPattern` refuses what PutRule refuses, so a table of rules that loads
// here also deploys.
//
// No maintained npm package implements these semantics (the registry's candidates are either
// missing or embedded in a Serverless plugin), so this module is the implementation, tested
// against the examples of the EventBridge user guide (test/unit/local/event-pattern.test.ts).

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type EventPattern = { [key: string]: JsonValue };

export class InvalidEventPatternError extends Error {
  override name = 'InvalidEventPatternError';
}

type Scalar = string | number | boolean | null;
type Obj = Record<string, JsonValue>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is Scalar =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

const NUMERIC_OPS = new Set(['<', '<=', '=', '>', '>=']);
const OPERATORS = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
]);

// ---- validation --------------------------------------------------------------------------------

function fail(path: string, message: string): never {
  throw new InvalidEventPatternError(`Event pattern is not valid at ${path || '(root)'}: ${message}`);
}

function validateIgnoreCaseOrString(value: JsonValue, path: string, op: string): void {
  if (typeof value === 'string') return;
  if (isObject(value) && Object.keys(value).length === 1 && typeof value['equals-ignore-case'] === 'string')
    return;
  fail(path, `"${op}" takes a string or {"equals-ignore-case": string}`);
}

function validateWildcard(value: string, path: string): void {
  if (/\*\*/.test(value.replace(/\\\\|\\\*/g, ''))) fail(path, 'consecutive wildcard characters');
}

function cidrList(value: string, path: string): BlockList {
  const [address, bits, ...rest] = value.split('/');
  const list = new BlockList();
  const prefix = Number(bits);
  const family = address && isIPv4(address) ? 'ipv4' : address && isIPv6(address) ? 'ipv6' : undefined;
  const max = family === 'ipv4' ? 32 : 128;
  if (!family || rest.length > 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > max)
    fail(path, `"${value}" is not a CIDR block`);
  list.addSubnet(address ?? '', prefix, family);
  return list;
}

function validateMatcher(m: JsonValue, path: string): void {
  if (isScalar(m)) return;
  if (!isObject(m))
    fail(path, 'a value in a match list must be a string, number, boolean, null or an operator');
  const keys = Object.keys(m);
  if (keys.length !== 1) fail(path, `an operator object takes exactly one key, not ${keys.length}`);
  const op = keys[0] as string;
  const value = m[op] as JsonValue;
  const at = `${path}.${op}`;
  if (!OPERATORS.has(op)) fail(at, `unknown operator "${op}"`);
  switch (op) {
    case 'prefix':
    case 'suffix':
      return validateIgnoreCaseOrString(value, at, op);
    case 'equals-ignore-case':
      if (typeof value !== 'string') fail(at, '"equals-ignore-case" takes a string');
      return;
    case 'wildcard':
      if (typeof value !== 'string') fail(at, '"wildcard" takes a string');
      return validateWildcard(value, at);
    case 'exists':
      if (typeof value !== 'boolean') fail(at, '"exists" takes true or false');
      return;
    case 'cidr':
      if (typeof value !== 'string') fail(at, '"cidr" takes a string');
      cidrList(value, at);
      return;
    case 'numeric':
      return validateNumeric(value, at);
    case 'anything-but':
      return validateAnythingBut(value, at);
  }
}

function validateNumeric(value: JsonValue, path: string): void {
  if (!Array.isArray(value) || (value.length !== 2 && value.length !== 4))
    fail(path, '"numeric" takes [op, number] or [op, number, op, number]');
  for (let i = 0; i < value.length; i += 2) {
    const op = value[i];
    const n = value[i + 1];
    if (typeof op !== 'string' || !NUMERIC_OPS.has(op))
      fail(path, `"${String(op)}" is not a numeric operator`);
    if (typeof n !== 'number' || !Number.isFinite(n)) fail(path, 'numeric bounds must be numbers');
  }
  if (value.length === 4) {
    const [lowOp, , highOp] = value as [string, number, string, number];
    if (!['>', '>='].includes(lowOp) || !['<', '<='].includes(highOp))
      fail(path, 'a numeric range is a lower bound (> or >=) then an upper bound (< or <=)');
    if ((value[1] as number) >= (value[3] as number)) fail(path, 'the numeric range is empty');
  }
}

function validateAnythingBut(value: JsonValue, path: string): void {
  if (isScalar(value) && value !== null && typeof value !== 'boolean') return;
  if (Array.isArray(value)) {
    if (value.length === 0) fail(path, '"anything-but" takes a non-empty list');
    const strings = value.every((v) => typeof v === 'string');
    const numbers = value.every((v) => typeof v === 'number');
    if (!strings && !numbers) fail(path, '"anything-but" lists hold only strings or only numbers');
    return;
  }
  if (isObject(value) && Object.keys(value).length === 1) {
    const [op] = Object.keys(value) as [string];
    const inner = value[op] as JsonValue;
    if (op === 'prefix' || op === 'suffix') {
      if (typeof inner !== 'string') fail(path, `"anything-but" "${op}" takes a string`);
      return;
    }
    if (op === 'equals-ignore-case' || op === 'wildcard') {
      const list = Array.isArray(inner) ? inner : [inner];
      if (list.length === 0 || !list.every((v) => typeof v === 'string'))
        fail(path, `"anything-but" "${op}" takes a string or a list of strings`);
      if (op === 'wildcard') for (const w of list) validateWildcard(w as string, path);
      return;
    }
  }
  fail(path, '"anything-but" takes a value, a list, or {prefix|suffix|equals-ignore-case|wildcard}');
}

function validateObject(pattern: Obj, path: string): void {
  const keys = Object.keys(pattern);
  if (keys.length === 0) fail(path, 'an empty object matches nothing');
  for (const key of keys) {
    const value = pattern[key] as JsonValue;
    const at = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) fail(at, '"$or" takes a list of at least two patterns');
      for (const [i, sub] of value.entries()) {
        if (!isObject(sub)) fail(`${at}[${i}]`, '"$or" lists pattern objects');
        validateObject(sub, `${at}[${i}]`);
      }
    } else if (Array.isArray(value)) {
      if (value.length === 0) fail(at, 'a match list must not be empty');
      value.forEach((m, i) => validateMatcher(m, `${at}[${i}]`));
    } else if (isObject(value)) {
      validateObject(value, at);
    } else {
      fail(at, 'every leaf of a pattern is a list of values (["..."])');
    }
  }
}

/** Throws InvalidEventPatternError, naming the place, where EventBridge's PutRule would refuse it. */
export function validateEventPattern(pattern: unknown): asserts pattern is EventPattern {
  if (!isObject(pattern)) fail('', 'an event pattern is a JSON object');
  validateObject(pattern, '');
}

// ---- matching ----------------------------------------------------------------------------------

function wildcardRegExp(pattern: string, flags = ''): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) {
      source += `\\${pattern[++i] as string}`;
    } else if (c === '*') source += '.*';
    else source += c.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, `s${flags}`);
}

function stringTest(spec: JsonValue, test: (value: string, wanted: string) => boolean) {
  if (typeof spec === 'string') return (v: string) => test(v, spec);
  const wanted = String((spec as Obj)['equals-ignore-case']).toLowerCase();
  return (v: string) => test(v.toLowerCase(), wanted);
}

function numericMatch(spec: JsonValue[], n: number): boolean {
  for (let i = 0; i < spec.length; i += 2) {
    const bound = spec[i + 1] as number;
    switch (spec[i]) {
      case '<':
        if (!(n < bound)) return false;
        break;
      case '<=':
        if (!(n <= bound)) return false;
        break;
      case '=':
        if (n !== bound) return false;
        break;
      case '>':
        if (!(n > bound)) return false;
        break;
      case '>=':
        if (!(n >= bound)) return false;
        break;
    }
  }
  return true;
}

function cidrMatch(cidr: string, value: string): boolean {
  const family = isIPv4(value) ? 'ipv4' : isIPv6(value) ? 'ipv6' : undefined;
  if (!family) return false;
  try {
    return cidrList(cidr, '').check(value, family);
  } catch {
    return false;
  }
}

function anythingBut(spec: JsonValue, value: Scalar): boolean {
  if (Array.isArray(spec)) return !spec.some((s) => s === value);
  if (!isObject(spec)) return spec !== value;
  const [op] = Object.keys(spec) as [string];
  const inner = spec[op] as JsonValue;
  if (typeof value !== 'string') return true;
  const list = (Array.isArray(inner) ? inner : [inner]) as string[];
  switch (op) {
    case 'prefix':
      return !value.startsWith(inner as string);
    case 'suffix':
      return !value.endsWith(inner as string);
    case 'equals-ignore-case':
      return !list.some((s) => s.toLowerCase() === value.toLowerCase());
    case 'wildcard':
      return !list.some((w) => wildcardRegExp(w).test(value));
    default:
      return false;
  }
}

/** One matcher of a match list against one present leaf value. */
function matchesLeaf(m: JsonValue, value: Scalar): boolean {
  if (isScalar(m)) return m === value;
  const [op] = Object.keys(m as Obj) as [string];
  const spec = (m as Obj)[op] as JsonValue;
  switch (op) {
    case 'exists':
      return spec === true;
    case 'prefix':
      return typeof value === 'string' && stringTest(spec, (v, w) => v.startsWith(w))(value);
    case 'suffix':
      return typeof value === 'string' && stringTest(spec, (v, w) => v.endsWith(w))(value);
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === String(spec).toLowerCase();
    case 'wildcard':
      return typeof value === 'string' && wildcardRegExp(String(spec)).test(value);
    case 'numeric':
      return typeof value === 'number' && numericMatch(spec as JsonValue[], value);
    case 'cidr':
      return typeof value === 'string' && cidrMatch(String(spec), value);
    case 'anything-but':
      return anythingBut(spec, value);
    default:
      return false;
  }
}

function matchesList(list: JsonValue[], present: boolean, value: JsonValue | undefined): boolean {
  if (!present) return list.some((m) => isObject(m) && m.exists === false);
  // Leaves only: an object where a value is expected matches nothing (exists works on leaves).
  const leaves: Scalar[] = Array.isArray(value) ? value.filter(isScalar) : isScalar(value) ? [value] : [];
  if (Array.isArray(value) && value.length === 0) return list.some((m) => isObject(m) && m.exists === false);
  return list.some(
    (m) => !(isObject(m) && m.exists === false) && leaves.some((leaf) => matchesLeaf(m, leaf)),
  );
}

function matchesObject(pattern: Obj, event: Obj): boolean {
  for (const key of Object.keys(pattern)) {
    const spec = pattern[key] as JsonValue;
    if (key === '$or') {
      if (!(spec as Obj[]).some((sub) => matchesObject(sub, event))) return false;
      continue;
    }
    const present = Object.prototype.hasOwnProperty.call(event, key);
    const value = present ? event[key] : undefined;
    if (Array.isArray(spec)) {
      if (!matchesList(spec, present, value)) return false;
    } else {
      // A nested pattern: the event's field is an object, or an array of which one element matches.
      const sub = spec as Obj;
      if (isObject(value)) {
        if (!matchesObject(sub, value)) return false;
      } else if (Array.isArray(value)) {
        if (!value.some((v) => isObject(v) && matchesObject(sub, v))) return false;
      } else if (!matchesObject(sub, {})) return false;
    }
  }
  return true;
}

/** Whether the event matches the pattern, as EventBridge decides it. The pattern must be valid. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return isObject(event) && matchesObject(pattern, event);
}
