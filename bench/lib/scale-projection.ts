/**
 * AWS list prices (us-east-1, on-demand, as of November 2026; the same DynamoDB and SES figures as
 * bench:send). Check them before relying on the projection.
 */
export const PRICES = {
  asOf: 'November 2026, us-east-1 list prices',
  sesPerMail: 0.1 / 1000,
  dynamoWritePerUnit: 0.625 / 1e6,
  dynamoReadPerUnit: 0.125 / 1e6,
  lambdaPerGbSecond: 0.0000133334, // arm64
  lambdaPerRequest: 0.2 / 1e6,
  sqsPerRequest: 0.4 / 1e6,
  stepFunctionsPerTransition: 0.025 / 1000,
  athenaPerTbScanned: 5,
  athenaMinBytesPerQuery: 10 * 1024 * 1024,
  s3PerGbMonth: 0.023,
  s3PerPut: 0.005 / 1000,
  s3PerGet: 0.0004 / 1000,
  schedulerPerInvocation: 1 / 1e6,
} as const;

/** What the local run measured, per unit of work. */
export interface Measured {
  readonly members: number;
  /** Share of planned members decided "send". */
  readonly sendShare: number;
  readonly planReadsPerMember: number;
  readonly planWritesPerMember: number;
  readonly sendReadsPerMail: number;
  readonly sendWritesPerMail: number;
  /** Seconds of one plan-shard invocation (one page) and one sendMail batch, as run locally. */
  readonly planPageSeconds: number;
  readonly sendBatchSeconds: number;
  readonly planMembersPerSecond: number;
  /** Parquet bytes per archived receipt line, and the fit's lines per second on DuckDB here. */
  readonly archiveBytesPerLine: number;
  readonly fitLinesPerSecond: number;
  /** Bytes of a member item, which is what the member snapshot reads per member. */
  readonly memberItemBytes: number;
  /** Receipt lines per archive file as this run wrote them. */
  readonly linesPerFile: number;
}

export interface Target {
  readonly members: number;
  readonly lines: number;
  /** Lambda memory (GB) of planShard and sendMail as deployed (lib/constructs/club-functions.ts). */
  readonly planShardGb: number;
  readonly sendMailGb: number;
  /** Members per plan page and mails per send batch. */
  readonly pageSize: number;
  readonly sendBatch: number;
  /** Scans of the receipt files per fit: one per query of lambdas/core/fit-sql.ts. */
  readonly fitQueries: number;
  /** How many times the local 2-core DuckDB rate Athena is assumed to reach: an assumption, not a measurement. */
  readonly athenaSpeedup: number;
}

export interface Projection {
  readonly mails: number;
  readonly campaign: Readonly<Record<string, number>>;
  readonly campaignTotal: number;
  readonly perThousandMails: number;
  readonly fit: Readonly<Record<string, number>>;
  readonly fitTotal: number;
  readonly fitMinutes: number;
  readonly wallMinutes: Readonly<Record<string, number>>;
  readonly planMinutes: number;
}

export function project(m: Measured, t: Target): Projection {
  const mails = Math.round(t.members * m.sendShare);
  const pages = Math.ceil(t.members / t.pageSize);
  const batches = Math.ceil(mails / t.sendBatch);
  const dynamo =
    (t.members * m.planReadsPerMember + mails * m.sendReadsPerMail) * PRICES.dynamoReadPerUnit +
    (t.members * m.planWritesPerMember + mails * m.sendWritesPerMail) * PRICES.dynamoWritePerUnit;
  const lambda =
    (pages * m.planPageSeconds * t.planShardGb + batches * m.sendBatchSeconds * t.sendMailGb) *
      PRICES.lambdaPerGbSecond +
    (pages + batches) * PRICES.lambdaPerRequest;
  // Plan pages: send, receive and delete each. Mails: the planner's batched send (1 per 10), the
  // worker's receive and delete per batch; SES events: EventBridge puts each of the two (SEND,
  // DELIVERY) as one message, read and deleted in batches of 100 (bench:send counts 2.3 per mail).
  const sqs = (pages * 3 + mails / 10 + batches * 2 + mails * 2 + ((mails * 2) / 100) * 2) * PRICES.sqsPerRequest;
  const campaign = {
    SES: mails * PRICES.sesPerMail,
    DynamoDB: dynamo,
    'Lambda (GB-seconds and requests)': lambda,
    SQS: sqs,
    'Step Functions (none in a campaign)': 0,
    'EventBridge Scheduler': PRICES.schedulerPerInvocation,
  };
  const campaignTotal = Object.values(campaign).reduce((a, b) => a + b, 0);

  const archiveBytes = t.lines * m.archiveBytesPerLine;
  const snapshotBytes = t.members * 12;
  const scanned = t.fitQueries * Math.max(PRICES.athenaMinBytesPerQuery, archiveBytes + snapshotBytes);
  const files = Math.ceil(t.lines / m.linesPerFile);
  const fit = {
    'Athena (bytes scanned)': (scanned / 1024 ** 4) * PRICES.athenaPerTbScanned,
    'member snapshot (DynamoDB reads of the index)':
      ((t.members * m.memberItemBytes) / 4096) * 0.5 * PRICES.dynamoReadPerUnit,
    'S3 (GETs by Athena, snapshot PUTs, a day of storage)':
      files * t.fitQueries * PRICES.s3PerGet +
      16 * PRICES.s3PerPut +
      ((archiveBytes / 1024 ** 3) * PRICES.s3PerGbMonth) / 30,
    'Step Functions': 12 * PRICES.stepFunctionsPerTransition,
    'Lambda (prepare and store)': (120 * 1 + 10 * 1) * PRICES.lambdaPerGbSecond,
  };
  const fitTotal = Object.values(fit).reduce((a, b) => a + b, 0);
  const wallMinutes = Object.fromEntries([100, 500, 1000].map((rate) => [`${rate} mails/s`, mails / rate / 60]));
  return {
    mails,
    campaign,
    campaignTotal,
    perThousandMails: (campaignTotal / Math.max(1, mails)) * 1000,
    fit,
    fitTotal,
    fitMinutes: t.lines / (m.fitLinesPerSecond * t.athenaSpeedup) / 60,
    wallMinutes,
    planMinutes: t.members / m.planMembersPerSecond / 60,
  };
}
