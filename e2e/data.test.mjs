// The console's Data section, as an admin uses it: a webhook endpoint added (its secret
// shown once), a test sent and received on loopback, its delivery log, a replay; a
// retention window saved; an API key made and used; a person erased. At 1280 and 375 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { ARTIFACTS, eventually } from './lib.mjs';
import { hostAndChat, openInbox } from './hosts.mjs';

const env = hostAndChat(() => ({ CHINWAG_WEBHOOK_PRIVATE_ADDRESSES: 'true' }));
const received = [];
let receiver, hookUrl;

before(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ id: req.headers['webhook-id'], type: JSON.parse(body).type });
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${receiver.address().port}/hooks`;
});
after(() => receiver?.close());

for (const viewport of [{ width: 1280, height: 900 }, { width: 375, height: 800 }]) {
  test(`webhooks, retention, keys and erasure in the console at ${viewport.width} px`, async () => {
    received.length = 0;
    const { context, inbox } = await openInbox(env, 'ana@demo.chinwag', viewport);
    await inbox.getByRole('button', { name: 'Data' }).click();

    // A webhook endpoint: its secret once, a test, the log, a replay.
    await inbox.getByLabel('Endpoint URL').fill(`${hookUrl}?w=${viewport.width}`);
    await inbox.getByLabel('Endpoint URL').press('Enter');
    await inbox.getByText(/shown this once: whsec_/).waitFor();
    await inbox.getByRole('button', { name: `Send a test to ${hookUrl}?w=${viewport.width}` }).click();
    await eventually(() => received.some((m) => m.type === 'webhook.test'), 'the test arrives');
    const endpoint = inbox.locator('.endpoints li').filter({ hasText: `w=${viewport.width}` });
    await endpoint.getByText('all events').waitFor();
    await endpoint.getByRole('button', { name: 'Deliveries' }).click();
    const row = inbox.locator('.deliveries tbody tr').first();
    await row.getByText('delivered').waitFor();
    await row.getByRole('button', { name: 'Replay' }).click();
    await eventually(() => received.length >= 2 && received[1].id === received[0].id, 'the replay, same id');

    // An endpoint for some events only: ticked by keyboard, listed with them.
    await inbox.getByLabel('Endpoint URL').fill(`${hookUrl}?only=${viewport.width}`);
    await inbox.getByRole('checkbox', { name: 'lead.created' }).focus();
    await inbox.keyboard.press('Space');
    await inbox.getByRole('button', { name: 'Add endpoint' }).click();
    const some = inbox.locator('.endpoints li').filter({ hasText: `only=${viewport.width}` });
    await some.getByText('lead.created', { exact: true }).waitFor();
    assert.equal(await inbox.getByRole('checkbox', { name: 'lead.created' }).isChecked(), false, 'the form starts afresh');
    await some.scrollIntoViewIfNeeded();
    await inbox.screenshot({ path: `${ARTIFACTS}/webhook-events-${viewport.width}.png` });

    // Retention: a window saved (nothing old to delete here, so no question).
    await inbox.getByLabel('Closed live chats (days)').fill('30');
    await inbox.getByRole('button', { name: 'Save', exact: true }).click();
    await inbox.getByText('Saved: the next hourly purge applies it.').waitFor();

    // An API key, used at once to save a lead; then that person erased.
    await inbox.getByLabel('Name', { exact: true }).fill(`sync ${viewport.width}`);
    await inbox.getByLabel('Scope').selectOption('write');
    await inbox.getByRole('button', { name: 'Make key' }).click();
    const shown = await inbox.getByText(/shown this once: ck_/).textContent();
    const key = shown.match(/ck_\S+/)[0];
    const email = `erase-me-${viewport.width}@acme.test`;
    const saved = await fetch(`${env.live.chat.url}/api/v1/leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email, attributes: { first_name: 'Erin' } }),
    });
    assert.equal(saved.status, 200);
    await inbox.getByLabel('Email', { exact: true }).fill(email);
    inbox.once('dialog', (d) => d.accept());
    await inbox.getByRole('button', { name: 'Erase everywhere' }).click();
    await inbox.getByText(/Erased: \d+ rows about them are gone/).waitFor();
    const leads = await fetch(`${env.live.chat.url}/api/v1/leads`, { headers: { authorization: `Bearer ${key}` } });
    assert.ok(!(await leads.text()).includes(email), 'the lead is gone');

    await inbox.screenshot({ path: `${ARTIFACTS}/data-${viewport.width}.png`, fullPage: true });
    await context.close();
  });
}
