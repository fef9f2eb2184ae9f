import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  StartExecutionCommand,
  ExecutionAlreadyExists,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../helpers/test-runtime';
import { mailbox, runtimeStats, startOrder, waitForEmails, waitForPendingStep } from '../helpers/workflow';

// Nothing in the embedded runtime is a mock: the plain AWS SDK, configured only with an
// endpoint, talks to each service as it would to AWS.

let rt: TestRuntime;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

beforeAll(async () => {
  rt = await startTestRuntime({ stepTimeoutSeconds: 600 });
});
afterAll(async () => {
  await rt?.stop();
});

describe('the embedded runtime’s endpoints, through the AWS SDK', () => {
  it('DynamoDB has the table with its index, and the demo directory', async () => {
    const ddb = new DynamoDBClient({ region: 'us-east-1', endpoint: rt.urls.dynamodb, credentials });
    expect((await ddb.send(new ListTablesCommand({}))).TableNames).toContain(rt.env.TABLE_NAME);
    const table = await ddb.send(new DescribeTableCommand({ TableName: rt.env.TABLE_NAME }));
    expect(table.Table?.TableStatus).toBe('ACTIVE');
    expect(table.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['gsi1']);
    const org = await ddb.send(
      new GetItemCommand({
        TableName: rt.env.TABLE_NAME,
        Key: { pk: { S: 'ORG#org-partner-northwind' }, sk: { S: 'ORG' } },
      }),
    );
    expect(org.Item?.name?.S).toBe('Northwind Partners');
    expect(rt.seeded).toBe(true);
    ddb.destroy();
  });

  it('S3 has the documents bucket; SES v2 delivers to the mailbox', async () => {
    const buckets = await rt.s3Client.send(new ListBucketsCommand({}));
    expect(buckets.Buckets?.map((b) => b.Name)).toContain(rt.env.BUCKET_NAME);
    const objects = await rt.s3Client.send(new ListObjectsV2Command({ Bucket: rt.env.BUCKET_NAME }));
    expect(objects.KeyCount ?? 0).toBe(0);

    const ses = new SESv2Client({ region: 'us-east-1', endpoint: rt.urls.ses, credentials });
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'ops@example.com',
        Destination: { ToAddresses: ['someone@example.com'] },
        Content: { Simple: { Subject: { Data: 'Hello from the SDK' }, Body: { Text: { Data: 'Hi' } } } },
      }),
    );
    expect((await mailbox(rt, 'someone@example.com')).map((e) => e.subject)).toEqual(['Hello from the SDK']);
    const page = await fetch(rt.urls.mailbox);
    expect(page.status).toBe(200);
    ses.destroy();
  });

  it('Step Functions lists the state machine and its executions, with AWS errors', async () => {
    const machines = await rt.sfnClient.send(new ListStateMachinesCommand({}));
    expect(machines.stateMachines?.map((m) => m.stateMachineArn)).toEqual([rt.stateMachineArn]);
    const described = await rt.sfnClient.send(
      new DescribeStateMachineCommand({ stateMachineArn: rt.stateMachineArn }),
    );
    expect(described.type).toBe('STANDARD');
    expect(JSON.parse(described.definition ?? '{}').StartAt).toBe('Receive order');
    expect(described.definition).toContain('arn:aws:lambda:us-east-1:000000000000:function:ReceiveOrder');

    const orderId = await startOrder();
    await waitForPendingStep(orderId, 'order-for');
    const running = await rt.sfnClient.send(
      new ListExecutionsCommand({ stateMachineArn: rt.stateMachineArn, statusFilter: 'RUNNING' }),
    );
    expect(running.executions?.map((e) => e.name)).toContain(orderId);
    await expect(
      rt.sfnClient.send(
        new StartExecutionCommand({
          stateMachineArn: rt.stateMachineArn,
          name: orderId,
          input: '{"other":true}',
        }),
      ),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);

    // What the bench reads: counters of what a run costs on AWS, and the runtime's memory.
    await waitForEmails(rt, 'alex@northwind-partners.com', 1, { match: (e) => e.subject.includes(orderId) });
    const { stats, memory } = await runtimeStats(rt);
    expect(stats.executions.RUNNING).toBeGreaterThanOrEqual(1);
    expect(stats.lambdaInvocations.ReceiveOrder).toBeGreaterThanOrEqual(1);
    expect(stats.lambdaInvocations.RequestInput).toBeGreaterThanOrEqual(1);
    expect(stats.stateTransitions).toBeGreaterThanOrEqual(2);
    expect(stats.dynamodbRequests.PutItem).toBeGreaterThanOrEqual(1);
    expect(stats.emailsSent).toBeGreaterThanOrEqual(1);
    expect(memory.rss).toBeGreaterThan(0);
  });

  it('the web server answers for the setup pages and the ops view', async () => {
    const setup = await fetch(`${rt.urls.web}/setup/not-a-real-link`);
    expect([200, 404, 410]).toContain(setup.status);
    expect(setup.headers.get('content-type') ?? '').toContain('text/html');
    const ops = await fetch(rt.urls.ops);
    expect(ops.status).toBe(200);
  });
});
