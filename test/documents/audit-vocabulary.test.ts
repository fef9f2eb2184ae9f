import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { auditActionText, auditDetailParts } from '../../functions/shared/documents/audit-text';
import { SITE_DETAIL } from '../../functions/shared/domain/audit-details';
import { isServiceStep, STEP_IDS } from '../../functions/shared/domain/steps.schema';
import { pdfEn } from '../../functions/shared/i18n/pdf.en';
import { pdfRo } from '../../functions/shared/i18n/pdf.ro';

// The audit vocabulary, read from the code: every action and every detail key that any step, page
// or ops action writes with addAudit(...). Each must have its words in both languages, so a new
// audit entry cannot ship in English only (the Romanian summary once said "Partner organization
// provisioned in Webex" and "webexOrgId:").
//
// The code is read with TypeScript's parser, not run: an action written as a template is expanded
// where its parts are known (a conditional's two branches, a step id), and a details argument is
// followed to where its keys are written (audit-details.ts, the callers of recordProvisioned).
// A form this reader does not know fails the test, naming the place, so it is taught, not skipped.

const ROOT = join(__dirname, '..', '..');
const SOURCE_DIRS = ['functions', 'infra'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'cdk.out') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

function parse(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
}

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

const where = (node: ts.Node) => {
  const file = node.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(node.getStart());
  return `${relative(ROOT, file.fileName)}:${line + 1}`;
};

const calleeName = (call: ts.CallExpression) =>
  ts.isIdentifier(call.expression)
    ? call.expression.text
    : ts.isPropertyAccessExpression(call.expression)
      ? call.expression.name.text
      : undefined;

/** The steps an action on `${stepId}` is written for: "Set up later" exists on service steps only. */
function stepIdsFor(suffix: string): string[] {
  return suffix === ' deferred' ? STEP_IDS.filter((id) => isServiceStep(id)) : [...STEP_IDS];
}

/**
 * The strings an action expression can be. A template's substitution expands over a
 * conditional's branches and over the step ids (`${stepId} submitted`); any other substitution
 * stays open (null), to be matched against the catalog.
 */
function actionValues(expr: ts.Expression): (string | null)[] {
  if (ts.isParenthesizedExpression(expr)) return actionValues(expr.expression);
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [expr.text];
  if (ts.isConditionalExpression(expr))
    return [...actionValues(expr.whenTrue), ...actionValues(expr.whenFalse)];
  if (ts.isTemplateExpression(expr)) {
    let results: (string | null)[] = [expr.head.text];
    for (const span of expr.templateSpans) {
      const inner: (string | null)[] =
        ts.isIdentifier(span.expression) && span.expression.text === 'stepId'
          ? stepIdsFor(span.literal.text)
          : actionValues(span.expression);
      results = results.flatMap((r) =>
        inner.map((i) => (r === null || i === null ? null : `${r}${i}${span.literal.text}`)),
      );
      // An open part keeps its literal text around it as a pattern.
      if (results.includes(null)) return [null];
    }
    return results;
  }
  // A lookup in a constant table of the same file (`ACTIONS[by]`): every value it holds.
  if (ts.isElementAccessExpression(expr) && ts.isIdentifier(expr.expression)) {
    const table = constObjectLiteral(expr.getSourceFile(), expr.expression.text);
    if (table)
      return table.properties.flatMap((p) =>
        ts.isPropertyAssignment(p) ? actionValues(p.initializer) : [null],
      );
  }
  return [null];
}

/** The object literal a top-level `const NAME = { … }` (or `{ … } as const`) holds, if any. */
function constObjectLiteral(file: ts.SourceFile, name: string): ts.ObjectLiteralExpression | undefined {
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || d.name.text !== name || !d.initializer) continue;
      let init: ts.Expression = d.initializer;
      while (ts.isAsExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
      if (ts.isObjectLiteralExpression(init)) return init;
    }
  }
  return undefined;
}

/** For an open action (a part not known statically): its template as a pattern. */
function actionPattern(expr: ts.Expression): RegExp {
  const text = expr.getText().replace(/^`|`$/g, '');
  const escaped = text
    .split(/\$\{[^}]*\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.+');
  return new RegExp(`^${escaped}$`);
}

/** The keys an object literal can have (spreads of conditional object literals included). */
function objectKeys(expr: ts.Expression, problems: string[]): string[] {
  if (ts.isParenthesizedExpression(expr)) return objectKeys(expr.expression, problems);
  if (ts.isConditionalExpression(expr)) {
    return [...objectKeys(expr.whenTrue, problems), ...objectKeys(expr.whenFalse, problems)];
  }
  if (!ts.isObjectLiteralExpression(expr)) {
    problems.push(
      `${where(expr)}: details written as ${expr.getText()} (teach this test where its keys come from)`,
    );
    return [];
  }
  return expr.properties.flatMap((p) => {
    if (ts.isSpreadAssignment(p)) return objectKeys(p.expression, problems);
    if (ts.isComputedPropertyName(p.name!)) {
      const key = p.name.expression;
      // `site${n}TimeZone`-style keys: checked through SITE_DETAIL below.
      if (ts.isTemplateExpression(key) && key.head.text === 'site')
        return ['site1' + (key.templateSpans.at(-1)?.literal.text ?? '')];
      problems.push(`${where(p)}: a computed detail key ${p.name.getText()}`);
      return [];
    }
    return [(p.name as ts.Identifier | ts.StringLiteral).text];
  });
}

interface Vocabulary {
  actions: Set<string>;
  /** Actions with a part only known at run time, as patterns, with where they are written. */
  openActions: { pattern: RegExp; at: string }[];
  detailKeys: Set<string>;
  problems: string[];
}

function readVocabulary(): Vocabulary {
  const files = SOURCE_DIRS.flatMap((d) => sourceFiles(join(ROOT, d))).map(parse);
  const vocab: Vocabulary = { actions: new Set(), openActions: [], detailKeys: new Set(), problems: [] };
  const addKeys = (keys: string[]) => keys.forEach((k) => vocab.detailKeys.add(k));

  // Details built by the wizard's pages: every object literal the audit-details helpers return.
  const helpers = files.find((f) => f.fileName.endsWith(join('domain', 'audit-details.ts')));
  if (!helpers) throw new Error('functions/shared/domain/audit-details.ts is missing');
  const helperNames = new Set<string>();
  walk(helpers, (n) => {
    if (ts.isFunctionDeclaration(n) && n.name && n.getText().includes('Details'))
      helperNames.add(n.name.text);
    // `return out` (meetingsDetails) returns the object whose keys are written one by one below.
    if (ts.isReturnStatement(n) && n.expression && !ts.isIdentifier(n.expression)) {
      addKeys(objectKeys(n.expression, vocab.problems));
    }
    if (ts.isVariableDeclaration(n) && n.initializer && ts.isObjectLiteralExpression(n.initializer)) {
      addKeys(objectKeys(n.initializer, vocab.problems));
    }
  });
  walk(helpers, (n) => {
    // meetingsDetails writes its keys as out[`site${i + 1}...`] = ...
    if (ts.isElementAccessExpression(n) && ts.isTemplateExpression(n.argumentExpression)) {
      const key = n.argumentExpression;
      if (key.head.text === 'site')
        vocab.detailKeys.add(`site1${key.templateSpans.at(-1)?.literal.text ?? ''}`);
    }
  });

  let audits = 0;
  for (const file of files) {
    walk(file, (n) => {
      if (!ts.isCallExpression(n)) return;
      const name = calleeName(n);
      // Provisioning records its facts through recordProvisioned(..., details).
      if (name === 'recordProvisioned' && n.arguments[4]) addKeys(objectKeys(n.arguments[4], vocab.problems));
      if ((name !== 'addAudit' && name !== 'addAuditOnOrder') || n.arguments.length < 2) return;
      const entry = n.arguments[1]!;
      if (!ts.isObjectLiteralExpression(entry)) {
        if (!file.fileName.endsWith('order-repository.ts')) {
          vocab.problems.push(`${where(entry)}: an audit entry that is not an object literal`);
        }
        return;
      }
      readEntry(entry);
    });
    // An entry that rides on a write of the order (`{ entry: { actor, action, … }, dedupeKey }`,
    // order-repository.ts `auditOnOrder`): createOrder, updateOrder, setProvisioned, claimStep.
    walk(file, (n) => {
      if (!ts.isPropertyAssignment(n) || !ts.isIdentifier(n.name) || n.name.text !== 'entry') return;
      if (!ts.isObjectLiteralExpression(n.initializer)) return;
      const names = n.initializer.properties.map((p) =>
        p.name && ts.isIdentifier(p.name) ? p.name.text : '',
      );
      if (names.includes('actor') && names.includes('action')) readEntry(n.initializer);
    });
    function readEntry(entry: ts.ObjectLiteralExpression): void {
      audits++;
      for (const prop of entry.properties) {
        if (!ts.isPropertyAssignment(prop) || !ts.isIdentifier(prop.name)) continue;
        if (prop.name.text === 'action') {
          for (const value of actionValues(prop.initializer)) {
            if (value === null)
              vocab.openActions.push({ pattern: actionPattern(prop.initializer), at: where(prop) });
            else vocab.actions.add(value);
          }
        }
        if (prop.name.text === 'details') {
          const d = prop.initializer;
          const text = d.getText();
          // Where the non-literal forms come from: the pages' results are built by the
          // audit-details helpers; provisioning's `details` by the callers of recordProvisioned.
          if (ts.isCallExpression(d) && helperNames.has(calleeName(d) ?? '')) continue;
          if (ts.isConditionalExpression(d) && /^\w+ \? \w+Details\(\w+\) : \{\}$/.test(text)) continue;
          if (text === 'result.details' && file.fileName.endsWith(join('resume', 'actions.ts'))) continue;
          if (text === 'details' && file.fileName.endsWith(join('shared', 'provisioning.ts'))) continue;
          addKeys(objectKeys(d, vocab.problems));
        }
      }
    }
  }
  if (audits < 15) vocab.problems.push(`only ${audits} audit entries found: the reader lost its way`);
  return vocab;
}

const vocab = readVocabulary();
const catalogs = { en: pdfEn as Record<string, string>, ro: pdfRo as Record<string, string> };
/** Words that are the same in both languages. */
const SAME_IN_BOTH = new Set(['contact', 'Webex Meetings', 'Webex Calling']);

describe('the audit vocabulary, read from the code', () => {
  it('finds every form of audit entry it reads (nothing written in a way it cannot follow)', () => {
    expect(vocab.problems).toEqual([]);
    // The reader sees the entries that were once left English in the Romanian summary.
    expect([...vocab.actions]).toEqual(
      expect.arrayContaining([
        'Partner organization provisioned in Webex',
        'Customer organization provisioned in Webex',
        'Meetings sites submitted to Webex',
        'service-calling deferred',
        'Order received',
      ]),
    );
    expect([...vocab.detailKeys]).toEqual(
      expect.arrayContaining(['webexOrgId', 'webexLocationId', 'choice']),
    );
  });

  it.each(['en', 'ro'] as const)('every action written has its words in %s', (language) => {
    const missing = [...vocab.actions].filter((a) => !catalogs[language][`action.${a}`]);
    expect(missing).toEqual([]);
    for (const open of vocab.openActions) {
      const known = Object.keys(catalogs[language])
        .filter((k) => k.startsWith('action.'))
        .map((k) => k.slice('action.'.length));
      expect(
        known.filter((a) => open.pattern.test(a)),
        `${open.at}: ${open.pattern}`,
      ).not.toEqual([]);
    }
  });

  it.each(['en', 'ro'] as const)('every detail key written has its label in %s', (language) => {
    const missing = [...vocab.detailKeys].filter((key) => {
      if (SITE_DETAIL.test(key)) return !catalogs[language]['detail.site'];
      return !catalogs[language][`detail.${key}`];
    });
    expect(missing).toEqual([]);
  });

  it('the Romanian words are Romanian: none is the English text left as it was', () => {
    const keys = [
      ...[...vocab.actions].map((a) => `action.${a}`),
      ...[...vocab.detailKeys].filter((k) => !SITE_DETAIL.test(k)).map((k) => `detail.${k}`),
    ];
    const untranslated = keys.filter(
      (k) => catalogs.ro[k] === catalogs.en[k] && !SAME_IN_BOTH.has(catalogs.en[k]!),
    );
    expect(untranslated).toEqual([]);
  });

  it('every step an entry can name (the state machine’s tasks and its Map) has its words in both languages', () => {
    // A reminder names its waiting step, a failure or a redrive the failed one: states of the ASL.
    const asl = JSON.parse(readFileSync(join(ROOT, 'statemachines', 'provisioning.asl.json'), 'utf8')) as {
      States: Record<string, { Type: string; ItemProcessor?: { States: Record<string, { Type: string }> } }>;
    };
    const steps = Object.entries(asl.States).flatMap(([name, state]) => [
      ...(['Task', 'Map'].includes(state.Type) ? [name] : []),
      ...Object.entries(state.ItemProcessor?.States ?? {})
        .filter(([, inner]) => inner.Type === 'Task')
        .map(([inner]) => inner),
    ]);
    expect(steps.length).toBeGreaterThan(20);
    expect(steps.filter((name) => !catalogs.en[`step.${name}`] || !catalogs.ro[`step.${name}`])).toEqual([]);
    expect(steps.filter((name) => catalogs.ro[`step.${name}`] === name)).toEqual([]);
    expect(auditDetailParts({ step: 'Who is this order for' }, 'ro')).toEqual([
      'pas: Pentru cine este comanda',
    ]);
    // The intake's services by their names, not their codes.
    expect(auditDetailParts({ services: 'meetings × 10, calling × 5' }, 'ro')).toEqual([
      'servicii: Webex Meetings × 10, Webex Calling × 5',
    ]);
  });

  it('an entry with every action and detail key reads without a code or an English word in Romanian', () => {
    const details = Object.fromEntries([...vocab.detailKeys].map((k) => [k, 'x'])) as Record<string, string>;
    const parts = auditDetailParts(details, 'ro').join(' · ');
    for (const key of vocab.detailKeys) {
      if (SITE_DETAIL.test(key) || ['street', 'city', 'postalCode', 'state', 'country'].includes(key))
        continue;
      if (SAME_IN_BOTH.has(catalogs.en[`detail.${key}`] ?? '')) continue;
      expect(parts).not.toMatch(new RegExp(`(^|· )${key}:`));
    }
    for (const action of vocab.actions) {
      const ro = auditActionText(action, 'ro');
      expect(ro, action).not.toBe(action === 'Order received' ? 'Order received' : action);
    }
  });
});
