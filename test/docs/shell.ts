// A small reading of a shell snippet: which variables it expands and which it assigns. Enough
// for the docs' snippets (no heredocs); quotes are honoured: '$x' is not an expansion.

/** Bash's own variables: assigning them does nothing useful (GROUPS=… is silently ignored). */
export const BASH_SPECIAL = new Set([
  'GROUPS',
  'UID',
  'EUID',
  'PPID',
  'RANDOM',
  'SECONDS',
  'LINENO',
  'BASHPID',
  'BASH_VERSION',
  'HISTCMD',
  'FUNCNAME',
  'PIPESTATUS',
  'SHELLOPTS',
  'BASHOPTS',
  'IFS',
]);

export interface ShellVariables {
  used: Set<string>;
  assigned: Set<string>;
}

export function shellVariables(script: string): ShellVariables {
  const used = new Set<string>();
  let unquoted = '';
  let quote: "'" | '"' | undefined;
  // `$( … )` starts its own quoting, even inside double quotes: the quote state to go back to,
  // and the parentheses open inside it.
  const substitutions: { quote: typeof quote; depth: number }[] = [];
  for (let i = 0; i < script.length; i++) {
    const c = script[i] ?? '';
    if (quote !== "'" && c === '$' && script[i + 1] === '(') {
      substitutions.push({ quote, depth: 0 });
      quote = undefined;
      i += 1;
      unquoted += ' ';
      continue;
    }
    const inner = substitutions.at(-1);
    if (inner && !quote && c === '(') inner.depth += 1;
    if (inner && !quote && c === ')') {
      if (inner.depth === 0) {
        quote = substitutions.pop()?.quote;
        unquoted += ' ';
        continue;
      }
      inner.depth -= 1;
    }
    if (quote === "'") {
      if (c === "'") quote = undefined;
      continue;
    }
    if (c === '\\') {
      i += 1;
      if (!quote) unquoted += ' ';
      continue;
    }
    if (!quote && c === '#' && (i === 0 || /\s/.test(script[i - 1] ?? ''))) {
      // A comment, to the end of the line.
      while (i < script.length && script[i] !== '\n') i++;
      unquoted += '\n';
      continue;
    }
    if (c === "'" && !quote) {
      quote = "'";
      unquoted += ' ';
      continue;
    }
    if (c === '"') {
      quote = quote === '"' ? undefined : '"';
      unquoted += ' ';
      continue;
    }
    if (c === '$') {
      const name = /^\{?([A-Za-z_]\w*)/.exec(script.slice(i + 1))?.[1];
      if (name) used.add(name);
    }
    if (!quote) unquoted += c;
  }
  const assigned = new Set<string>();
  for (const m of unquoted.matchAll(/(?:^|[\s;&|(])(?:export\s+|local\s+)?([A-Za-z_]\w*)=/g))
    if (m[1]) assigned.add(m[1]);
  for (const m of unquoted.matchAll(/\bexport\s+((?:[A-Za-z_]\w*=?\S*\s*)+)/g))
    for (const name of (m[1] ?? '').matchAll(/(?:^|\s)([A-Za-z_]\w*)=/g)) if (name[1]) assigned.add(name[1]);
  for (const m of unquoted.matchAll(/\b(?:for|read)\s+([A-Za-z_]\w*)/g)) if (m[1]) assigned.add(m[1]);
  return { used, assigned };
}
