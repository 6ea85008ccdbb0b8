import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';

export interface CampaignSchedulerProps {
  /** The function each campaign schedule invokes (planCampaign). */
  readonly target: lambda.IFunction;
}

/**
 * The EventBridge Scheduler group and execution role for campaign sends.
 * The schedules themselves are one-time `at()` schedules the API creates at runtime, so none is declared here.
 */
export class CampaignScheduler extends Construct {
  readonly group: scheduler.CfnScheduleGroup;
  readonly groupName: string;
  /** The role schedules run as; it may only invoke the target function. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: CampaignSchedulerProps) {
    super(scope, id);
    this.group = new scheduler.CfnScheduleGroup(this, 'Group');
    this.groupName = this.group.ref;
    this.role = new iam.Role(this, 'Role', {
      description: 'Assumed by EventBridge Scheduler to run Club Planner campaign schedules',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        // Confused-deputy guard: only schedules in this account may assume the role.
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    props.target.grantInvoke(this.role);
  }

  /** Lets `grantee` create, read and delete schedules in the group, and hand them the execution role. */
  grantManageSchedules(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'scheduler:CreateSchedule',
        'scheduler:UpdateSchedule',
        'scheduler:DeleteSchedule',
        'scheduler:GetSchedule',
      ],
      resourceArns: [
        Stack.of(this).formatArn({
          service: 'scheduler',
          resource: 'schedule',
          resourceName: `${this.groupName}/*`,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ],
    });
    this.role.grantPassRole(grantee.grantPrincipal);
  }
}
