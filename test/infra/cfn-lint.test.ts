import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judge, runCfnLint, type CfnLintFinding } from '../../scripts/cfn-lint';
import { defaultApp } from './synth-app.fixture';

// cfn-lint on both synthesized templates: only the findings scripts/cfn-lint.ts allows, each by
// rule, template and resource, pass; anything else fails (CI runs the same script in .ci/run).

function finding(rule: string, path: (string | number)[], message = 'x', file = 'P-Workflow.template.json') {
  return { Rule: { Id: rule }, Level: 'Error', Message: message, Filename: file, Location: { Path: path } };
}

describe('the cfn-lint allowances', () => {
  it('allow the known findings on their own resources only', () => {
    const known = [
      finding('E6101', ['Outputs', 'TableName', 'Value'], "{'Fn::GetStackOutput': {…}}"),
      finding('E3002', ['Resources', 'ObservabilityDashboard9A1D08B3', 'Properties', 'Tags']),
      finding(
        'W3005',
        ['Resources', 'Intake0A1B2C3D', 'DependsOn', 1],
        "'IntakeRole8913C69A' dependency already enforced by a 'GetAtt' at 'Resources/Intake0A1B2C3D/Properties/Role'",
      ),
    ];
    expect(judge(known).refused).toEqual([]);

    const elsewhere: CfnLintFinding[] = [
      finding('E6101', ['Outputs', 'StateMachineArn', 'Value'], "{'Fn::GetStackOutput': {…}}"),
      finding('E6101', ['Outputs', 'TableName', 'Value'], 'another problem'),
      finding('E3002', ['Resources', 'DataTableFDBAD0F2', 'Properties', 'Tags']),
      finding(
        'E3002',
        ['Resources', 'ObservabilityDashboard9A1D08B3', 'Properties', 'Tags'],
        'x',
        'P-Stateful.template.json',
      ),
      finding(
        'W3005',
        ['Resources', 'Intake0A1B2C3D', 'DependsOn', 0],
        "'SomeQueue' dependency already enforced by a 'Ref'",
      ),
      finding('E3012', ['Resources', 'Intake0A1B2C3D', 'Properties', 'Timeout']),
    ];
    expect(judge(elsewhere).refused).toEqual(elsewhere);
  });
});

const hasCfnLint = !spawnSync('cfn-lint', ['--version']).error;

describe.skipIf(!hasCfnLint)('cfn-lint on the synthesized templates', () => {
  const templates = () =>
    readdirSync(defaultApp().outdir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => join(defaultApp().outdir, f));

  it('finds nothing new in either template', () => {
    expect(templates()).toHaveLength(2);
    const findings = runCfnLint(templates());
    if ('error' in findings) throw new Error(findings.error);
    const verdict = judge(findings);
    expect(verdict.refused).toEqual([]);
    expect(verdict.allowed.map((a) => a.finding.Rule.Id)).toEqual(expect.arrayContaining(['E6101', 'E3002']));
  });

  it('fails a template with a new error', () => {
    const workflow = templates().find((f) => f.endsWith('-Workflow.template.json'))!;
    const template = JSON.parse(readFileSync(workflow, 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const queue = Object.values(template.Resources).find((r) => r.Type === 'AWS::SQS::Queue')!;
    queue.Properties.MessageRetentionPeriod = 'two weeks';
    const broken = join(mkdtempSync(join(tmpdir(), 'cfn-lint-')), 'Broken-Workflow.template.json');
    writeFileSync(broken, JSON.stringify(template));
    const findings = runCfnLint([broken]);
    if ('error' in findings) throw new Error(findings.error);
    expect(judge(findings).refused.map((f) => f.Location.Path.join('/'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/Properties\/MessageRetentionPeriod$/)]),
    );
  });
});
