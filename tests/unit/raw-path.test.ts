import { describe, expect, it } from 'vitest';
import { originVerified } from '../../lambdas/http/origin-verify.js';
import { isNormalPath } from '../../lambdas/http/raw-path.js';

describe('raw paths', () => {
  it.each([
    '/p/x/%2e%2e/%2e%2e/api/clubs/stadsbutiken/members/m001/export',
    '/p/x/%2E%2E/api/clubs/a',
    '/p/x/../../api/clubs/a',
    '/p/x/./a',
    '/p/x/.%2e/api',
    '/p/x\\..\\..\\api',
    '//evil.example/api',
    '/p/a b',
    'api/clubs',
  ])('refuses %s, whose normalised form differs', (path) => {
    expect(isNormalPath(path)).toBe(false);
  });

  it.each([
    '/api/clubs/stadsbutiken/campaigns/cmp-1/dry-run?limit=5',
    '/p/k1.cGF5bG9hZA.AbCdEfGhIjKlMnOpQrStUg/export',
    '/u/k1.cGF5bG9hZA.AbCdEfGhIjKlMnOpQrStUg',
    '/health',
    '/',
  ])('lets %s through', (path) => {
    expect(isNormalPath(path)).toBe(true);
  });
});

describe('the origin header', () => {
  it('matches only the exact secret', () => {
    expect(originVerified('s3cret-value', 's3cret-value')).toBe(true);
    expect(originVerified('s3cret-valuE', 's3cret-value')).toBe(false);
    expect(originVerified('s3cret', 's3cret-value')).toBe(false);
    expect(originVerified(undefined, 's3cret-value')).toBe(false);
  });
});
