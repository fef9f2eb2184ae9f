// `npx tsx scripts/cfn-lint.ts [templates…]` (CI: .ci/run, after `cdk synth`): runs cfn-lint on
// the synthesized templates (default: cdk.out/*.template.json) and fails on any finding but the
// few below, each allowed by rule, template and resource, with the reason beside it. A new
// finding, or a known one on another resource, fails.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CfnLintFinding {
  Rule: { Id: string };
  Level: string;
  Message: string;
  Filename: string;
  Location: { Path: (string | number)[] };
}

export interface Allowance {
  rule: string;
  /** The template's file name ends with this (the stack, whatever its prefix). */
  template: string;
  /** The finding's path in the template, joined with '/'. */
  path: RegExp;
  message?: RegExp;
  reason: string;
}

export const ALLOWED: readonly Allowance[] = [
  {
    rule: 'E6101',
    template: '-Workflow.template.json',
    path: /^Outputs\/(TableName|BucketName)\/Value$/,
    message: /Fn::GetStackOutput/,
    reason:
      'The workflow stack re-exports the stateful stack’s TableName and BucketName with Fn::GetStackOutput, ' +
      'which CDK 2.27x emits and CloudFormation accepts; cfn-lint 1.51 does not know that function yet.',
  },
  {
    rule: 'E3002',
    template: '-Workflow.template.json',
    path: /^Resources\/ObservabilityDashboard[0-9A-F]{8}\/Properties\/Tags$/,
    reason:
      'AWS::CloudWatch::Dashboard takes Tags (CDK gives it the app’s tags, `project`, from infra/create-app.ts); cfn-lint 1.51’s resource ' +
      'schema for dashboards predates that property.',
  },
  {
    rule: 'W3005',
    template: '-Workflow.template.json',
    path: /^Resources\/[A-Za-z0-9]+\/DependsOn\/\d+$/,
    message:
      /^'[A-Za-z0-9]+Role[0-9A-F]{8}' dependency already enforced by a 'GetAtt' at 'Resources\/[A-Za-z0-9]+\/Properties\/Role(Arn)?'$/,
    reason:
      'CDK itself writes each function’s and the state machine’s DependsOn on its role (and its policy), ' +
      'next to the GetAtt of the role’s ARN: a redundant but harmless dependency in CDK’s output.',
  },
];

export interface Verdict {
  allowed: { finding: CfnLintFinding; allowance: Allowance }[];
  refused: CfnLintFinding[];
  /** Allowances no finding matched: the rule caught up, or the resource moved. */
  unused: Allowance[];
}

export function findingPath(finding: CfnLintFinding): string {
  return finding.Location.Path.join('/');
}

export function judge(
  findings: readonly CfnLintFinding[],
  allowances: readonly Allowance[] = ALLOWED,
): Verdict {
  const verdict: Verdict = { allowed: [], refused: [], unused: [] };
  const used = new Set<Allowance>();
  for (const finding of findings) {
    const allowance = allowances.find(
      (a) =>
        a.rule === finding.Rule.Id &&
        finding.Filename.endsWith(a.template) &&
        a.path.test(findingPath(finding)) &&
        (a.message === undefined || a.message.test(finding.Message)),
    );
    if (allowance) {
      used.add(allowance);
      verdict.allowed.push({ finding, allowance });
    } else verdict.refused.push(finding);
  }
  verdict.unused = allowances.filter((a) => !used.has(a));
  return verdict;
}

/** Runs cfn-lint on the templates; its findings, or why it could not run. */
export function runCfnLint(templates: readonly string[]): CfnLintFinding[] | { error: string } {
  const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...templates], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error)
    return {
      error:
        `cfn-lint cannot run (${run.error.message}). Install it: this machine image has it in its Python ` +
        '(cfn-lint 1.51); Debian 12 has no package for it, and CI reaches only Debian and npm.',
    };
  try {
    return JSON.parse(run.stdout || '[]') as CfnLintFinding[];
  } catch {
    return {
      error: `cfn-lint answered something else than JSON (exit ${run.status}): ${run.stderr || run.stdout}`,
    };
  }
}

function main(argv: string[]): number {
  const templates =
    argv.length > 0
      ? argv
      : readdirSync('cdk.out')
          .filter((f) => f.endsWith('.template.json'))
          .map((f) => join('cdk.out', f));
  if (templates.length === 0) {
    console.error('No templates to lint: run `npx cdk synth` first (or name the templates).');
    return 2;
  }
  const findings = runCfnLint(templates);
  if ('error' in findings) {
    console.error(findings.error);
    return 3;
  }
  const verdict = judge(findings);
  for (const { finding, allowance } of verdict.allowed)
    console.log(`allowed ${finding.Rule.Id} ${findingPath(finding)}: ${allowance.reason}`);
  for (const allowance of verdict.unused)
    console.log(
      `note: the allowance for ${allowance.rule} ${allowance.path.source} matched nothing; remove it.`,
    );
  for (const finding of verdict.refused)
    console.error(
      `${finding.Level} ${finding.Rule.Id} ${finding.Filename} ${findingPath(finding)}: ${finding.Message}`,
    );
  console.log(
    `cfn-lint: ${templates.length} templates, ${verdict.allowed.length} allowed findings, ${verdict.refused.length} new`,
  );
  return verdict.refused.length > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.exit(main(process.argv.slice(2)));
}
