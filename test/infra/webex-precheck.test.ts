import { describe, expect, it } from 'vitest';
import { defaultApp } from './synth-app.fixture';

// Issue 20: the internet-facing function (Resume) holds no Webex credential. The precheck before
// Close runs in WebexPrecheck, which Resume may only invoke.

interface Statement {
  Action: string | string[];
  Resource: unknown;
}
type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

const { workflowTemplate: template, workflow } = defaultApp();
const resources = template.toJSON().Resources as Resources;

function logicalId(construct: { node: { defaultChild?: unknown } }): string {
  const child = construct.node.defaultChild as { logicalId: string };
  return workflow.resolve(child.logicalId) as string;
}

function roleStatements(functionId: string): Statement[] {
  const fn = workflow.functions[functionId];
  if (!fn) throw new Error(`no function ${functionId}`);
  const roleId = logicalId(fn.executionRole);
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

function environmentOf(functionId: string): Record<string, unknown> {
  const fn = workflow.functions[functionId];
  if (!fn) throw new Error(`no function ${functionId}`);
  const props = resources[logicalId(fn)]?.Properties as {
    Environment?: { Variables?: Record<string, unknown> };
  };
  return props.Environment?.Variables ?? {};
}

describe('the Webex precheck runs outside the public function', () => {
  it('Resume cannot read the Webex secret and has no Webex configuration', () => {
    const webexSecretArn = JSON.stringify(environmentOf('WebexPrecheck').WEBEX_SECRET_ARN);
    expect(webexSecretArn).toBeDefined();
    const reads = roleStatements('Resume').filter((s) =>
      actions(s).some((a) => a.startsWith('secretsmanager:')),
    );
    for (const s of reads) expect(JSON.stringify(s.Resource)).not.toContain(webexSecretArn);
    expect(Object.keys(environmentOf('Resume'))).not.toEqual(expect.arrayContaining(['WEBEX_SECRET_ARN']));
    expect(environmentOf('Resume')).not.toHaveProperty('WEBEX_API_URL');
  });

  it('WebexPrecheck reads the Webex secret; Resume may invoke WebexPrecheck and nothing else', () => {
    const webexSecretArn = JSON.stringify(environmentOf('WebexPrecheck').WEBEX_SECRET_ARN);
    const reads = roleStatements('WebexPrecheck').filter((s) =>
      actions(s).includes('secretsmanager:GetSecretValue'),
    );
    expect(reads.map((s) => JSON.stringify(s.Resource)).join()).toContain(webexSecretArn);
    const invokes = roleStatements('Resume').filter((s) => actions(s).some((a) => a.startsWith('lambda:')));
    expect(invokes).toHaveLength(1);
    expect(JSON.stringify(invokes[0]?.Resource)).toContain(logicalId(workflow.functions.WebexPrecheck!));
    expect(environmentOf('Resume').WEBEX_PRECHECK_FUNCTION).toEqual({
      Ref: logicalId(workflow.functions.WebexPrecheck!),
    });
  });
});
