import { consoleApp } from '../lambdas/http/console/app.js';
import { Hono } from 'hono';
const deps: any = { log: console, tokenKeys: async () => ({ current: 'a', keys: { a: 'x'.repeat(40) } }), clock: { now: () => new Date() } };
const app = new Hono().route('/console', consoleApp(deps, { authorizeUrl: 'http://i/auth', tokenUrl: 'http://i/token', clientId: 'c', redirectUri: 'http://l/console/auth/callback' }));
for (const p of ['/console/signed-out', '/console/nothing']) { const r = await app.request('http://localhost' + p); const t = await r.text(); console.log(p, r.status, r.headers.get('content-security-policy'), t.match(/nonce="[^"]*"/)?.[0]); }
