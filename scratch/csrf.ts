import { startHarness } from '../tests/support/local-harness.js';
const h = await startHarness();
const r = await fetch(`${h.urls.http}/console/clubs/x/campaigns/y/submit`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1', redirect: 'manual' });
console.log(r.status, (await r.text()).slice(0, 300));
await h.stop();
