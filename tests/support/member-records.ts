/**
 * A member as a club's CRM posts it to `POST /clubs/:club/members`: consented to marketing mail in
 * January 2025, no choices of their own yet. `fields` adds to it or overrides it.
 */
export function memberRecord(memberId: string, email: string, fields: Record<string, unknown> = {}) {
  return {
    memberId,
    email,
    firstName: memberId,
    language: 'en',
    joinedAt: '2025-01-01T00:00:00.000Z',
    consent: {
      marketing: true,
      textVersion: 'v1',
      at: '2025-01-01T00:00:00.000Z',
      source: 'test',
      legalBasis: 'consent',
    },
    preferences: {},
    ...fields,
  };
}
