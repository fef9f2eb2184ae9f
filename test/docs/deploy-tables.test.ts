import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_FUNCTIONS,
  RESUME_FUNCTION,
  STATE_MACHINE_FUNCTIONS,
  WEBEX_PRECHECK_FUNCTION,
} from '../../functions/registry';
import { EVENT_RULES } from '../../infra/event-rules';
import { settingsSchema } from '../../infra/settings';
import { defaultApp } from '../infra/synth-app.fixture';
import { codeBlocks, readDoc, tableWithHeader, ticked } from './markdown';

// docs/deploy.md's tables and counts, against the synthesized templates (the real app, as
// `cdk synth` builds it) and the tables the app is built from. A renamed parameter, a new
// output, a grant added to a function or a new rule fails here, not a reader.

const DEPLOY = 'docs/deploy.md';

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
}
interface TemplateJson {
  Parameters?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
  Resources: Record<string, Resource>;
}

let workflow: TemplateJson;
let stateful: TemplateJson;

beforeAll(() => {
  const app = defaultApp();
  workflow = app.workflowTemplate.toJSON() as TemplateJson;
  stateful = app.statefulTemplate.toJSON() as TemplateJson;
});

const ofType = (t: TemplateJson, type: string) =>
  Object.entries(t.Resources).filter(([, r]) => r.Type === type);

/** The function's logical id: its construct id and CDK's 8-character hash. */
function functionLogicalId(id: string): string {
  const found = ofType(workflow, 'AWS::Lambda::Function')
    .map(([logicalId]) => logicalId)
    .filter((logicalId) => new RegExp(`^${id}[0-9A-F]{8}$`).test(logicalId));
  if (found.length !== 1) throw new Error(`No single Lambda function ${id} in the workflow template`);
  return found[0] as string;
}

/** Every IAM action the function's role is allowed, from the policies attached to it. */
function actionsOf(id: string): string[] {
  const fn = workflow.Resources[functionLogicalId(id)];
  const role = ((fn?.Properties?.Role as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'] ?? [])[0];
  const actions = new Set<string>();
  for (const [, policy] of ofType(workflow, 'AWS::IAM::Policy')) {
    const props = policy.Properties as {
      Roles: { Ref?: string }[];
      PolicyDocument: { Statement: { Action: string | string[]; Effect: string }[] };
    };
    if (!props.Roles.some((r) => r.Ref === role)) continue;
    for (const statement of props.PolicyDocument.Statement)
      if (statement.Effect === 'Allow') for (const a of [statement.Action].flat()) actions.add(a);
  }
  return [...actions].sort();
}

const deploy = readDoc(DEPLOY);

describe('docs/deploy.md against the synthesized templates', () => {
  it('lists every parameter of the stacks, and no other', () => {
    const documented = tableWithHeader(DEPLOY, ['parameter', 'meaning']).rows.map(
      (r) => ticked(r[0] ?? '')[0],
    );
    const inTemplates = [workflow, stateful]
      .flatMap((t) => Object.keys(t.Parameters ?? {}))
      // CDK's own: the bootstrap version check.
      .filter((p) => p !== 'BootstrapVersion');
    expect(documented.sort()).toEqual(inTemplates.sort());
  });

  it('lists every output of both stacks, and no other', () => {
    const documented = tableWithHeader(DEPLOY, ['stack', 'output', 'use']).rows.flatMap((row) =>
      (row[0] ?? '')
        .split(',')
        .map((s) => s.trim())
        .flatMap((stack) => ticked(row[1] ?? '').map((output) => `${stack} ${output}`)),
    );
    const inTemplates = [
      ...Object.keys(workflow.Outputs ?? {}).map((o) => `Workflow ${o}`),
      ...Object.keys(stateful.Outputs ?? {})
        // CDK's cross-stack references (the workflow stack reads them), not ours to document.
        .filter((o) => !o.startsWith('PublishOutput'))
        .map((o) => `Stateful ${o}`),
    ];
    expect(documented.sort()).toEqual(inTemplates.sort());
  });

  it('lists every CDK context key with its default', () => {
    const rows = tableWithHeader(DEPLOY, ['key', 'default', 'meaning']).rows;
    const defaults = settingsSchema.parse({});
    const documented = Object.fromEntries(rows.map((r) => [ticked(r[0] ?? '')[0], ticked(r[1] ?? '')[0]]));
    // The two email keys only pre-fill the parameters; the text under the parameters names them.
    const { senderEmail, opsEmail, ...withDefaults } = defaults;
    expect(senderEmail ?? opsEmail).toBeUndefined();
    expect(deploy).toContain('-c senderEmail=… -c opsEmail=…');
    expect(documented).toEqual(
      Object.fromEntries(Object.entries(withDefaults).map(([k, v]) => [k, String(v)])),
    );
  });

  it('counts the functions, the state machine functions and the alarms as the template has them', () => {
    const lambdas = ofType(workflow, 'AWS::Lambda::Function').length;
    expect(lambdas).toBe(ALL_FUNCTIONS.length);
    expect(deploy).toContain(`| ${lambdas} Lambda functions`);
    expect(deploy).toMatch(new RegExp(`bundles the ${lambdas} functions`));
    expect(deploy).toContain(`may invoke its own ${STATE_MACHINE_FUNCTIONS.length} functions only`);
    expect(deploy).toContain(`${ofType(workflow, 'AWS::CloudWatch::Alarm').length} alarms`);
    const rulesOnBus = EVENT_RULES.filter((r) => r.bus === 'workflow').length;
    expect(['one', 'two', 'three', 'four', 'five'][rulesOnBus - 1]).toBeDefined();
    expect(deploy).toContain(
      `its archive and ${['one', 'two', 'three', 'four', 'five'][rulesOnBus - 1]} rules`,
    );
  });

  it('has one row per function, with who invokes it and exactly what its role may do', () => {
    const rows = tableWithHeader(DEPLOY, ['function', 'invoked by', 'may also'], 'permissions').rows;
    const common = rows.find((r) => r[0] === 'every function');
    expect(common, 'an "every function" row').toBeDefined();
    const base = ticked(common?.[2] ?? '');
    const byFunction = rows.filter((r) => r !== common);
    expect(byFunction.map((r) => ticked(r[0] ?? '')[0]).sort()).toEqual(
      ALL_FUNCTIONS.map((f) => f.id).sort(),
    );
    for (const [name = '', invokedBy = '', may = ''] of byFunction) {
      const id = ticked(name)[0] ?? '';
      const rule = EVENT_RULES.find((r) => r.target.kind === 'function' && r.target.functionId === id);
      const expected = STATE_MACHINE_FUNCTIONS.some((f) => f.id === id)
        ? 'state machine'
        : rule
          ? `rule \`${rule.id}\``
          : id === RESUME_FUNCTION.id
            ? 'HTTP API'
            : id === WEBEX_PRECHECK_FUNCTION.id
              ? `\`${RESUME_FUNCTION.id}\``
              : '(nothing)';
      expect(invokedBy, `who invokes ${id}`).toBe(expected);
      const documented = [
        ...new Set([...base, ...ticked(may).filter((a) => /^[a-z0-9]+:[A-Za-z]+$/.test(a))]),
      ];
      expect(documented.sort(), `the permissions of ${id}`).toEqual(actionsOf(id));
    }
  });

  it("names in the runbook's alarm table exactly the template's alarms", () => {
    const documented = tableWithHeader('docs/runbook.md', ['alarm', 'fires when', 'what to do']).rows.map(
      (r) => ticked(r[0] ?? '')[0] ?? '',
    );
    // Logical ids are the construct path and CDK's hash: ObservabilityExecutionsFailedAlarm7ABDA8B0.
    const alarms = ofType(workflow, 'AWS::CloudWatch::Alarm').map(([logicalId]) =>
      logicalId.replace(/^Observability/, '').replace(/[0-9A-F]{8}$/, ''),
    );
    expect(documented.sort()).toEqual(alarms.sort());
  });

  it('every output a snippet reads (runbook, deploy guide) is an output of the stack it asks', () => {
    const outputs = {
      'SubscriptionProvisioning-Workflow': Object.keys(workflow.Outputs ?? {}),
      'SubscriptionProvisioning-Stateful': Object.keys(stateful.Outputs ?? {}),
    };
    const read = ['docs/runbook.md', 'docs/deploy.md'].flatMap((file) =>
      codeBlocks(file).flatMap((b) => [
        // out StateMachineArn (the runbook's helper, on STACK)
        ...[...b.body.matchAll(/\bout (\w+)/g)].map((m) => {
          const stack = /STACK=(\S+)/.exec(b.body)?.[1] ?? /STACK=(\S+)/.exec(readDoc(file))?.[1] ?? '';
          return { file, stack, output: m[1] ?? '' };
        }),
        // describe-stacks --stack-name X --query "…OutputKey=='Y'…"
        ...[...b.body.matchAll(/--stack-name (\S+) \\?\s*--query "[^"]*OutputKey=='(\w+)'/g)].map((m) => ({
          file,
          stack: m[1] ?? '',
          output: m[2] ?? '',
        })),
      ]),
    );
    expect(read.length).toBeGreaterThan(5);
    const unknown = read.filter(
      ({ stack, output }) => !(outputs[stack as keyof typeof outputs] ?? []).includes(output),
    );
    expect(unknown).toEqual([]);
  });

  it('lists every rule with its bus and target', () => {
    const rows = tableWithHeader(DEPLOY, ['rule', 'bus', 'target'], 'rules').rows;
    const documented = rows.map(([rule = '', bus = '', target = '']) => ({
      id: ticked(rule)[0],
      bus: bus === 'the default bus' ? 'default' : bus === "the workflow's bus" ? 'workflow' : bus,
      target: ticked(target)[0],
    }));
    const expected = EVENT_RULES.map((r) => ({
      id: r.id,
      bus: r.bus,
      target: r.target.kind === 'function' ? r.target.functionId : 'DomainEventsLogGroup',
    }));
    const byId = (a: { id?: string }, b: { id?: string }) => (a.id ?? '').localeCompare(b.id ?? '');
    expect(documented.sort(byId)).toEqual(expected.sort(byId));
    // And the template deploys each of them.
    const ruleIds = ofType(workflow, 'AWS::Events::Rule').map(([logicalId]) => logicalId);
    for (const rule of EVENT_RULES)
      expect(
        ruleIds.some((l) => l.includes(rule.id)),
        rule.id,
      ).toBe(true);
    expect(ruleIds).toHaveLength(EVENT_RULES.length);
  });
});
