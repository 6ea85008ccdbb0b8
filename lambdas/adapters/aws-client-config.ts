/**
 * SDK client settings: the default chain on AWS, or an emulator endpoint locally. The emulators
 * accept any credentials; these never leave the machine.
 */
export function awsClientConfig(options: { endpoint?: string; region?: string } = {}): {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
} {
  if (options.endpoint) {
    return {
      endpoint: options.endpoint,
      region: options.region ?? 'eu-north-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
  }
  return options.region ? { region: options.region } : {};
}

/** The AWS SDK names its exceptions; anything else thrown is an unknown error. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'UnknownError';
}
