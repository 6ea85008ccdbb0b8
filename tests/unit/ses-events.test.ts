import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSesEvent, simulatorOutcome } from '../../lambdas/adapters/local-ses-event-builder.js';
import {
  MAIL_EVENT_KINDS,
  type MailEvent,
  parseMailEvent,
  toMailEvent,
  unwrapSesEvent,
} from '../../lambdas/core/ses-events.js';

const MESSAGE_ID = 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000';

function fixture(name: string): Record<string, unknown> {
  const value: unknown = JSON.parse(
    readFileSync(new URL(`../fixtures/ses-events/${name}.json`, import.meta.url), 'utf8'),
  );
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${name} is not an object`);
  return Object.fromEntries(Object.entries(value));
}

function parsed(body: unknown): MailEvent {
  const result = parseMailEvent(body);
  if (!result.ok) throw new Error(result.error);
  return result.event;
}

function errorOf(body: unknown): string {
  const result = parseMailEvent(body);
  if (result.ok) throw new Error('expected the event to be refused');
  return result.error;
}

/** A deep copy with fields set (or removed, for undefined) by path, so a fixture is never mutated. */
function edited(name: string, ...changes: Array<[path: readonly string[], value: unknown]>): Record<string, unknown> {
  const copy = structuredClone(fixture(name));
  for (const [path, value] of changes) {
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), copy);
    const key = path.at(-1);
    if (!isObject(parent) || key === undefined) throw new Error(`no ${path.join('.')} in ${name}`);
    if (value === undefined) delete parent[key];
    else parent[key] = value;
  }
  return copy;
}

function eventBridge(detailType: string, detail: unknown): unknown {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: 'aws.ses',
    account: '123456789012',
    time: '2017-08-05T00:41:03Z',
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

function sns(event: unknown): unknown {
  return {
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:ses-events',
    Message: JSON.stringify(event),
    Timestamp: '2017-08-05T00:41:03.000Z',
  };
}

const FIXTURES: Array<{ file: string; detailType: string; expected: Omit<MailEvent, 'tags'> }> = [
  {
    file: 'send',
    detailType: 'Email Sent',
    expected: {
      kind: 'send',
      messageId: MESSAGE_ID,
      at: '2016-10-14T05:02:16.645Z',
      mailAt: '2016-10-14T05:02:16.645Z',
      recipients: ['recipient@example.com'],
    },
  },
  {
    file: 'delivery',
    detailType: 'Email Delivered',
    expected: {
      kind: 'delivery',
      messageId: MESSAGE_ID,
      at: '2016-10-19T23:21:04.133Z',
      mailAt: '2016-10-19T23:20:52.240Z',
      recipients: ['recipient@example.com'],
      detail: '250 2.6.0 Message received',
    },
  },
  {
    file: 'bounce-permanent',
    detailType: 'Email Bounced',
    expected: {
      kind: 'hard-bounce',
      messageId: MESSAGE_ID,
      at: '2017-08-05T00:41:02.669Z',
      mailAt: '2017-08-05T00:40:02.012Z',
      recipients: ['recipient@example.com'],
      detail: 'Permanent/General',
    },
  },
  {
    file: 'bounce-transient',
    detailType: 'Email Bounced',
    expected: {
      kind: 'soft-bounce',
      messageId: MESSAGE_ID,
      at: '2017-08-05T00:41:02.669Z',
      mailAt: '2017-08-05T00:40:02.012Z',
      recipients: ['recipient@example.com'],
      detail: 'Transient/MailboxFull',
    },
  },
  {
    file: 'complaint',
    detailType: 'Email Complaint Received',
    expected: {
      kind: 'complaint',
      messageId: MESSAGE_ID,
      at: '2017-08-05T00:41:02.669Z',
      mailAt: '2017-08-05T00:40:01.123Z',
      recipients: ['recipient@example.com'],
      detail: 'abuse',
    },
  },
  {
    file: 'reject',
    detailType: 'Email Rejected',
    // AWS's example really has the sender in `destination`.
    expected: {
      kind: 'reject',
      messageId: MESSAGE_ID,
      at: '2016-10-14T17:38:15.211Z',
      mailAt: '2016-10-14T17:38:15.211Z',
      recipients: ['sender@example.com'],
      detail: 'Bad content',
    },
  },
  {
    file: 'rendering-failure',
    detailType: 'Email Rendering Failed',
    expected: {
      kind: 'rendering-failure',
      messageId: MESSAGE_ID,
      at: '2018-01-22T18:43:06.197Z',
      mailAt: '2018-01-22T18:43:06.197Z',
      recipients: ['recipient@example.com'],
      detail: "MyTemplate: Attribute 'attributeName' is not present in the rendering data.",
    },
  },
  {
    file: 'delivery-delay',
    detailType: 'Email Delivery Delayed',
    expected: {
      kind: 'delivery-delay',
      messageId: MESSAGE_ID,
      at: '2020-06-16T00:25:40.095Z',
      mailAt: '2020-06-16T00:15:40.641Z',
      recipients: ['recipient@example.com'],
      detail: 'TransientCommunicationFailure',
    },
  },
  {
    file: 'open',
    detailType: 'Email Opened',
    expected: {
      kind: 'open',
      messageId: MESSAGE_ID,
      at: '2017-08-09T22:00:19.652Z',
      mailAt: '2017-08-09T21:59:49.927Z',
      recipients: ['recipient@example.com'],
    },
  },
  {
    file: 'click',
    detailType: 'Email Clicked',
    expected: {
      kind: 'click',
      messageId: MESSAGE_ID,
      at: '2017-08-09T23:51:25.570Z',
      mailAt: '2017-08-09T23:50:05.795Z',
      recipients: ['recipient@example.com'],
      detail: 'http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html',
    },
  },
];

const FIXTURE_OF_KIND: Record<MailEvent['kind'], string> = {
  send: 'send',
  delivery: 'delivery',
  'hard-bounce': 'bounce-permanent',
  'soft-bounce': 'bounce-transient',
  complaint: 'complaint',
  reject: 'reject',
  'rendering-failure': 'rendering-failure',
  'delivery-delay': 'delivery-delay',
  open: 'open',
  click: 'click',
};

describe('AWS example events', () => {
  it.each(FIXTURES)('parses the $file example into a $expected.kind event', ({ file, expected }) => {
    // The AWS examples carry only ses:* and sample tags, none of ours.
    expect(parsed(fixture(file))).toEqual({ ...expected, tags: {} });
  });

  it.each(FIXTURES)('reads the $file example the same bare, from EventBridge and from SNS', ({ file, detailType }) => {
    const bare = parsed(fixture(file));
    expect(parsed(eventBridge(detailType, fixture(file)))).toEqual(bare);
    expect(parsed(sns(fixture(file)))).toEqual(bare);
  });

  it('reads the EventBridge example as the bounce inside it', () => {
    expect(parsed(fixture('eventbridge-bounce'))).toEqual(parsed(fixture('bounce-permanent')));
  });

  it('keeps the SES record itself from unwrapSesEvent, minus the fields it does not read', () => {
    const result = unwrapSesEvent(fixture('eventbridge-bounce'));
    expect(result.ok && result.event.eventType).toBe('Bounce');
    expect(result.ok && result.event.mail.tags).toEqual({
      'ses:configuration-set': ['ConfigSet'],
      'ses:source-ip': ['192.0.2.0'],
      'ses:from-domain': ['example.com'],
      'ses:caller-identity': ['ses_user'],
    });
  });
});

describe('bounce classification', () => {
  it.each([
    ['Permanent', 'hard-bounce'],
    ['Transient', 'soft-bounce'],
    ['Undetermined', 'soft-bounce'],
  ] as const)('treats a %s bounce as a %s', (bounceType, kind) => {
    const body = edited('bounce-permanent', [['bounce', 'bounceType'], bounceType]);
    expect(parsed(body).kind).toBe(kind);
  });

  it('refuses a bounce type SES does not document', () => {
    const body = edited('bounce-permanent', [['bounce', 'bounceType'], 'Soft']);
    expect(errorOf(body)).toMatch(/^bounce\.bounceType: /);
  });
});

describe('our tags', () => {
  it('takes the first value of each of our tags and ignores the others', () => {
    const body = edited(
      'delivery',
      [
        ['mail', 'tags', 'sendId'],
        ['s1', 's2'],
      ],
      [['mail', 'tags', 'club'], ['c1']],
      [['mail', 'tags', 'campaign'], ['k1']],
      [['mail', 'tags', 'member'], ['m1']],
      [['mail', 'tags', 'kind'], ['newsletter']],
      [['mail', 'tags', 'other'], ['x']],
    );
    expect(parsed(body).tags).toEqual({ sendId: 's1', club: 'c1', campaign: 'k1', member: 'm1', kind: 'newsletter' });
  });

  it('never reads a tag through Object.prototype and never pollutes it', () => {
    const body = JSON.parse(
      JSON.stringify(fixture('send')).replace(
        '"tags":{',
        '"tags":{"__proto__":["polluted"],"constructor":["c"],"toString":["t"],"hasOwnProperty":["h"],',
      ),
    );
    const event = parsed(body);
    expect(event.tags).toEqual({});
    expect(Object.keys(event.tags)).toEqual([]);
    expect(Object.getPrototypeOf(event.tags)).toBe(Object.prototype);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(Object.hasOwn(Object.prototype, '0')).toBe(false);
  });

  it('reads a tag named like a prototype member as absent when SES did not send it', () => {
    const body = edited('send', [['mail', 'tags'], { club: ['c1'] }]);
    const event = parsed(body);
    expect(event.tags).toEqual({ club: 'c1' });
    expect(Object.hasOwn(event.tags, 'kind')).toBe(false);
  });
});

describe('malformed events', () => {
  it('names mail.messageId when it is missing, with the envelope path', () => {
    const detail = edited('bounce-permanent', [['mail', 'messageId'], undefined]);
    expect(errorOf(detail)).toMatch(/^mail\.messageId: Invalid input: expected string/);
    expect(errorOf(eventBridge('Email Bounced', detail))).toMatch(
      /^detail\.mail\.messageId: Invalid input: expected string/,
    );
    expect(errorOf(sns(detail))).toMatch(/^Message\.mail\.messageId: Invalid input: expected string/);
  });

  it('names eventType when it is unknown', () => {
    const body = edited('send', [['eventType'], 'Subscription']);
    expect(errorOf(body)).toMatch(/^eventType: /);
  });

  it('names bounce.bounceType when a bounce has none', () => {
    const body = edited('bounce-permanent', [['bounce', 'bounceType'], undefined]);
    expect(errorOf(body)).toMatch(/^bounce\.bounceType: /);
  });

  it('refuses an identity feedback notification (notificationType) with a reason', () => {
    const body = edited('bounce-permanent', [['notificationType'], 'Bounce'], [['eventType'], undefined]);
    expect(errorOf(body)).toMatch(/^eventType: missing; a notificationType record/);
  });

  it('refuses an EventBridge event from another source', () => {
    const body = { ...fixture('eventbridge-bounce'), source: 'aws.ec2' };
    expect(errorOf(body)).toMatch(/^source: /);
  });

  it('refuses an EventBridge event whose detail-type does not match its record', () => {
    expect(errorOf(eventBridge('Email Delivered', fixture('bounce-permanent')))).toMatch(/^detail-type: /);
  });

  it('refuses an SNS notification whose Message is not JSON', () => {
    expect(errorOf({ Type: 'Notification', Message: '{not json' })).toBe('Message: not JSON');
  });

  it.each([null, 42, 'text', []])('refuses %j as a body', (body) => {
    expect(parseMailEvent(body).ok).toBe(false);
  });

  it('refuses a timestamp that is not ISO 8601', () => {
    const body = edited('delivery', [['delivery', 'timestamp'], 'yesterday']);
    expect(errorOf(body)).toMatch(/^delivery\.timestamp: /);
  });
});

describe('buildSesEvent', () => {
  const mail = (overrides: Partial<Parameters<typeof buildSesEvent>[1]> = {}) => ({
    messageId: `local-${randomUUID()}`,
    from: 'Club <club@example.com>',
    to: 'member@example.com',
    subject: 'Your offers',
    tags: {
      sendId: randomUUID().replaceAll('-', ''),
      club: `club-${randomUUID()}`,
      campaign: 'spring',
      member: `m-${randomUUID()}`,
      kind: 'newsletter',
    },
    sentAt: new Date('2024-05-01T10:00:00.000Z'),
    at: new Date('2024-05-01T10:00:02.500Z'),
    configurationSet: 'club-planner-local',
    ...overrides,
  });

  it.each(MAIL_EVENT_KINDS.map((kind) => ({ kind })))(
    'builds a $kind event that parses back to the same kind, id and tags',
    ({ kind }) => {
      const input = mail();
      const event = parsed(buildSesEvent(kind, input));
      expect(event).toMatchObject({
        kind,
        messageId: input.messageId,
        tags: input.tags,
        mailAt: '2024-05-01T10:00:00.000Z',
      });
      const expectedAt =
        kind === 'send' || kind === 'reject' || kind === 'rendering-failure'
          ? '2024-05-01T10:00:00.000Z'
          : '2024-05-01T10:00:02.500Z';
      expect(event.at).toBe(expectedAt);
    },
  );

  it.each(MAIL_EVENT_KINDS.map((kind) => ({ kind })))(
    'builds a $kind detail with the top-level keys of the AWS example',
    ({ kind }) => {
      const built = buildSesEvent(kind, mail());
      const detail = unwrapSesEvent(built).ok && isObject(built) ? built.detail : undefined;
      expect(isObject(detail) && Object.keys(detail).sort()).toEqual(
        Object.keys(fixture(FIXTURE_OF_KIND[kind])).sort(),
      );
    },
  );

  it('wraps events in the envelope keys of the EventBridge example', () => {
    const built = buildSesEvent('hard-bounce', mail());
    expect(isObject(built) && Object.keys(built).sort()).toEqual(Object.keys(fixture('eventbridge-bounce')).sort());
    expect(built).toMatchObject({
      source: 'aws.ses',
      'detail-type': 'Email Bounced',
      resources: ['arn:aws:ses:us-east-1:000000000000:configuration-set/club-planner-local'],
    });
  });

  it('adds the ses:configuration-set tag only when a configuration set is given', () => {
    const withSet = unwrapSesEvent(buildSesEvent('send', mail()));
    const withoutSet = unwrapSesEvent(buildSesEvent('send', mail({ configurationSet: undefined })));
    expect(withSet.ok && withSet.event.mail.tags?.['ses:configuration-set']).toEqual(['club-planner-local']);
    expect(
      withoutSet.ok && withoutSet.event.mail.tags && Object.hasOwn(withoutSet.event.mail.tags, 'ses:configuration-set'),
    ).toBe(false);
  });

  it('defaults the event time to the send time', () => {
    expect(parsed(buildSesEvent('delivery', mail({ at: undefined }))).at).toBe('2024-05-01T10:00:00.000Z');
  });

  it('keeps a tag named __proto__ as data, without touching any prototype', () => {
    const tags = JSON.parse('{"__proto__":"x","club":"c1"}');
    const built = buildSesEvent('send', mail({ tags }));
    const json = JSON.parse(JSON.stringify(built));
    expect(Object.hasOwn(json.detail.mail.tags, '__proto__')).toBe(true);
    expect(Object.hasOwn({}, 'x')).toBe(false);
    expect(parsed(built).tags).toEqual({ club: 'c1' });
  });
});

describe('simulatorOutcome', () => {
  it.each([
    ['success@simulator.amazonses.com', 'delivery'],
    ['bounce@simulator.amazonses.com', 'hard-bounce'],
    ['ooto@simulator.amazonses.com', 'soft-bounce'],
    ['complaint@simulator.amazonses.com', 'complaint'],
    ['suppressionlist@simulator.amazonses.com', 'suppressed'],
    ['success+label1@simulator.amazonses.com', 'delivery'],
    ['bounce+abc@simulator.amazonses.com', 'hard-bounce'],
    ['ooto+x-1@simulator.amazonses.com', 'soft-bounce'],
    ['complaint+member-42@simulator.amazonses.com', 'complaint'],
    ['suppressionlist+a+b@simulator.amazonses.com', 'suppressed'],
    ['Bounce@Simulator.AmazonSES.com', 'hard-bounce'],
    ['Member <bounce+m1@simulator.amazonses.com>', 'hard-bounce'],
  ] as const)('maps %s to %s', (to, outcome) => {
    expect(simulatorOutcome(to)).toBe(outcome);
  });

  it.each([
    'member@example.com',
    'bounce@example.com',
    'bounce@simulator.amazonses.com.example.com',
    'unknown@simulator.amazonses.com',
    'constructor@simulator.amazonses.com',
    '__proto__@simulator.amazonses.com',
    'not an address',
  ])('delivers to %s', (to) => {
    expect(simulatorOutcome(to)).toBe('delivery');
  });
});

describe('toMailEvent', () => {
  it('gives the affected recipients, not the whole destination', () => {
    const result = unwrapSesEvent(
      edited(
        'bounce-permanent',
        [
          ['mail', 'destination'],
          ['a@example.com', 'b@example.com'],
        ],
        [['bounce', 'bouncedRecipients'], [{ emailAddress: 'b@example.com' }]],
      ),
    );
    expect(result.ok && toMailEvent(result.event).recipients).toEqual(['b@example.com']);
  });

  it('shortens a long detail', () => {
    const body = edited('rendering-failure', [['failure', 'errorMessage'], 'x'.repeat(1000)]);
    expect(parsed(body).detail?.length).toBe(200);
  });
});

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
