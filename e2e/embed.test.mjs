// The embeddable bundle (www/widget.html built to target/widget-dist) on a plain
// host page: launcher in the corner, panel opens and closes, full screen on phones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { site, ARTIFACTS } from './lib.mjs';

// Built with `--public-url /widget/`, as the Chinwag server serves it.
const live = site('target/widget-dist', '/widget/');

test('launcher opens the dialogue; Escape closes it and returns focus', async () => {
  const page = await live.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${live.server.url}/widget/`);
  const launcher = page.getByRole('button', { name: 'Open chat' });
  await launcher.waitFor();
  const box = await launcher.boundingBox();
  assert.ok(box.x > 1280 - 100 && box.y > 800 - 100, `launcher sits bottom right: ${JSON.stringify(box)}`);
  await launcher.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('dialog', { name: 'Chat with Chinwag' }).waitFor();
  await page.getByRole('button', { name: 'Talk to sales' }).waitFor();
  await page.screenshot({ path: `${ARTIFACTS}/embed-desktop.png` });
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  // Focus moves to the launcher before the panel goes (read at once: no waiting).
  assert.equal(await page.evaluate(() => document.querySelector('chinwag-widget').shadowRoot.activeElement?.getAttribute('aria-label')), 'Open chat');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a card that arrives while the visitor types in the host page leaves the focus there', async () => {
  const page = await live.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${live.server.url}/widget/`);
  await page.evaluate(() => document.body.insertAdjacentHTML('afterbegin', '<label>Search <input id="host-search"></label>'));
  await page.getByRole('button', { name: 'Open chat' }).click();
  // Answering from the widget: the next card takes the focus (the widget has it).
  await page.getByRole('button', { name: 'Talk to sales' }).click();
  // The bot's next message types for a moment: the visitor goes back to the page.
  await page.locator('#host-search').focus();
  await page.keyboard.type('pricing');
  await page.getByLabel('Email').waitFor();
  await page.keyboard.type(' plans');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'host-search');
  assert.equal(await page.locator('#host-search').inputValue(), 'pricing plans');
  await page.close();
});

test('on a phone the open panel covers the whole screen', async () => {
  const page = await live.browser.newPage({ viewport: { width: 375, height: 700 } });
  await page.goto(`${live.server.url}/widget/`);
  await page.getByRole('button', { name: 'Open chat' }).click();
  await page.getByRole('button', { name: 'Talk to sales' }).click();
  await page.getByLabel('Email').waitFor();
  const panel = await page.locator('.cw-panel').boundingBox();
  assert.deepEqual([panel.x, panel.y, panel.width, panel.height], [0, 0, 375, 700]);
  await page.screenshot({ path: `${ARTIFACTS}/embed-mobile.png` });
  await page.close();
});
