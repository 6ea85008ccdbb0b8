/**
 * `npm start`: the whole Club Planner on this machine, on embedded defaults.
 * DynamoDB emulator (data under .data/), local SES with its web inbox, the HTTP API and member
 * pages, and in-process stand-ins for SQS and EventBridge Scheduler calling the real handlers.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { redact } from '../lambdas/adapters/powertools-logger.js';
import type { Club, Emotion } from '../lambdas/core/model.js';
import type { Logger } from '../lambdas/core/ports.js';
import { OPERATOR_GROUP } from '../lambdas/core/principal.js';
import { type ClubRole, clubScope } from '../lambdas/core/roles.js';
import { emailDomain } from '../lambdas/core/sender-domain.js';
import { SendingDomains } from '../lambdas/core/sending-domains.js';
import { signToken, type TokenKeys, TokenKeysJson } from '../lambdas/core/tokens.js';
import { repeatEvery } from '../lambdas/runtime/local-feedback.js';
import { type LocalSystem, startLocalSystem } from '../lambdas/runtime/local-system.js';
import { clientCredentialsToken } from '../lambdas/runtime/oidc-client.js';
import { demoBookstoreClub } from './demo-bookstore.js';
import { type DemoClub, demoGroceryClub } from './demo-club.js';
import { demoSignIns, type SignIn, writeRunning } from './local-identity.js';
import { seedDemo } from './seed-demo.js';

const LocalConfig = z.object({
  CLUB_PLANNER_DATA: z.string().default('.data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SES_PORT: z.coerce.number().int().min(0).max(65535).default(8005),
  DYNAMODB_PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  AUTH_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  DEMO_DELAY_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  /** Mails per second the local SES takes (unpaced when unset), e.g. to watch a campaign go out. */
  SEND_RATE_PER_SECOND: z.coerce.number().positive().max(1000).optional(),
  /** Send batches (of 10 mails) at once; Ctrl-C lets the running ones finish. */
  SEND_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(4),
  LOG_LEVEL: z.enum(['info', 'warn', 'error']).default('warn'),
  /** More sending domains beside the demo clubs' (the same JSON as on AWS); locally they count as verified. */
  SENDING_DOMAINS: z
    .string()
    .default('[]')
    .transform((text, ctx) => {
      try {
        const parsed: unknown = JSON.parse(text);
        return parsed;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(SendingDomains),
});

/** Errors with their name, message and cause (JSON.stringify alone writes `{}`), and nothing private. */
function readable(key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, cause: value.cause };
  return redact(key, value);
}

function consoleLogger(minLevel: 'info' | 'warn' | 'error'): Logger {
  const order = { info: 0, warn: 1, error: 2 } as const;
  const write = (level: 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) => {
    if (order[level] < order[minLevel]) return;
    const detail = Object.entries(fields ?? {})
      .map(([k, v]) => `${k}=${typeof v === 'string' ? redact(k, v) : JSON.stringify(v, readable)}`)
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
    writeFileSync(file, JSON.stringify({ current: 'local1', local1: randomBytes(32).toString('base64url') }), {
      mode: 0o600,
    });
  }
  return TokenKeysJson.parse(JSON.parse(readFileSync(file, 'utf8')));
}

async function main(): Promise<void> {
  const config = LocalConfig.parse(process.env);
  const log = consoleLogger(config.LOG_LEVEL);
  const tokenKeys = localTokenKeys(config.CLUB_PLANNER_DATA);
  // Two demo clubs with different brand emotions, so their mails can be compared side by side.
  const now = new Date();
  const demos: readonly DemoSetup[] = [
    { demo: demoGroceryClub(now), theme: 'community', campaignName: (at) => `Veckans medlemserbjudanden ${at}` },
    { demo: demoBookstoreClub(now), theme: 'curiosity', campaignName: (at) => `Ugens læsetips ${at}` },
  ];
  // Each demo club sends from its own domain, which the local SES treats as verified (README, "Sending domains").
  const sendingDomains = SendingDomains.parse([
    ...demos.map(({ demo }) => ({ clubId: demo.club.clubId, domain: emailDomain(demo.club.senderEmail) })),
    ...config.SENDING_DOMAINS,
  ]);
  const system = await startLocalSystem({
    dataDir: join(config.CLUB_PLANNER_DATA, 'dynamodb'),
    identityDir: join(config.CLUB_PLANNER_DATA, 'identity'),
    archiveDir: join(config.CLUB_PLANNER_DATA, 'archive'),
    dynamoPort: config.DYNAMODB_PORT,
    sesPort: config.SES_PORT,
    httpPort: config.PORT,
    authPort: config.AUTH_PORT,
    filesDir: join(config.CLUB_PLANNER_DATA, 'imports'),
    inboxGraceMs: 500,
    tokenKeys,
    log,
    // Cognito mails the invitation; locally the temporary password is printed.
    onInvite: (email, password) => console.log(`Invited ${email}: temporary password ${password}`),
    sendingDomains,
    sendConcurrency: config.SEND_CONCURRENCY,
    ...(config.SEND_RATE_PER_SECOND ? { sendRatePerSecond: config.SEND_RATE_PER_SECOND } : {}),
  });
  const { deps } = system;
  // Overdue feedback cases show as a warning line every minute (an alarm on AWS, checked every 15 minutes).
  const stopFeedbackCheck = repeatEvery(() => system.handlers.checkFeedbackCases(), 60_000, log);
  // The emulators listen on 127.0.0.1; people read "localhost".
  const human = (url: string) => url.replace('//127.0.0.1:', '//localhost:');
  const urls = {
    http: human(system.urls.http),
    ses: human(system.urls.ses),
    dynamodb: human(system.urls.dynamodb),
    issuer: system.urls.issuer,
  };

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    stopFeedbackCheck();
    await system.stop();
    console.log('Stopped. Data is kept in', config.CLUB_PLANNER_DATA, '(delete it to start over).');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  for (const { demo } of demos) {
    if (await deps.clubs.getClub(demo.club.clubId)) {
      console.log(`Reusing the data in ${config.CLUB_PLANNER_DATA}/ (demo club "${demo.club.name}" is already there).`);
    } else {
      await seedDemo(deps, demo);
      console.log(
        `Seeded "${demo.club.name}": ${demo.products.length} products, ${demo.offers.length} offers, ${demo.members.length} members.`,
      );
    }
  }

  const signIns = await seedSignIns(config.CLUB_PLANNER_DATA, system, demos);

  // The nightly model fit, as the stack runs it on Athena: here DuckDB over .data/archive, now and daily;
  // then the count of each running experiment, so its figures are waiting.
  const fitStart = Date.now();
  const { fitted, counted } = await system.modelFit.nightly();
  system.modelFit.startNightly();
  if (fitted > 0) console.log(`Fitted the club model of ${fitted} clubs with DuckDB in ${Date.now() - fitStart} ms.`);
  if (counted > 0) console.log(`Counted the running experiment of ${counted} clubs.`);

  // The demo campaigns go through the marketer API, exactly as a marketer's would: with a bearer token.
  const sendAt = new Date(Date.now() + config.DEMO_DELAY_SECONDS * 1000).toISOString();
  const scheduled: ScheduledDemo[] = [];
  for (const setup of demos) {
    const token = await clientCredentialsToken({
      tokenEndpoint: system.identity.issuer.tokenEndpoint,
      ...system.identity.issuer.cli,
      scope: clubScope(setup.demo.club.clubId, 'editor'),
    });
    const campaignId = await scheduleDemoCampaign(system.urls.http, setup, sendAt, token);
    const { club, members } = setup.demo;
    const firstMember = members[0];
    const preferenceUrl = firstMember
      ? `${urls.http}/p/${signToken(tokenKeys, { purpose: 'preferences', clubId: club.clubId, memberId: firstMember.memberId }, new Date())}`
      : '(no members)';
    scheduled.push({ club, campaignId, preferenceUrl, token });
  }

  const perClub = scheduled
    .map(
      ({ club, campaignId, preferenceUrl }) => `
${club.name} (${club.clubId}: brand ${club.brand.primaryEmotion}, ${club.language})
  Marketer API:            ${urls.http}/api/clubs/${club.clubId}
  Campaign report:         ${urls.http}/api/clubs/${club.clubId}/campaigns/${campaignId}
  A member's preferences:  ${preferenceUrl}`,
    )
    .join('\n');
  const campaignList = scheduled.map(({ club, campaignId }) => `${campaignId} (${club.clubId})`).join(' and ');
  const people = signIns
    .map(
      (s) =>
        `  ${s.email.padEnd(30)} password ${s.password}  ${s.clubId ? `${s.role} of ${s.clubId}` : 'operators group: creates clubs'}`,
    )
    .join('\n');
  console.log(`
Club Planner is running locally.
  Marketer console:        ${urls.http}/console/  (sign in with a marketer below)
  SES inbox (sent mail):   ${urls.ses}/
  DynamoDB emulator:       ${urls.dynamodb}
  Sign-in (OIDC issuer):   ${urls.issuer}
${perClub}

Marketers: sign in to the console at ${urls.http}/console/ with these (curl: TOKEN=$(npm run --silent dev-token -- --user <e-mail>)):
${people}
Scripts: TOKEN=$(npm run --silent dev-token -- --club stadsbutiken --role editor), then curl -H "authorization: Bearer $TOKEN" …

Demo campaigns ${campaignList} are scheduled for ${sendAt} (in ${config.DEMO_DELAY_SECONDS} s). Ctrl-C stops everything.
`);

  // Report the outcomes once every campaign has been planned and the send queue has drained.
  const deadline = Date.now() + 60_000;
  let planned = false;
  while (!stopping && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const campaigns = await Promise.all(scheduled.map((s) => deps.campaigns.getCampaign(s.club.clubId, s.campaignId)));
    if (campaigns.every((c) => c?.status === 'planned')) {
      planned = true;
      break;
    }
  }
  if (stopping) return;
  if (!planned) {
    console.log('The demo campaigns were not all planned within 60 s; their report URLs above show where they are.');
    return;
  }
  await system.settle();
  let heldBack = false;
  for (const { club, campaignId, token } of scheduled) {
    const r = await demoReport(system.urls.http, club.clubId, campaignId, token);
    const reasons = Object.entries(r.suppressed)
      .map(([reason, n]) => `${reason}: ${n}`)
      .join(', ');
    console.log(
      `Demo campaign done: ${r.sent} mails sent of ${r.planned} members planned for ${club.name} (${club.clubId}). Suppressed: ${reasons || 'none'}.`,
    );
    if (r.sent === 0 && (r.suppressed['budget-window'] ?? 0) > 0) heldBack = true;
  }
  if (heldBack) {
    console.log('Members were mailed by an earlier run less than 3 days ago, so the budget held the new mail back.');
    console.log(`Delete ${config.CLUB_PLANNER_DATA}/ to start from scratch.`);
  }
  console.log(`Open ${urls.ses}/ to read the mail.`);
}

interface DemoSetup {
  readonly demo: DemoClub;
  readonly theme: Emotion;
  /** The campaign's name in the club's language, given the send time. */
  readonly campaignName: (sendAt: string) => string;
}

interface ScheduledDemo {
  readonly club: Club;
  readonly campaignId: string;
  readonly preferenceUrl: string;
  /** A demo script's bearer token (editor of the club). */
  readonly token: string;
}

/** The demo marketers of each club and the operator: local users with roles, passwords kept under .data/. */
const DEMO_MARKETERS: Readonly<Record<string, { email: string; role: ClubRole }>> = {
  stadsbutiken: { email: 'anna@stadsbutiken.example', role: 'admin' },
  boghandlen: { email: 'mads@boghandlen.example', role: 'editor' },
};

async function seedSignIns(dataDir: string, system: LocalSystem, demos: readonly DemoSetup[]): Promise<SignIn[]> {
  const marketers = demos.flatMap(({ demo }) => {
    const marketer = Object.hasOwn(DEMO_MARKETERS, demo.club.clubId) ? DEMO_MARKETERS[demo.club.clubId] : undefined;
    return marketer ? [{ ...marketer, clubId: demo.club.clubId }] : [];
  });
  const signIns = demoSignIns(dataDir, marketers);
  const { users, issuer } = system.identity;
  for (const signIn of signIns) {
    const user = await users.upsert(signIn.email, signIn.password, signIn.clubId ? [] : [OPERATOR_GROUP]);
    if (signIn.clubId && signIn.role) {
      await system.deps.roles.put({
        clubId: signIn.clubId,
        userId: user.sub,
        email: user.email,
        role: signIn.role,
        grantedBy: 'npm-start',
        grantedAt: new Date().toISOString(),
      });
    }
  }
  writeRunning(dataDir, {
    issuer: issuer.issuer,
    tokenEndpoint: issuer.tokenEndpoint,
    api: system.urls.http,
    consoleClientId: issuer.consoleClientId,
    consoleRedirectUri: issuer.consoleRedirectUri,
    cli: issuer.cli,
  });
  return signIns;
}

const CreatedCampaign = z.object({ campaign: z.object({ campaignId: z.string() }) });
const DemoReport = z.object({
  report: z.object({
    sent: z.number(),
    planned: z.number(),
    suppressed: z.record(z.string(), z.number()),
    dropped: z.record(z.string(), z.number()),
  }),
});
type DemoReport = z.infer<typeof DemoReport>['report'];

/** Create and schedule one demo campaign through the marketer API, over HTTP as curl would; its id. */
async function scheduleDemoCampaign(
  base: string,
  { demo, theme, campaignName }: DemoSetup,
  sendAt: string,
  token: string,
): Promise<string> {
  const clubId = demo.club.clubId;
  const authorization = `Bearer ${token}`;
  const created = await fetch(`${base}/api/clubs/${clubId}/campaigns`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({
      name: campaignName(sendAt.slice(0, 16).replace('T', ' ')),
      theme,
      offerPool: demo.offers.map((o) => o.offerId),
      sendAt,
    }),
  });
  if (!created.ok)
    throw new Error(`creating the ${clubId} demo campaign answered ${created.status}: ${await created.text()}`);
  const { campaignId } = CreatedCampaign.parse(await created.json()).campaign;
  const schedule = await fetch(`${base}/api/clubs/${clubId}/campaigns/${campaignId}/schedule`, {
    method: 'POST',
    headers: { authorization },
  });
  if (!schedule.ok)
    throw new Error(`scheduling the ${clubId} demo campaign answered ${schedule.status}: ${await schedule.text()}`);
  return campaignId;
}

async function demoReport(base: string, clubId: string, campaignId: string, token: string): Promise<DemoReport> {
  const response = await fetch(`${base}/api/clubs/${clubId}/campaigns/${campaignId}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok)
    throw new Error(`the ${clubId} demo campaign report answered ${response.status}: ${await response.text()}`);
  return DemoReport.parse(await response.json()).report;
}

main().catch((error: unknown) => {
  console.error('Club Planner failed to start:', error instanceof Error ? error.message : error);
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    console.error('A port is in use. Set PORT, SES_PORT, DYNAMODB_PORT or AUTH_PORT to free ports.');
  }
  process.exit(1);
});
