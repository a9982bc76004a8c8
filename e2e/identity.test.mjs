// Identity verification end to end: the site's backend signs an identity token (here
// node's crypto, as a backend would), the page passes it with identify(), the chat is
// routed and the agent's inbox marks what was verified, at desktop and phone widths.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { launch, startChat, ARTIFACTS } from './lib.mjs';

let chat, browser;
before(async () => {
  chat = await startChat();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  chat?.stop();
});

/** An HS256 JWT, as `jsonwebtoken.sign(claims, secret)` makes it. */
function identityToken(claims, secret) {
  const b64 = (s) => Buffer.from(s).toString('base64url');
  const signed = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64(JSON.stringify(claims))}`;
  return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
}

test('the inbox marks the attributes the site vouched for, and only those', async () => {
  const agent = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const inbox = await agent.newPage();
  await inbox.goto(`${chat.url}/inbox/`);
  await inbox.getByLabel('Email').fill('ben@demo.chinwag');
  await inbox.getByLabel('Password').fill('chinwag-demo');
  await inbox.getByLabel('Password').press('Enter');
  await inbox.getByText('Live', { exact: true }).waitFor();

  const claims = { email: 'cio@bigcorp.test', company_size: 'More than 1000', exp: Math.floor(Date.now() / 1000) + 3600 };
  const token = identityToken(claims, chat.identity);
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`${chat.url}/widget/demo.html`);
  await visitor.evaluate((t) => {
    Chinwag('identify', { identity_token: t, first_name: 'Cy', plan: 'pro' });
    Chinwag('startDialogue', 'sales-handoff');
  }, token);
  await visitor.getByRole('button', { name: 'Talk to sales' }).click();
  await visitor.getByLabel('Email').fill('cio@bigcorp.test');
  await visitor.getByRole('button', { name: 'Send' }).click();

  await inbox.locator('.item', { hasText: 'Cy' }).click();
  const details = inbox.locator('.details');
  await details.getByText('cio@bigcorp.test').waitFor();
  const rows = await details.locator('dd').evaluateAll((dds) => dds.map((d) => d.textContent));
  assert.ok(rows.includes('cio@bigcorp.test ✓ verified'), rows.join(' | '));
  assert.ok(rows.includes('More than 1000 ✓ verified'), rows.join(' | '));
  assert.ok(rows.includes('pro'), 'what only the page said stays unmarked');
  assert.ok(!rows.some((r) => r.includes('eyJ')), 'the token itself is not shown or kept');
  await inbox.screenshot({ path: `${ARTIFACTS}/inbox-verified.png` });
  await inbox.setViewportSize({ width: 375, height: 800 });
  await inbox.screenshot({ path: `${ARTIFACTS}/inbox-verified-375.png`, fullPage: true });
  await agent.close();
});
