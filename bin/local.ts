/**
 * `npm start`: the whole Club Planner on this machine, on embedded defaults.
 * DynamoDB emulator (data under .data/), local SES with its web inbox, the HTTP API and member
 * pages, and in-process stand-ins for SQS and EventBridge Scheduler calling the real handlers.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../lambdas/core/ports.js';
import { type TokenKeys, TokenKeysJson, signToken } from '../lambdas/core/tokens.js';
import { startLocalSystem } from '../lambdas/runtime/local-system.js';
import { demoGroceryClub } from './demo-club.js';
import { seedDemo } from './seed-demo.js';

const LocalConfig = z.object({
  CLUB_PLANNER_DATA: z.string().default('.data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SES_PORT: z.coerce.number().int().min(0).max(65535).default(8005),
  DYNAMODB_PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  DEMO_DELAY_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  LOG_LEVEL: z.enum(['info', 'warn', 'error']).default('warn'),
});

function consoleLogger(minLevel: 'info' | 'warn' | 'error'): Logger {
  const order = { info: 0, warn: 1, error: 2 } as const;
  const write = (level: 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) => {
    if (order[level] < order[minLevel]) return;
    const detail = Object.entries(fields ?? {})
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    console.log(`[${level}] ${message}${detail ? ` ${detail}` : ''}`);
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

/** Token keys persist with the data, so links in mails from an earlier run keep working. */
function localTokenKeys(dataDir: string): TokenKeys {
  const file = join(dataDir, 'token-keys.json');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify({ current: 'local1', local1: randomBytes(32).toString('base64url') }), { mode: 0o600 });
  }
  return TokenKeysJson.parse(JSON.parse(readFileSync(file, 'utf8')));
}

async function main(): Promise<void> {
  const config = LocalConfig.parse(process.env);
  const log = consoleLogger(config.LOG_LEVEL);
  const tokenKeys = localTokenKeys(config.CLUB_PLANNER_DATA);
  const system = await startLocalSystem({
    dataDir: join(config.CLUB_PLANNER_DATA, 'dynamodb'),
    dynamoPort: config.DYNAMODB_PORT,
    sesPort: config.SES_PORT,
    httpPort: config.PORT,
    tokenKeys,
    log,
  });
  const { deps, app } = system;
  // The emulators listen on 127.0.0.1; people read "localhost".
  const human = (url: string) => url.replace('//127.0.0.1:', '//localhost:');
  const urls = { http: human(system.urls.http), ses: human(system.urls.ses), dynamodb: human(system.urls.dynamodb) };

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await system.stop();
    console.log('Stopped. Data is kept in', config.CLUB_PLANNER_DATA, '(delete it to start over).');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const demo = demoGroceryClub(new Date());
  const clubId = demo.club.clubId;
  if (await deps.clubs.getClub(clubId)) {
    console.log(`Reusing the data in ${config.CLUB_PLANNER_DATA}/ (demo club "${demo.club.name}" is already there).`);
  } else {
    await seedDemo(deps, demo);
    console.log(
      `Seeded "${demo.club.name}": ${demo.products.length} products, ${demo.offers.length} offers, ${demo.members.length} members.`,
    );
  }

  // The demo campaign goes through the marketer API, exactly as a marketer's would.
  const sendAt = new Date(Date.now() + config.DEMO_DELAY_SECONDS * 1000).toISOString();
  const created = await app.request(`/api/clubs/${clubId}/campaigns`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: `Veckans medlemserbjudanden ${sendAt.slice(0, 16).replace('T', ' ')}`,
      theme: 'community',
      offerPool: demo.offers.map((o) => o.offerId),
      sendAt,
    }),
  });
  const campaignId = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(await created.json()).campaign.campaignId;
  await app.request(`/api/clubs/${clubId}/campaigns/${campaignId}/schedule`, { method: 'POST' });

  const firstMember = demo.members[0];
  const preferenceUrl = firstMember
    ? `${urls.http}/p/${signToken(tokenKeys, { purpose: 'preferences', clubId, memberId: firstMember.memberId }, new Date())}`
    : '(no members)';
  console.log(`
Club Planner is running locally.
  SES inbox (sent mail):   ${urls.ses}/
  Marketer API:            ${urls.http}/api/clubs/${clubId}
  Campaign report:         ${urls.http}/api/clubs/${clubId}/campaigns/${campaignId}
  A member's preferences:  ${preferenceUrl}
  DynamoDB emulator:       ${urls.dynamodb}

Demo campaign ${campaignId} is scheduled for ${sendAt} (in ${config.DEMO_DELAY_SECONDS} s). Ctrl-C stops everything.
`);

  // Report the outcome once the campaign has been planned and the send queue has drained.
  const deadline = Date.now() + 60_000;
  while (!stopping && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const campaign = await deps.campaigns.getCampaign(clubId, campaignId);
    if (campaign?.status !== 'planned') continue;
    await system.settle();
    const report = await app.request(`/api/clubs/${clubId}/campaigns/${campaignId}`);
    const { report: r } = z
      .object({
        report: z.object({
          sent: z.number(),
          planned: z.number(),
          suppressed: z.record(z.string(), z.number()),
          dropped: z.record(z.string(), z.number()),
        }),
      })
      .parse(await report.json());
    const reasons = Object.entries(r.suppressed)
      .map(([reason, n]) => `${reason}: ${n}`)
      .join(', ');
    console.log(`Demo campaign done: ${r.sent} mails sent of ${r.planned} members planned. Suppressed: ${reasons || 'none'}.`);
    if (r.sent === 0 && (r.suppressed['budget-window'] ?? 0) > 0) {
      console.log('Members were mailed by an earlier run less than 3 days ago, so the budget held this one back.');
      console.log(`Delete ${config.CLUB_PLANNER_DATA}/ to start from scratch.`);
    }
    console.log(`Open ${urls.ses}/ to read the mail.`);
    break;
  }
}

main().catch((error: unknown) => {
  console.error('Club Planner failed to start:', error instanceof Error ? error.message : error);
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    console.error('A port is in use. Set PORT, SES_PORT or DYNAMODB_PORT to free ports.');
  }
  process.exit(1);
});
