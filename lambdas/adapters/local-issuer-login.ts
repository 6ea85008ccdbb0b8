import type { IncomingMessage, ServerResponse } from 'node:http';
import { html } from 'hono/html';
import type Provider from 'oidc-provider';
import type { LocalUsers } from './local-users.js';

const MAX_FORM_BYTES = 16 * 1024;

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_FORM_BYTES) throw new Error('the sign-in form is too large');
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function page(res: ServerResponse, status: number, uid: string, formTargets: string, error?: string): void {
  const body = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Club Planner: sign in (local)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:Arial,Helvetica,sans-serif;max-width:24rem;margin:3rem auto">
<h1>Sign in to Club Planner</h1>
<p>The local stand-in for the hosted sign-in. npm start prints the demo marketers' addresses and passwords.</p>
${error ? html`<p role="alert" style="color:#a00">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
<p><label>E-mail<br><input type="email" name="email" autocomplete="username" required></label></p>
<p><label>Password<br><input type="password" name="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Sign in</button></p>
</form></body></html>`;
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  // The sign-in post ends in a redirect to the console's callback: form-action covers every hop.
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; form-action 'self' ${formTargets}; frame-ancestors 'none'`,
  );
  res.setHeader('X-Frame-Options', 'DENY');
  res.end(String(body));
}

/**
 * The local issuer's interaction routes, what Cognito's hosted UI is on AWS: a sign-in form checked
 * against the local users, and consent granted at once for the console (the first-party client).
 */
export async function handleInteraction(
  provider: Provider,
  users: LocalUsers,
  firstParty: string,
  req: IncomingMessage,
  res: ServerResponse,
  /** The console's origin, where a finished sign-in redirects to. */
  appOrigin: string,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params } = details;
  const isLogin = (req.url ?? '').split('?')[0] === `/interaction/${uid}/login`;

  if (prompt.name === 'login' && req.method === 'GET' && !isLogin) return page(res, 200, uid, appOrigin);
  if (prompt.name === 'login' && req.method === 'POST' && isLogin) {
    const form = await formOf(req);
    const user = await users.signIn(form.get('email') ?? '', form.get('password') ?? '');
    if (!user) return page(res, 401, uid, appOrigin, 'That e-mail and password do not match.');
    return provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.sub } },
      { mergeWithLastSubmission: false },
    );
  }
  if (prompt.name === 'consent' && params.client_id === firstParty && details.session?.accountId) {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: firstParty });
    if (!grant) throw new Error('the interaction names a grant that does not exist');
    const missing = prompt.details;
    if (Array.isArray(missing.missingOIDCScope)) grant.addOIDCScope(missing.missingOIDCScope.map(String));
    if (Array.isArray(missing.missingOIDCClaims)) grant.addOIDCClaims(missing.missingOIDCClaims.map(String));
    const resourceScopes = missing.missingResourceScopes;
    if (resourceScopes && typeof resourceScopes === 'object') {
      for (const [resource, scopes] of Object.entries(resourceScopes)) {
        if (Array.isArray(scopes)) grant.addResourceScope(resource, scopes.map(String));
      }
    }
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  return provider.interactionFinished(
    req,
    res,
    { error: 'access_denied', error_description: 'this sign-in cannot be completed' },
    { mergeWithLastSubmission: false },
  );
}
