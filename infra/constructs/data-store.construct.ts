import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { RETENTION_DAYS, TABLE_DEFINITION } from '../../functions/shared/adapters/keys';

/**
 * The workflow's state: the single table (orders, steps, links, organizations), the bucket of
 * order summaries, and the key that signs wizard sessions and CSRF tokens. Everything here is
 * retained when the stack is deleted: losing it loses customers' orders.
 */
export class DataStore extends Construct {
  readonly table: dynamodb.TableV2;
  readonly bucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly signingSecret: secretsmanager.Secret;
  /** The Webex integration's credentials ({clientId, clientSecret, refreshToken}); stored by the operator (docs/deploy.md). */
  readonly webexSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: TABLE_DEFINITION.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_DEFINITION.sortKey, type: dynamodb.AttributeType.STRING },
      globalSecondaryIndexes: [
        {
          indexName: TABLE_DEFINITION.gsi1.name,
          partitionKey: { name: TABLE_DEFINITION.gsi1.partitionKey, type: dynamodb.AttributeType.STRING },
          sortKey: { name: TABLE_DEFINITION.gsi1.sortKey, type: dynamodb.AttributeType.STRING },
        },
      ],
      billing: dynamodb.Billing.onDemand(),
      timeToLiveAttribute: TABLE_DEFINITION.timeToLive,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // The AWS owned/managed keys keep grants in IAM only: a customer managed key would need
      // key-policy edits from the workflow stack, i.e. a reference cycle between the stacks.
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the documents bucket; logging it into itself would loop.',
    });

    this.bucket = new s3.Bucket(this, 'DocumentsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'documents/',
      // Summaries are regenerated idempotently; old versions only need to survive a mistake. A
      // summary (names, emails, addresses) goes with its order (RETENTION_DAYS.order after it
      // was written, as the order's items do).
      lifecycleRules: [
        {
          expiration: Duration.days(RETENTION_DAYS.order),
          noncurrentVersionExpiration: Duration.days(30),
        },
      ],
    });

    this.signingSecret = new secretsmanager.Secret(this, 'SigningSecret', {
      description:
        'HMAC key that signs setup-page sessions and CSRF tokens (setup links are random ids, not signed)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.signingSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the signing key would invalidate every setup link still in use (links live up to linkTtlSeconds); ' +
        'rotation is a manual, announced operation (docs/deploy.md), not a schedule.',
    });

    // Created empty of meaning (a random placeholder the adapter refuses with a clear message);
    // the operator puts the integration's JSON in it after creating the integration.
    this.webexSecret = new secretsmanager.Secret(this, 'WebexCredentials', {
      description:
        'Webex integration of the provisioning workflow: JSON {clientId, clientSecret, refreshToken} (docs/deploy.md)',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.webexSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The value is an OAuth refresh token issued by Webex to the integration; Secrets Manager cannot rotate it. ' +
        'Re-authorizing the integration and storing the new token is the documented procedure (docs/deploy.md).',
    });
  }
}
