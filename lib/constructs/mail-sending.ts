import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

/**
 * The SES v2 configuration set every campaign mail is sent with.
 * Bounce and complaint suppression stays at the account-level default.
 */
export class MailSending extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly configurationSetName: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      // suppressionReasons left unset: the account-level suppression list (bounces + complaints) applies.
    });
    this.configurationSetName = this.configurationSet.configurationSetName;
    // Seam for the delivery-events issue: add `this.configurationSet.addEventDestination(...)` here
    // (bounces, complaints, deliveries -> SNS/EventBridge) so the ledger can learn outcomes.
  }

  /** Lets `grantee` send mail from this account/region's identities through this configuration set. */
  grantSend(grantee: iam.IGrantable): iam.Grant {
    const stack = Stack.of(this);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resourceArns: [
        stack.formatArn({
          service: 'ses',
          resource: 'identity',
          resourceName: '*',
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
        stack.formatArn({
          service: 'ses',
          resource: 'configuration-set',
          resourceName: this.configurationSetName,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ],
    });
  }
}
