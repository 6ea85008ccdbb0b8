import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPowertoolsLogger, powertoolsLogger } from '../../lambdas/adapters/powertools-logger.js';
import { StoreError } from '../../lambdas/core/errors.js';
import { signToken } from '../../lambdas/core/tokens.js';

const TOKEN = signToken(
  { current: 'k1', keys: { k1: 'x'.repeat(40) } },
  { purpose: 'unsubscribe', clubId: 'club-1', memberId: 'member-1' },
  new Date('2026-01-01T00:00:00Z'),
);

/** Every JSON line the logger writes while `run` runs, to stdout or stderr. */
function captured(run: () => void): Array<Record<string, unknown>> {
  const lines: string[] = [];
  const take = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(take);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(take);
  try {
    run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the Powertools logger behind the Logger port', () => {
  it('writes an error with its name, message, stack and cause, not just its message', () => {
    const log = powertoolsLogger({}, createPowertoolsLogger());
    const cause = new Error('ProvisionedThroughputExceededException: slow down');
    const [line] = captured(() =>
      log.error('store failed', { clubId: 'c1', error: new StoreError('DynamoDB GetItemCommand failed', { cause }) }),
    );
    expect(line).toMatchObject({
      level: 'ERROR',
      message: 'store failed',
      service: 'club-planner',
      clubId: 'c1',
      error: {
        name: 'StoreError',
        message: 'DynamoDB GetItemCommand failed',
        cause: { name: 'Error', message: 'ProvisionedThroughputExceededException: slow down' },
      },
    });
    expect(JSON.stringify(line?.error)).toContain('StoreError: DynamoDB GetItemCommand failed');
  });

  it('never writes an email address or a member-link token, even inside an error and its cause', () => {
    const log = powertoolsLogger({}, createPowertoolsLogger());
    const cause = new Error('Email address is not verified: anna.svensson@example.com');
    const lines = captured(() => {
      log.warn('SES rejected the mail', { error: new Error(`link https://x.example/u/${TOKEN} refused`, { cause }) });
      log.info('member link', { url: `/p/${TOKEN}`, to: 'Anna <anna.svensson@example.com>' });
    });
    const written = JSON.stringify(lines);
    expect(lines).toHaveLength(2);
    expect(written).not.toContain('anna.svensson@example.com');
    expect(written).not.toContain(TOKEN);
    expect(written).toContain('[email]');
    expect(written).toContain('[token]');
  });

  it('adds the request id and whether it was a cold start once a handler passes its Lambda context', () => {
    const logger = createPowertoolsLogger();
    const context: Context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: 'send-mail',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-north-1:123456789012:function:send-mail',
      memoryLimitInMB: '512',
      awsRequestId: 'req-123',
      logGroupName: '/aws/lambda/send-mail',
      logStreamName: 'stream',
      getRemainingTimeInMillis: () => 1000,
      done: () => {},
      fail: () => {},
      succeed: () => {},
    };
    logger.addContext(context);
    const [line] = captured(() => powertoolsLogger({}, logger).info('mail sent'));
    expect(line).toMatchObject({
      function_request_id: 'req-123',
      function_name: 'send-mail',
      cold_start: expect.any(Boolean),
    });
  });

  it('takes its level from the environment', () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'WARN');
    const log = powertoolsLogger({}, createPowertoolsLogger());
    const lines = captured(() => {
      log.info('quiet');
      log.warn('loud');
    });
    expect(lines.map((l) => l.message)).toEqual(['loud']);
  });
});
