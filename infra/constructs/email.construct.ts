import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

/**
 * SES v2 sending for the workflow: one configuration set every email goes through (reputation
 * metrics, bounces and complaints to the account's suppression list). The sender identity itself
 * is verified outside the app (docs/deploy.md): verifying needs a person to click a link or a
 * DNS change, which a stack cannot do.
 */
export class EmailSending extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly senderEmail: string;

  constructor(scope: Construct, id: string, props: { senderEmail: string }) {
    super(scope, id);
    this.senderEmail = props.senderEmail;
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
    });
  }

  get configurationSetName(): string {
    return this.configurationSet.configurationSetName;
  }
}
