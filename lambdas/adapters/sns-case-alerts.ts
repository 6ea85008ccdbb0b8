import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { ClubPlannerError } from '../core/errors.js';
import type { CaseAlert, CaseAlerts } from '../core/feedback-ports.js';
import { errorName } from './aws-client-config.js';
import { caseAlertText } from './case-alert-text.js';

/** Case alerts on AWS: one message on the feedback SNS topic (lib/constructs/feedback-follow-up.ts). */
export class SnsCaseAlerts implements CaseAlerts {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async caseOpened(alert: CaseAlert): Promise<void> {
    const { subject, text } = caseAlertText(alert);
    await this.sns
      .send(
        new PublishCommand({
          TopicArn: this.topicArn,
          // SNS subjects are ASCII, under 100 characters; the club's name is in the text.
          Subject: `New feedback case: score ${alert.score}`,
          Message: `${subject}\n\n${text}`,
          MessageAttributes: {
            clubId: { DataType: 'String', StringValue: alert.clubId },
            score: { DataType: 'Number', StringValue: String(alert.score) },
          },
        }),
      )
      .catch((error: unknown) => {
        throw new ClubPlannerError(`SNS did not take the case alert (${errorName(error)})`, { cause: error });
      });
  }
}
