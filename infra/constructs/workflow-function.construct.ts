import { AssetHashType, Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ALL_FUNCTIONS, type FunctionSpec } from '../../functions/registry';
import { TABLE_DEFINITION } from '../../functions/shared/adapters/keys';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../functions/shared/observability';
import { bundleFunction, bundleHandler, type BundleFile } from '../bundling';
import { acknowledgeWildcardResource } from './nag-acknowledgements';

// How the bundles are built lives in infra/bundling.ts (shared with the bundle tests and the bench).
export type { BundleFile } from '../bundling';

/** DynamoDB item actions a function may be granted; `QueryIndex` is Query on the index. */
export const TABLE_ACTIONS = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'QueryIndex',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
] as const;
export type TableAction = (typeof TABLE_ACTIONS)[number];

export interface WorkflowFunctionProps {
  spec: FunctionSpec;
  /** Repository root: entries in the registry are relative to it, and it holds package-lock.json. */
  projectRoot: string;
  logRetention: logs.RetentionDays;
  environment: Record<string, string>;
  /** Extra files the code reads at run time (fonts), copied after esbuild has bundled it. */
  bundleFiles?: BundleFile[];
  /** Written as the bundle's package.json (e.g. `imports` that a library resolves at run time). */
  bundlePackageJson?: Record<string, unknown>;
  /**
   * Whether X-Ray may record the text of a thrown error: only where that text can hold no setup
   * link and no personal data (see tracerEnvironment).
   */
  traceErrors: boolean;
}

/**
 * What the Powertools tracer may put in X-Ray. Never a handler's response: Resume's response is a
 * page whose forms carry the setup link (a bearer secret for 14 days), its CSRF token, names,
 * emails and addresses; a step's output is the order's data. Anyone who can read traces could act
 * as the contact. Errors only where their text holds no link and no personal data.
 */
export function tracerEnvironment(traceErrors: boolean): Record<string, string> {
  return {
    POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
    POWERTOOLS_TRACER_CAPTURE_ERROR: String(traceErrors),
  };
}

/**
 * Every Lambda function of the app, with the project's defaults: latest Node.js LTS on arm64,
 * X-Ray tracing, its own log group with a retention, JSON logs, and an esbuild bundle with
 * source maps built in-process by the locally installed esbuild (never Docker): the first
 * function's bundling builds every function of the registry in one esbuild build.
 */
export class WorkflowFunction extends lambda.Function {
  /** The function's own role; cdk-nag acknowledgements go on it, where its policies live. */
  readonly executionRole: iam.Role;

  constructor(scope: Construct, id: string, props: WorkflowFunctionProps) {
    const { spec, projectRoot } = props;
    const logGroup = new logs.LogGroup(scope, `${id}LogGroup`, { retention: props.logRetention });
    // Our own role instead of AWSLambdaBasicExecutionRole: it may write to its log group only.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Lambda function ${spec.id} of the subscription provisioning workflow`,
    });
    logGroup.grantWrite(role);
    const files = props.bundleFiles ?? [];
    const packageJson = props.bundlePackageJson;
    super(scope, id, {
      code: lambda.Code.fromAsset(projectRoot, {
        // The hash of the bundle, not of the repository it was built from.
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          image: lambda.Runtime.NODEJS_24_X.bundlingImage,
          // CDK caches staged assets by their bundling options: the function's id keeps each
          // function its own bundle (the hook below is not part of that key).
          environment: { FUNCTION_ID: spec.id },
          local: {
            tryBundle(outputDir: string) {
              bundleFunction(spec, ALL_FUNCTIONS, projectRoot, outputDir, { files, packageJson });
              return true;
            },
          },
        },
      }),
      handler: bundleHandler(spec),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memoryMb ?? 256,
      timeout: Duration.seconds(spec.timeoutSeconds ?? 20),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      role,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        ...props.environment,
        ...tracerEnvironment(props.traceErrors),
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    this.executionRole = role;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
    });
  }

  /**
   * Table name in TABLE_NAME and the item actions this function's code calls, nothing more: a
   * function that never deletes cannot delete, one that reads only cannot rewrite an order or a
   * task token. `QueryIndex` is Query on the one index (by name). Never Scan: every access pattern
   * is a key lookup (functions/shared/adapters/keys.ts).
   */
  bindTable(table: dynamodb.ITableV2, access: readonly TableAction[]): this {
    this.addEnvironment('TABLE_NAME', table.tableName);
    const onTable = access.filter((a) => a !== 'QueryIndex').map((a) => `dynamodb:${a}`);
    if (onTable.length > 0)
      this.addToRolePolicy(new iam.PolicyStatement({ actions: onTable, resources: [table.tableArn] }));
    if (access.includes('QueryIndex')) {
      this.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: [`${table.tableArn}/index/${TABLE_DEFINITION.gsi1.name}`],
        }),
      );
    }
    return this;
  }

  /**
   * Bucket name in BUCKET_NAME; `read` for presigned downloads, `write` for uploads, both on the
   * objects matching `keyPattern` only.
   */
  bindBucket(bucket: s3.IBucket, access: 'read' | 'write' | 'readWrite', keyPattern: string): this {
    this.addEnvironment('BUCKET_NAME', bucket.bucketName);
    const actions = [
      ...(access === 'read' || access === 'readWrite' ? ['s3:GetObject'] : []),
      ...(access === 'write' || access === 'readWrite' ? ['s3:PutObject'] : []),
    ];
    const objects = bucket.arnForObjects(keyPattern);
    this.addToRolePolicy(new iam.PolicyStatement({ actions, resources: [objects] }));
    acknowledgeWildcardResource(
      this.executionRole,
      objects,
      `Objects are named per order (${keyPattern}); ${actions.join(' and ')} on those objects of the documents bucket only.`,
    );
    return this;
  }

  /**
   * The link and session signing key: SIGNING_SECRET_ARN and GetSecretValue on it (not
   * grantRead, whose DescribeSecret nothing calls).
   */
  bindSigningSecret(secret: secretsmanager.ISecret): this {
    this.addEnvironment('SIGNING_SECRET_ARN', secret.secretArn);
    this.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
    return this;
  }

  /**
   * Webex: WEBEX_API_URL, WEBEX_SECRET_ARN, and on the integration's credentials (no other
   * secret) GetSecretValue, plus PutSecretValue in a statement of its own: a call that renews the
   * access token writes a rotated refresh token back (functions/shared/webex/webex-credentials.ts).
   */
  bindWebex(secret: secretsmanager.ISecret, apiUrl: string): this {
    this.addEnvironment('WEBEX_API_URL', apiUrl);
    this.addEnvironment('WEBEX_SECRET_ARN', secret.secretArn);
    this.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
    // A policy of its own, so the one write permission stays apart from the reads it would merge into.
    new iam.Policy(this, 'WebexSecretWrite', {
      roles: [this.executionRole],
      statements: [
        new iam.PolicyStatement({
          actions: ['secretsmanager:PutSecretValue'],
          resources: [secret.secretArn],
        }),
      ],
    });
    return this;
  }

  /** EVENT_BUS_NAME and PutEvents on that bus, for events whose source is the workflow's own only. */
  allowPublishEvents(bus: events.IEventBus, source: string): this {
    this.addEnvironment('EVENT_BUS_NAME', bus.eventBusName);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['events:PutEvents'],
        resources: [bus.eventBusArn],
        // Without it, any of these functions could forge the order system's events.
        conditions: { StringEquals: { 'events:source': [source] } },
      }),
    );
    return this;
  }

  /** SES v2 SendEmail from the sender identity (the address or its domain) through the configuration set. */
  allowSendEmail(email: { senderEmail: string; configurationSetName: string }): this {
    const stack = Stack.of(this);
    const identity = (name: string) =>
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
    // Fn::Select/Fn::Split, because the address is usually a CloudFormation parameter.
    const senderDomain = Fn.select(1, Fn.split('@', email.senderEmail));
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        // A domain identity lets any address of the domain send: only the configured sender may.
        conditions: { StringEquals: { 'ses:FromAddress': email.senderEmail } },
        resources: [
          identity(email.senderEmail),
          identity(senderDomain),
          stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: email.configurationSetName,
          }),
        ],
      }),
    );
    return this;
  }
}
