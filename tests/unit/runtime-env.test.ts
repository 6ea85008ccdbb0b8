import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../lambdas/runtime/env.js';

const base = { TABLE_NAME: 'club-planner' };

describe('the functions environment', () => {
  it('parses SENDING_DOMAINS, the same JSON as the sendingDomains context value', () => {
    const domains = [
      { clubId: 'stadsbutiken', domain: 'klubb.stadsbutiken.se', mailFromSubdomain: 'bounce' },
      { clubId: 'boghandlen', domain: 'boghandlen.dk' },
    ];
    expect(parseEnv({ ...base, SENDING_DOMAINS: JSON.stringify(domains) }).SENDING_DOMAINS).toEqual(domains);
    expect(parseEnv({ ...base, SENDING_DOMAINS: '[]' }).SENDING_DOMAINS).toEqual([]);
  });

  it.each([
    ['SENDING_DOMAINS', '{not json', /SENDING_DOMAINS: is not valid JSON/],
    ['SENDING_DOMAINS', '[{"clubId":"a","domain":"A.SE"}]', /SENDING_DOMAINS\.0\.domain/],
    ['SCHEDULER_MAX_RETRY_ATTEMPTS', '186', /SCHEDULER_MAX_RETRY_ATTEMPTS/],
    ['SCHEDULER_MAX_EVENT_AGE_SECONDS', '59', /SCHEDULER_MAX_EVENT_AGE_SECONDS/],
    ['AUTH_ISSUER', 'cognito', /AUTH_ISSUER/],
  ])('refuses %s=%s, naming the variable', (name, value, message) => {
    expect(() => parseEnv({ ...base, [name]: value })).toThrow(message);
  });

  it('reads the machine client ids as a comma-separated list, empty when there are none', () => {
    expect(parseEnv({ ...base, AUTH_MACHINE_CLIENT_IDS: 'a1,b2' }).AUTH_MACHINE_CLIENT_IDS).toEqual(['a1', 'b2']);
    expect(parseEnv({ ...base, AUTH_MACHINE_CLIENT_IDS: '' }).AUTH_MACHINE_CLIENT_IDS).toEqual([]);
  });

  it('reads the scheduler retry policy as numbers', () => {
    const env = parseEnv({ ...base, SCHEDULER_MAX_RETRY_ATTEMPTS: '10', SCHEDULER_MAX_EVENT_AGE_SECONDS: '3600' });
    expect(env.SCHEDULER_MAX_RETRY_ATTEMPTS).toBe(10);
    expect(env.SCHEDULER_MAX_EVENT_AGE_SECONDS).toBe(3600);
  });
});
