import { describe, expect, it } from 'vitest';
import { ARCHIVE_NAME_MAX_LENGTH, archiveName } from '../../infra/constructs/order-events.construct';
import { defaultApp, synthApp, type SynthesizedApp } from './synth-app.fixture';

// Physical names, read from both synthesized templates:
// - a resource kept when its stack is deleted must not carry a name fixed at synth, or the next
//   deploy after a destroy fails on what was left behind ("already exists");
// - every name we (or CDK) set fits its service's length limit, with the default stack prefix and
//   with the longest one a person may plausibly choose.

interface CfnResource {
  Type: string;
  DeletionPolicy?: string;
  Properties?: Record<string, unknown>;
}

/** The name property of each resource type the app may name, and the service's length limit. */
const NAME_LIMITS: Record<string, { property: string; max: number }> = {
  'AWS::Logs::LogGroup': { property: 'LogGroupName', max: 512 },
  'AWS::Events::Archive': { property: 'ArchiveName', max: 48 },
  'AWS::Events::EventBus': { property: 'Name', max: 256 },
  'AWS::Events::Rule': { property: 'Name', max: 64 },
  'AWS::SQS::Queue': { property: 'QueueName', max: 80 },
  'AWS::SNS::Topic': { property: 'TopicName', max: 256 },
  'AWS::DynamoDB::Table': { property: 'TableName', max: 255 },
  'AWS::DynamoDB::GlobalTable': { property: 'TableName', max: 255 },
  'AWS::S3::Bucket': { property: 'BucketName', max: 63 },
  'AWS::Lambda::Function': { property: 'FunctionName', max: 64 },
  'AWS::StepFunctions::StateMachine': { property: 'StateMachineName', max: 80 },
  'AWS::IAM::Role': { property: 'RoleName', max: 64 },
  'AWS::IAM::Policy': { property: 'PolicyName', max: 128 },
  'AWS::SecretsManager::Secret': { property: 'Name', max: 512 },
  'AWS::CloudWatch::Dashboard': { property: 'DashboardName', max: 255 },
  'AWS::CloudWatch::Alarm': { property: 'AlarmName', max: 255 },
  'AWS::ApiGatewayV2::Api': { property: 'Name', max: 128 },
  'AWS::SES::ConfigurationSet': { property: 'Name', max: 64 },
};

const RETAINED = new Set(['Retain', 'RetainExceptOnCreate', 'Snapshot']);
/** A stack id ends with a UUID (36 characters), new for each stack created. */
const STACK_UUID_LENGTH = 36;

function resources(app: SynthesizedApp): [string, CfnResource][] {
  return [app.statefulTemplate, app.workflowTemplate].flatMap((template) =>
    Object.entries((template.toJSON() as { Resources: Record<string, CfnResource> }).Resources),
  );
}

/** Whether a name's value is built from the stack's unique id (so a new stack gets a new name). */
function uniquePerStack(value: unknown): boolean {
  return JSON.stringify(value).includes('"AWS::StackId"');
}

/**
 * The longest a name can be once deployed: a string as it stands; a Fn::Join of strings and the
 * UUID part of the stack id. Anything else is reported, so a new kind of name gets a look.
 */
function longestLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) {
    const [separator, parts] = join;
    return parts.reduce<number>(
      (sum, part) => sum + longestLength(part),
      separator.length * (parts.length - 1),
    );
  }
  if (uniquePerStack(value) && JSON.stringify(value).includes('Fn::Select')) return STACK_UUID_LENGTH;
  throw new Error(`A name the test cannot measure: ${JSON.stringify(value)}`);
}

function namedResources(app: SynthesizedApp) {
  return resources(app).flatMap(([id, resource]) => {
    const limit = NAME_LIMITS[resource.Type];
    const name = limit ? resource.Properties?.[limit.property] : undefined;
    return limit && name !== undefined ? [{ id, resource, name, max: limit.max }] : [];
  });
}

describe('physical names', () => {
  it('no resource kept on delete carries a name fixed at synth (a redeploy after a destroy works)', () => {
    const app = defaultApp();
    const retained = resources(app).filter(([, r]) => r.DeletionPolicy && RETAINED.has(r.DeletionPolicy));
    expect(retained.length).toBeGreaterThan(5);
    const fixed = retained.flatMap(([id, r]) => {
      const property = NAME_LIMITS[r.Type]?.property;
      const names = Object.entries(r.Properties ?? {}).filter(
        ([key, value]) => (key === property || /Name$/.test(key)) && !uniquePerStack(value),
      );
      return names.map(([key, value]) => `${id} (${r.Type}) ${key}: ${JSON.stringify(value)}`);
    });
    expect(fixed).toEqual([]);
  });

  it('keeps the domain-events log group, named under /aws/events/ and unique to the stack', () => {
    const logGroup = resources(defaultApp()).find(
      ([, r]) => r.Type === 'AWS::Logs::LogGroup' && JSON.stringify(r.Properties).includes('/aws/events/'),
    );
    expect(logGroup?.[1].DeletionPolicy).toBe('Retain');
    expect(uniquePerStack(logGroup?.[1].Properties?.LogGroupName)).toBe(true);
  });

  it('names the event archive itself, within its 48 characters', () => {
    const archives = resources(defaultApp()).filter(([, r]) => r.Type === 'AWS::Events::Archive');
    expect(archives).toHaveLength(1);
    const name = archives[0]?.[1].Properties?.ArchiveName;
    expect(typeof name).toBe('string');
    expect((name as string).length).toBeLessThanOrEqual(ARCHIVE_NAME_MAX_LENGTH);
    expect(name).toMatch(/^[.\-_A-Za-z0-9]+$/);
  });

  it.each([
    ['the default stack prefix', {}],
    ['a 100-character stack prefix', { stackPrefix: `P${'x'.repeat(99)}` }],
  ])('fits every name in its service’s length limit, with %s', (_label, context) => {
    const app = Object.keys(context).length === 0 ? defaultApp() : synthApp(context);
    const named = namedResources(app);
    expect(named.map((n) => n.resource.Type)).toEqual(
      expect.arrayContaining(['AWS::Logs::LogGroup', 'AWS::Events::Archive', 'AWS::Events::EventBus']),
    );
    const tooLong = named
      .map((n) => ({ ...n, length: longestLength(n.name) }))
      .filter((n) => n.length > n.max)
      .map((n) => `${n.id} (${n.resource.Type}): ${n.length} > ${n.max}: ${JSON.stringify(n.name)}`);
    expect(tooLong).toEqual([]);
  });
});

describe('archiveName', () => {
  it('is the stack name and -events, or for a long name a cut with a hash that keeps two stacks apart', () => {
    expect(archiveName('SubscriptionProvisioning-Workflow')).toBe('SubscriptionProvisioning-Workflow-events');
    const a = archiveName(`${'A'.repeat(60)}-Workflow`);
    const b = archiveName(`${'A'.repeat(60)}-Workflow2`);
    expect(a).toHaveLength(ARCHIVE_NAME_MAX_LENGTH);
    expect(b).toHaveLength(ARCHIVE_NAME_MAX_LENGTH);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^A+-[0-9a-f]{8}-events$/);
  });
});
