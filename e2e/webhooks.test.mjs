// Webhooks, for real: the real server (target/debug/chinwag) delivers to a receiver on
// loopback that checks every Standard Webhooks signature with node's own crypto (not
// our code). Messages are written in the same transaction as the change they describe:
// the server is killed (SIGKILL) while every message waits to be retried, restarted,
// and the receiver still gets each one, once per id. A 410 turns an endpoint off; a
// rotated secret signs beside the new one; `chinwag webhook verify` checks a message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { eventually, startChat, ROOT } from './lib.mjs';

const ORIGIN = 'http://shop.test';
let chat, receiver, receiverUrl;
const got = { tried: new Set(), ids: new Map(), refused: 0, bad: [], secrets: [], last: null };

function verify(headers, body) {
  const signed = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`;
  const sigs = headers['webhook-signature'].split(' ').map((s) => s.replace(/^v1,/, ''));
  return got.secrets.some((secret) => {
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    return sigs.includes(createHmac('sha256', key).update(signed).digest('base64'));
  });
}

before(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.url === '/gone') return res.writeHead(410).end();
      // Each message's first attempt is refused, so every one is pending for a while.
      const id = req.headers['webhook-id'];
      if (!got.tried.has(id)) {
        got.tried.add(id);
        got.refused++;
        return res.writeHead(503, { 'retry-after': '1' }).end();
      }
      if (!verify(req.headers, body)) got.bad.push(id);
      got.ids.set(id, (got.ids.get(id) || 0) + 1);
      got.last = { headers: req.headers, body };
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${receiver.address().port}`;
  chat = await startChat({ CHINWAG_DEMO_ORIGINS: ORIGIN, CHINWAG_WEBHOOK_PRIVATE_ADDRESSES: 'true' });
});

after(() => {
  chat?.stop();
  receiver?.close();
});

async function admin() {
  const r = await fetch(`${chat.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ana@demo.chinwag', password: 'chinwag-demo' }),
  });
  const { csrf } = await r.json();
  const headers = { cookie: r.headers.get('set-cookie').split(';')[0], 'x-csrf-token': csrf, 'content-type': 'application/json' };
  return (method, path, body) =>
    fetch(`${chat.url}${path}`, { method, headers, body: body && JSON.stringify(body) }).then((r) => r.json());
}

/** A visitor's run of the pricing FAQ as the widget reports it: the discount question
 * (its goal), "no, thanks" (completed), and the email they left. */
function run(n) {
  const t = Date.now() - 60_000 + n;
  const m = (kind, card, dt) => ({ kind, ...(card ? { card } : {}), at: t + dt });
  const marks = [
    m('triggered', null, 0), m('reached', 'stream[0]', 0), m('reached', 'stream[1]', 0),
    m('answered', 'stream[1]', 1000), m('engaged', null, 1000),
    m('reached', 'stream[1].answers[2].then[0]', 1000), m('reached', 'stream[1].answers[2].then[1]', 1000),
    m('goal', 'stream[1].answers[2].then[1]', 1000), m('reached', 'stream[2]', 1000),
    m('answered', 'stream[2]', 2000), m('reached', 'stream[2].answers[2].then[0]', 2000), m('completed', null, 2000),
  ];
  return { run: `run-${n}`, visitor: `v-${n}`, dialogue: 'pricing-faq', version: 1, locale: 'en', known: false,
    from: 0, marks, captured: { email: `person${n}@acme.test` } };
}

test('every message arrives signed, once per id, across a SIGKILL of the server', async () => {
  const api = await admin();
  const made = await api('POST', '/api/sites/demo/webhooks', { url: `${receiverUrl}/hooks`, events: ['*'] });
  assert.match(made.secret, /^whsec_/);
  got.secrets = [made.secret];
  const gone = await api('POST', '/api/sites/demo/webhooks', { url: `${receiverUrl}/gone`, events: ['lead.created'] });

  // Five runs: each a lead.created, a goal.reached and a dialogue.completed.
  for (let n = 0; n < 5; n++) {
    const r = await fetch(`${chat.url}/api/sites/demo/activity`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'text/plain' },
      body: JSON.stringify(run(n)),
    });
    assert.equal(r.status, 200, await r.text());
  }
  // The receiver refused each first attempt; the server dies (SIGKILL) with the
  // messages committed and waiting for their retry (5 s later).
  await eventually(() => got.refused >= 15, 'every message tried once', 15_000);
  // And the server has written down every refused attempt: a kill between the
  // receiver's answer and that record leaves the attempt unrecorded (at least once),
  // and the count below would be off by one for that message.
  const deliveries = () => api('GET', `/api/sites/demo/webhooks/${made.endpoint.id}/deliveries`);
  await eventually(async () => (await deliveries()).filter((d) => d.attempts >= 1).length >= 15, 'every refusal recorded', 15_000);
  const beforeKill = got.ids.size;
  await chat.restart();
  await eventually(() => got.ids.size >= 15, `15 messages arrive (${got.ids.size})`, 30_000);
  assert.ok(beforeKill < 15, `messages were pending at the kill (${beforeKill} delivered before it)`);
  await new Promise((r) => setTimeout(r, 1500)); // nothing more comes
  assert.equal(got.ids.size, 15);
  assert.deepEqual([...got.ids.values()].filter((n) => n !== 1), [], 'each id once');
  assert.deepEqual(got.bad, [], 'every signature verifies');
  const types = JSON.parse(got.last.body).type;
  assert.ok(['lead.created', 'goal.reached', 'dialogue.completed'].includes(types), types);

  // The endpoint that answered 410 is off, with the reason; the log says so.
  const after = await admin();
  const { endpoints } = await after('GET', '/api/sites/demo/webhooks');
  const off = endpoints.find((e) => e.id === gone.endpoint.id);
  assert.equal(off.enabled, false);
  assert.match(off.disabled_reason, /410/);
  const log = await after('GET', `/api/sites/demo/webhooks/${made.endpoint.id}/deliveries`);
  assert.equal(log.filter((d) => d.status === 'delivered').length, 15);
  assert.ok(log.every((d) => d.attempts === 2), 'each refused once, then delivered once');

  // The receiver's tool checks a message offline, and refuses a tampered one.
  const h = got.last.headers;
  const verifyCli = (body) =>
    spawnSync(join(ROOT, 'target/debug/chinwag'), ['webhook', 'verify', '--secret', made.secret, '--id', h['webhook-id'],
      '--timestamp', h['webhook-timestamp'], '--signature', h['webhook-signature']], { input: body, encoding: 'utf8' });
  const good = verifyCli(got.last.body);
  assert.equal(good.status, 0, good.stderr);
  assert.match(good.stdout, /^valid/);
  const tampered = verifyCli(got.last.body.replace('acme', 'evil'));
  assert.notEqual(tampered.status, 0);
  assert.match(tampered.stderr, /invalid: no signature matches/);

  // A rotated secret: the new one and the old one both sign, so a receiver switches
  // without losing a message; a replay is the same message (same id) again.
  const rotated = await after('POST', `/api/sites/demo/webhooks/${made.endpoint.id}/rotate`);
  got.secrets = [rotated.secret];
  const before = got.ids.size;
  await after('POST', `/api/sites/demo/webhooks/${made.endpoint.id}/test`);
  await eventually(() => got.ids.size === before + 1, 'the test message arrives');
  assert.equal(got.last.headers['webhook-signature'].split(' ').length, 2, 'two signatures while rotating');
  assert.deepEqual(got.bad, [], 'the new secret verifies');
  const replayed = log[0];
  await after('POST', `/api/sites/demo/webhooks/${made.endpoint.id}/deliveries/${replayed.id}/replay`);
  await eventually(() => got.ids.get(replayed.message_id) === 2, 'the replay arrives with the same id');
});
