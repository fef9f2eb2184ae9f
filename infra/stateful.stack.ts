import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DataStore } from './constructs/data-store.construct';

/** The stateful half: deployed rarely, retained on delete; the workflow stack only references it. */
export class StatefulStack extends Stack {
  readonly data: DataStore;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.data = new DataStore(this, 'Data');
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'BucketName', { value: this.data.bucket.bucketName });
    new CfnOutput(this, 'SigningSecretArn', { value: this.data.signingSecret.secretArn });
    new CfnOutput(this, 'WebexSecretArn', {
      value: this.data.webexSecret.secretArn,
      description: 'Put the Webex integration credentials here (docs/deploy.md)',
    });
  }
}
