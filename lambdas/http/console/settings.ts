import { z } from 'zod';

/**
 * Where the console signs marketers in (docs/decisions/0032-console-sessions.md): the OAuth 2.0
 * authorization and token endpoints of the issuer (Cognito's hosted UI on AWS, the local issuer under
 * `npm start`), the console's public client, and where the issuer sends the browser back.
 */
export const ConsoleSettings = z.object({
  authorizeUrl: z.url(),
  tokenUrl: z.url(),
  /** Where sign-out sends the browser to end the issuer's own session too (Cognito `/logout`), if anywhere. */
  logoutUrl: z.url().optional(),
  clientId: z.string().min(1),
  /** `<public base URL>/console/auth/callback`, registered with the issuer. */
  redirectUri: z.url(),
});
export type ConsoleSettings = z.infer<typeof ConsoleSettings>;

/** The settings on AWS, from the api function's environment: Cognito's hosted UI and the public URL. */
export function cognitoConsoleSettings(env: {
  readonly AUTH_HOSTED_UI_URL?: string | undefined;
  readonly AUTH_CONSOLE_CLIENT_ID?: string | undefined;
  readonly PUBLIC_BASE_URL?: string | undefined;
}): ConsoleSettings | undefined {
  const { AUTH_HOSTED_UI_URL: hosted, AUTH_CONSOLE_CLIENT_ID: clientId, PUBLIC_BASE_URL: base } = env;
  if (!hosted || !clientId || !base) return undefined;
  const root = hosted.replace(/\/+$/, '');
  const logout = new URL(`${root}/logout`);
  logout.searchParams.set('client_id', clientId);
  logout.searchParams.set('logout_uri', `${base}/console/`);
  return ConsoleSettings.parse({
    authorizeUrl: `${root}/oauth2/authorize`,
    tokenUrl: `${root}/oauth2/token`,
    logoutUrl: logout.toString(),
    clientId,
    redirectUri: `${base}/console/auth/callback`,
  });
}
