import { Hono } from 'hono';
import { secureHeaders, NONCE } from 'hono/secure-headers';
const sub = new Hono();
sub.use('*', secureHeaders({ contentSecurityPolicy: { scriptSrc: [NONCE] } }), async (c, next) => { console.log('mw', c.req.path, c.get('secureHeadersNonce')); return next(); });
sub.get('/', (c) => c.text('root'));
sub.all('*', (c) => c.text('all'));
const app = new Hono();
app.route('/console', sub);
for (const p of ['/console', '/console/', '/console/x']) { const r = await app.request(p); console.log(p, r.status, await r.text()); }
