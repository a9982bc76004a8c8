// The widget in parts (docs/widget.md, "Parts"): the start shows the first card alone;
// the parts the dialogue's cards need are fetched once the panel opens; a part that
// cannot load says so with Try again, and the visitor is never stuck.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { site, ARTIFACTS, eventually } from './lib.mjs';

const live = site('target/widget-dist', '/widget/');
const isPart = (url) => /\/(split_[^/]+|chunk_\d+)\.wasm$/.test(url);

test('the first card needs no part; the dialogue’s parts are fetched after the panel opens', async () => {
  const page = await live.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const fetched = [];
  page.on('request', (r) => isPart(r.url()) && fetched.push(r.url().split('/').pop()));
  await page.goto(`${live.server.url}/widget/`);
  await page.getByRole('button', { name: 'Open chat' }).waitFor();
  assert.deepEqual(fetched, [], 'no part before the visitor opens the chat');
  // Parts are not needed for the first card: it shows even when every part fails.
  await page.route(/\/(split_[^/]+|chunk_\d+)\.wasm$/, (route) => route.fulfill({ status: 503, body: 'busy' }));
  await page.getByRole('button', { name: 'Open chat' }).click();
  await page.getByRole('button', { name: 'Talk to sales' }).waitFor();
  await page.unroute(/\/(split_[^/]+|chunk_\d+)\.wasm$/);
  // The sales dialogue has an info capture and a live chat card: both parts, prefetched.
  await eventually(() => fetched.some((f) => f.startsWith('split_info_capture')), `info capture prefetched (${fetched})`);
  await page.close();
});

for (const width of [1280, 375]) {
  test(`a part that cannot load says so, and Try again brings the card (${width} px, keyboard)`, async () => {
    const page = await live.browser.newPage({ viewport: { width, height: 800 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Offline for the parts: every fetch of one fails, prefetch included.
    let down = true;
    await page.route(/\/(split_[^/]+|chunk_\d+)\.wasm$/, (route) => (down ? route.fulfill({ status: 503, body: 'busy' }) : route.continue()));
    await page.goto(`${live.server.url}/widget/`);
    const launcher = page.getByRole('button', { name: 'Open chat' });
    await launcher.focus();
    await page.keyboard.press('Enter');
    const sales = page.getByRole('button', { name: 'Talk to sales' });
    await sales.waitFor();
    await sales.focus();
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /could not load/);
    const retry = page.getByRole('button', { name: 'Try again' });
    await page.getByRole('button', { name: 'Start over' }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/part-failed-${width}.png` });
    // Back online: Try again (by keyboard) fetches the part again and shows the card.
    down = false;
    await retry.focus();
    await page.keyboard.press('Enter');
    const email = page.getByLabel('Email');
    await email.waitFor();
    await eventually(async () => (await page.evaluate(() => document.querySelector('chinwag-widget').shadowRoot.activeElement?.getAttribute('name'))) !== null, 'the card’s first field takes the focus');
    await page.screenshot({ path: `${ARTIFACTS}/part-retried-${width}.png` });
    assert.deepEqual(errors, [], 'no page error (the widget never panics on a failed part)');
    await page.close();
  });
}

test('a failed part never breaks the host page, and starting over goes on', async () => {
  const page = await live.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route(/\/(split_[^/]+|chunk_\d+)\.wasm$/, (route) => route.abort('internetdisconnected'));
  await page.goto(`${live.server.url}/widget/`);
  await page.getByRole('button', { name: 'Open chat' }).click();
  await page.getByRole('button', { name: 'Talk to sales' }).click();
  await page.getByRole('button', { name: 'Try again' }).waitFor();
  await page.getByRole('button', { name: 'Start over' }).click();
  await page.getByRole('button', { name: 'Just browsing' }).click();
  await page.getByText('This conversation has ended.').waitFor();
  assert.equal(await page.evaluate(() => 1 + 1), 2, 'the host page still runs');
  assert.deepEqual(errors, []);
  await page.close();
});
