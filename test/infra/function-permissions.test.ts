import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ALL_FUNCTIONS } from '../../functions/registry';
import { PROJECT_ROOT } from '../../infra/create-app';
import { lambdaBuildOptions } from '../../infra/bundling';
import { CAPABILITIES } from '../../infra/workflow.stack';
import { defaultApp } from './synth-app.fixture';

// The permissions table in infra/workflow.stack.ts, checked against the code: a function gets a
// capability exactly when its bundle contains the client that uses it. A new SES call in a
// function without `email`, or a grant nobody needs, fails here instead of in production.
const MARKERS = {
  bucket: 'functions/shared/clients/s3.ts',
  email: 'functions/shared/clients/ses.ts',
  signing: 'functions/resume/security.ts',
  webex: 'functions/shared/webex/webex-client.ts',
  stepFunctions: 'functions/shared/clients/sfn.ts',
  events: 'functions/shared/clients/eventbridge.ts',
} as const;

interface Bundle {
  inputs: string[];
  /** The bundle's code, tree-shaken, unminified: esbuild heads each module's part with `// <path>`. */
  text: string;
}

async function bundle(entry: string): Promise<Bundle> {
  const result = await build({
    ...lambdaBuildOptions(),
    entryPoints: [join(PROJECT_ROOT, entry)],
    absWorkingDir: PROJECT_ROOT,
    write: false,
    metafile: true,
    minify: false,
    sourcemap: false,
    logLevel: 'silent',
  });
  return {
    inputs: Object.keys(result.metafile.inputs),
    text: result.outputFiles.map((f) => f.text).join('\n'),
  };
}

/** The arguments of the call whose `(` is at `open`: up to its matching `)`. */
function callArguments(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

// DynamoDB commands (document client and plain client names) → the IAM action each needs.
const DYNAMODB_COMMANDS: Record<string, string> = {
  Get: 'GetItem',
  GetItem: 'GetItem',
  BatchGet: 'BatchGetItem',
  BatchGetItem: 'BatchGetItem',
  Put: 'PutItem',
  PutItem: 'PutItem',
  Update: 'UpdateItem',
  UpdateItem: 'UpdateItem',
  Delete: 'DeleteItem',
  DeleteItem: 'DeleteItem',
  BatchWrite: 'BatchWriteItem',
  BatchWriteItem: 'BatchWriteItem',
  Query: 'Query',
  Scan: 'Scan',
  TransactWrite: 'TransactWriteItems',
  TransactWriteItems: 'TransactWriteItems',
  TransactGet: 'TransactGetItems',
  TransactGetItems: 'TransactGetItems',
  ExecuteStatement: 'ExecuteStatement',
};

/**
 * The DynamoDB actions the project's own code in a bundle calls: every command it constructs,
 * after tree shaking (a module's unused functions are gone), with a Query that names an index
 * counted as `QueryIndex`.
 */
function tableActionsOf(text: string): string[] {
  const found = new Set<string>();
  for (const part of text.split(/^\/\/ (?=\S+\.[cm]?[jt]s$)/m)) {
    if (!part.startsWith('functions/')) continue;
    // The DynamoDB facade defines the commands (and maps each to the SDK's); its callers send them.
    if (part.startsWith('functions/shared/clients/dynamodb.')) continue;
    for (const m of part.matchAll(/\b(\w+?)Command\d*\b/g)) {
      const action = DYNAMODB_COMMANDS[m[1] ?? ''];
      if (!action) continue;
      if (action !== 'Query') {
        found.add(action);
        continue;
      }
      const open = m.index + m[0].length;
      if (part[open] !== '(') {
        // Referred to without being constructed right here: assume both forms.
        found.add('Query').add('QueryIndex');
        continue;
      }
      found.add(/\bIndexName\b/.test(callArguments(part, open)) ? 'QueryIndex' : 'Query');
    }
  }
  return [...found].sort();
}

const { workflowTemplate, workflow } = defaultApp();
type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}
const resources = workflowTemplate.toJSON().Resources as Resources;

/** Every statement of the policies attached to a function's role. */
function statementsOf(functionId: string): Statement[] {
  const fn = workflow.functions[functionId];
  if (!fn) throw new Error(`no function ${functionId}`);
  const roleId = workflow.resolve(
    (fn.executionRole.node.defaultChild as unknown as { logicalId: string }).logicalId,
  );
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** The DynamoDB actions a function's role allows: on the table, and `QueryIndex` for the index. */
function grantedTableActions(functionId: string): string[] {
  const granted = new Set<string>();
  for (const s of statementsOf(functionId)) {
    const onIndex = JSON.stringify(s.Resource).includes('/index/');
    for (const action of actionsOf(s).filter((a) => a.startsWith('dynamodb:'))) {
      const name = action.slice('dynamodb:'.length);
      granted.add(onIndex && name === 'Query' ? 'QueryIndex' : name);
    }
  }
  return [...granted].sort();
}

// Each bundle is its own esbuild build: they run side by side.
describe('function permissions match the code', { concurrent: true }, () => {
  it.each(ALL_FUNCTIONS.map((spec) => [spec.id, spec.entry]))('%s', async (id, entry) => {
    const { inputs, text } = await bundle(entry);
    const uses = (marker: string) => inputs.some((input) => input.includes(marker));
    const caps = CAPABILITIES[id];
    expect(caps, `${id} is in CAPABILITIES`).toBeDefined();
    expect(caps?.bucket !== undefined, 'bucket').toBe(uses(MARKERS.bucket));
    expect(caps?.email === true, 'email').toBe(uses(MARKERS.email));
    expect(caps?.signing === true, 'signing key').toBe(uses(MARKERS.signing));
    expect(caps?.webex === true, 'Webex').toBe(uses(MARKERS.webex));
    // Step Functions: intake starts runs, cancel stops them, resume sends task results, the
    // failure recorder reads a run's history.
    expect(caps?.stateMachine !== undefined, 'Step Functions').toBe(uses(MARKERS.stepFunctions));
    // Domain events: the steps that record a fact publish it on the workflow bus.
    expect(caps?.events === true, 'EventBridge').toBe(uses(MARKERS.events));
    // The S3 users are bundled in a group of their own (infra/bundling.ts).
    const spec = ALL_FUNCTIONS.find((s) => s.id === id);
    expect(spec?.bundleGroup === 'documents', 'bundle group "documents"').toBe(uses(MARKERS.bucket));
    // DynamoDB: exactly the item actions its code calls, in the table and in the template.
    const calls = tableActionsOf(text);
    expect([...(caps?.table ?? [])].sort(), 'DynamoDB actions in CAPABILITIES').toEqual(calls);
    expect(grantedTableActions(id), 'DynamoDB actions granted').toEqual(calls);
    // Step Functions: exactly the API calls its code makes (Resume never fails a run).
    const sfnCalls = [
      ...text.matchAll(
        /\b(StartExecution|StopExecution|SendTaskSuccess|SendTaskFailure|SendTaskHeartbeat|GetExecutionHistory|DescribeExecution)Command\b/g,
      ),
    ].map((m) => `states:${m[1]}`);
    const sfnGranted = statementsOf(id)
      .flatMap(actionsOf)
      .filter((a) => a.startsWith('states:'));
    expect([...new Set(sfnGranted)].sort(), 'Step Functions actions granted').toEqual(
      [...new Set(sfnCalls)].sort(),
    );
  });

  it('covers every function of the registry and nothing else', () => {
    expect(Object.keys(CAPABILITIES).sort()).toEqual(ALL_FUNCTIONS.map((spec) => spec.id).sort());
  });
});

describe('grants are narrowed by resource and condition', () => {
  const statementsWith = (action: string) =>
    Object.keys(CAPABILITIES).flatMap((id) =>
      statementsOf(id)
        .filter((s) => actionsOf(s).includes(action))
        .map((statement) => ({ id, statement })),
    );

  it('lets no function describe a secret: each reads only the value of the secrets it uses', () => {
    for (const id of Object.keys(CAPABILITIES)) {
      const actions = statementsOf(id).flatMap(actionsOf);
      expect(
        actions.filter(
          (a) => a.startsWith('secretsmanager:') && !/^secretsmanager:(Get|Put)SecretValue$/.test(a),
        ),
        id,
      ).toEqual([]);
    }
    expect(
      statementsWith('secretsmanager:GetSecretValue')
        .map((s) => s.id)
        .sort(),
    ).toEqual(
      Object.entries(CAPABILITIES)
        .filter(([, caps]) => caps.signing || caps.webex)
        .map(([id]) => id)
        .sort(),
    );
  });

  it('lets the Webex callers write the rotated refresh token back to the Webex secret, and to no other', () => {
    const writers = statementsWith('secretsmanager:PutSecretValue');
    expect(writers.map((w) => w.id).sort()).toEqual(
      Object.entries(CAPABILITIES)
        .filter(([, caps]) => caps.webex)
        .map(([id]) => id)
        .sort(),
    );
    for (const { id, statement } of writers) {
      // A statement of its own, on the one secret the function reads Webex credentials from.
      expect(statement.Action, id).toBe('secretsmanager:PutSecretValue');
      const reads = statementsOf(id).find(
        (s) =>
          actionsOf(s).includes('secretsmanager:GetSecretValue') &&
          JSON.stringify(s.Resource).includes('WebexCredentials'),
      );
      expect(JSON.stringify(statement.Resource), id).toContain('WebexCredentials');
      const readable = Array.isArray(reads?.Resource) ? reads.Resource : [reads?.Resource];
      expect(readable, id).toContainEqual(statement.Resource);
    }
  });

  it('lets functions publish only events whose source is the workflow (never the order system’s)', () => {
    const publishers = statementsWith('events:PutEvents');
    expect(publishers.map((p) => p.id).sort()).toEqual(
      Object.entries(CAPABILITIES)
        .filter(([, caps]) => caps.events)
        .map(([id]) => id)
        .sort(),
    );
    for (const { id, statement } of publishers) {
      expect(statement.Condition, id).toEqual({
        StringEquals: { 'events:source': ['provisioning.workflow'] },
      });
    }
  });

  it('lets functions send email only from the configured sender address, even on a domain identity', () => {
    const senders = statementsWith('ses:SendEmail');
    expect(senders.map((p) => p.id).sort()).toEqual(
      Object.entries(CAPABILITIES)
        .filter(([, caps]) => caps.email)
        .map(([id]) => id)
        .sort(),
    );
    for (const { id, statement } of senders) {
      expect(statement.Condition, id).toEqual({
        StringEquals: { 'ses:FromAddress': { Ref: 'SenderEmail' } },
      });
    }
  });
});
