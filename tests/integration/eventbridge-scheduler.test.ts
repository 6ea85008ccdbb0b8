import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  automationScheduleName,
  EventBridgeRecurringScheduler,
} from '../../lambdas/adapters/eventbridge-recurring-scheduler.js';
import { EventBridgeScheduler, scheduleName } from '../../lambdas/adapters/eventbridge-scheduler.js';
import { RunAutomationJob } from '../../lambdas/core/automation.js';

/** One request the Scheduler API received. */
interface Received {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

const Target = z.object({
  Arn: z.string(),
  RoleArn: z.string(),
  Input: z.string(),
  RetryPolicy: z.object({ MaximumRetryAttempts: z.number(), MaximumEventAgeInSeconds: z.number() }).optional(),
  DeadLetterConfig: z.object({ Arn: z.string() }).optional(),
});
const ScheduleRequest = z.object({
  Target: Target,
  ScheduleExpression: z.string(),
  GroupName: z.string(),
  ScheduleExpressionTimezone: z.string().optional(),
  State: z.string().optional(),
  ActionAfterCompletion: z.string().optional(),
});

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.from(chunk));
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/**
 * A stand-in for the EventBridge Scheduler API on a free local port: it records each request and
 * answers CreateSchedule for a name it has seen with ConflictException, as the service does.
 */
function schedulerApi(): { server: Server; received: Received[] } {
  const received: Received[] = [];
  const created = new Set<string>();
  const server = createServer(async (request, response) => {
    const path = request.url ?? '';
    received.push({ method: request.method ?? '', path, body: await readBody(request) });
    response.setHeader('content-type', 'application/json');
    if (request.method === 'POST' && created.has(path)) {
      response.writeHead(409, { 'x-amzn-errortype': 'ConflictException' });
      response.end(JSON.stringify({ Message: 'exists' }));
      return;
    }
    created.add(path);
    response.end(JSON.stringify({ ScheduleArn: `arn:aws:scheduler:eu-north-1:123456789012:schedule${path}` }));
  });
  return { server, received };
}

describe('EventBridgeScheduler (real SDK client, over HTTP)', () => {
  const { server, received } = schedulerApi();
  let client: SchedulerClient;
  const failureHandling = {
    deadLetterArn: 'arn:aws:sqs:eu-north-1:123456789012:campaign-starts-dlq',
    maxRetryAttempts: 10,
    maxEventAgeSeconds: 3600,
  };
  const config = {
    groupName: 'campaigns',
    roleArn: 'arn:aws:iam::123456789012:role/scheduler',
    targetArn: 'arn:aws:lambda:eu-north-1:123456789012:function:plan-campaign',
    now: () => new Date('2030-01-01T08:00:00Z'),
  };

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = z
      .custom<AddressInfo>((value) => typeof value === 'object' && value !== null)
      .parse(server.address());
    client = new SchedulerClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'eu-north-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const requestsFor = (clubId: string, campaignId: string) =>
    received.filter((request) => request.path === `/schedules/${scheduleName(clubId, campaignId)}`);

  it('gives every campaign schedule the retry policy and dead-letter queue the stack passes', async () => {
    const clubId = `club-${randomUUID()}`;
    await new EventBridgeScheduler(client, { ...config, failureHandling }).schedule(
      clubId,
      'c1',
      new Date('2030-01-01T09:00:00Z'),
    );
    const [create] = requestsFor(clubId, 'c1');
    expect(create?.method).toBe('POST');
    const request = ScheduleRequest.parse(create?.body);
    expect(request.Target).toMatchObject({
      Arn: config.targetArn,
      RoleArn: config.roleArn,
      RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: failureHandling.deadLetterArn },
    });
    expect(JSON.parse(request.Target.Input)).toEqual({ clubId, campaignId: 'c1' });
    expect(request.ScheduleExpression).toBe('at(2030-01-01T09:00:00)');
  });

  it('keeps the retry policy and dead-letter queue when a reschedule updates the existing schedule', async () => {
    const clubId = `club-${randomUUID()}`;
    const scheduler = new EventBridgeScheduler(client, { ...config, failureHandling });
    await scheduler.schedule(clubId, 'c1', new Date('2030-01-01T09:00:00Z'));
    await scheduler.schedule(clubId, 'c1', new Date('2030-01-02T09:00:00Z'));
    const requests = requestsFor(clubId, 'c1');
    expect(requests.map((request) => request.method)).toEqual(['POST', 'POST', 'PUT']);
    const update = ScheduleRequest.parse(requests[2]?.body);
    expect(update.ScheduleExpression).toBe('at(2030-01-02T09:00:00)');
    expect(update.Target.DeadLetterConfig).toEqual({ Arn: failureHandling.deadLetterArn });
    expect(update.Target.RetryPolicy).toEqual({ MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 });
  });

  it('arms "every Monday at 07:00" as a recurring cron schedule in the club’s zone, with the occurrence in its input, the retry policy and the dead-letter queue', async () => {
    const clubId = `club-${randomUUID()}`;
    const recurring = new EventBridgeRecurringScheduler(client, { ...config, failureHandling });
    const schedule = {
      clubId,
      automationId: 'mondays',
      recurrence: { every: 'week' as const, on: ['MON' as const], at: '07:00' },
      timeZone: 'Europe/Stockholm',
    };
    await recurring.arm(schedule);
    await recurring.arm({ ...schedule, recurrence: { every: 'day', at: '06:30' } });
    const path = `/schedules/${automationScheduleName(clubId, 'mondays')}`;
    const requests = received.filter((request) => request.path === path);
    expect(requests.map((request) => request.method)).toEqual(['POST', 'POST', 'PUT']);
    const [create, , update] = requests.map((request) => ScheduleRequest.parse(request.body));
    expect(create).toMatchObject({
      ScheduleExpression: 'cron(0 7 ? * MON *)',
      ScheduleExpressionTimezone: 'Europe/Stockholm',
      State: 'ENABLED',
      ActionAfterCompletion: 'NONE',
      Target: {
        Arn: config.targetArn,
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: failureHandling.deadLetterArn },
      },
    });
    // Scheduler puts the occurrence where the placeholder is; what plan-campaign then parses is a run job.
    const input = create?.Target.Input ?? '';
    expect(JSON.parse(input)).toEqual({
      clubId,
      automationId: 'mondays',
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
    const delivered = JSON.parse(input.replace('<aws.scheduler.scheduled-time>', '2030-01-07T06:00:00Z'));
    expect(RunAutomationJob.parse(delivered).scheduledTime).toBe('2030-01-07T06:00:00Z');
    expect(update?.ScheduleExpression).toBe('cron(30 6 * * ? *)');

    await recurring.disarm(clubId, 'mondays');
    await recurring.disarm(clubId, 'never-armed');
    const deletes = received.filter((request) => request.method === 'DELETE' && request.path.startsWith(path));
    expect(deletes.map((request) => new URL(request.path, 'http://x').searchParams.get('groupName'))).toEqual([
      config.groupName,
    ]);
  });

  it("leaves Scheduler's defaults when no failure handling is configured", async () => {
    const clubId = `club-${randomUUID()}`;
    await new EventBridgeScheduler(client, config).schedule(clubId, 'c1', new Date('2030-01-01T09:00:00Z'));
    const target = ScheduleRequest.parse(requestsFor(clubId, 'c1')[0]?.body).Target;
    expect(target).not.toHaveProperty('RetryPolicy');
    expect(target).not.toHaveProperty('DeadLetterConfig');
  });
});
