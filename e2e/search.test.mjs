// Search in the inbox, end to end (docs/inbox.md, "Search"): a visitor's message and
// an agent's private note are found by the beginning of a word, the words marked, the
// line shown as text (markup a visitor typed stays text); the keyboard reaches a result
// and opens its conversation; Escape empties the box and the list comes back. The real
// server (demo mode), the real widget, the inbox at 1280 and 768; axe clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARTIFACTS, axe, chatAndBrowser, signInToInbox, visitorAtLiveChat } from './lib.mjs';

const env = chatAndBrowser();

test('an agent finds a message and a note by a word, marked, and opens the conversation by keyboard', async () => {
  const { base, browser } = env;
  const { agentContext, inbox } = await signInToInbox(browser, base, 'ana@demo.chinwag', { width: 1280, height: 800 });
  const { context, tab } = await visitorAtLiveChat(browser, base, 'Wes', { width: 375, height: 740 });
  await tab.getByText('Ana Admin joined the chat').waitFor();
  await tab.getByLabel('Type a message…').fill('<img src=x onerror="window.hacked=1"> Do you support Quarterly invoicing?');
  await tab.getByLabel('Type a message…').press('Enter');
  await tab.getByText('Delivered').waitFor();

  await inbox.getByRole('tab', { name: /Mine/ }).click();
  await inbox.locator('.list .item', { hasText: 'Wes' }).click();
  await inbox.getByRole('radio', { name: 'Private note' }).check();
  await inbox.getByRole('textbox', { name: /Note for agents/ }).fill('Check the zephyr discount with finance');
  await inbox.getByRole('textbox', { name: /Note for agents/ }).press('Enter');
  await inbox.locator('.line.note', { hasText: 'zephyr' }).waitFor();
  await inbox.locator('body').click({ position: { x: 5, y: 780 } });

  // By keyboard: the box, a word's beginning, Tab to the result, Enter.
  await inbox.getByLabel('Search conversations').focus();
  await inbox.keyboard.type('quart');
  const results = inbox.getByRole('list', { name: 'Search results' });
  const hit = results.getByRole('button', { name: /Wes/ });
  await hit.waitFor();
  assert.equal(await hit.locator('mark').textContent(), 'Quarterly');
  assert.match(await hit.locator('.line').textContent(), /^<img src=x onerror="window.hacked=1"> Do you support Quarterly invoicing\?$/);
  assert.equal(await results.locator('img').count(), 0, 'markup stays text');
  assert.equal(await inbox.evaluate(() => window.hacked), undefined);
  assert.equal(await inbox.locator('.lists').isHidden(), true, 'the results stand in for the list');
  await inbox.screenshot({ path: `${ARTIFACTS}/search-1280.png` });
  await axe(inbox, 'search results');
  await inbox.keyboard.press('Tab');
  assert.equal(await hit.evaluate((el) => el === document.activeElement), true, 'Tab reaches the result');
  await inbox.keyboard.press('Enter');
  await inbox.getByText('wes@shop.test', { exact: true }).waitFor();

  // A private note, by its word, at 768.
  await inbox.setViewportSize({ width: 768, height: 900 });
  await inbox.getByLabel('Search conversations').fill('ZEPH');
  const note = results.getByRole('button', { name: /Private note/ });
  await note.waitFor();
  assert.equal(await note.locator('mark').textContent(), 'zephyr');
  await inbox.screenshot({ path: `${ARTIFACTS}/search-note-768.png` });
  await axe(inbox, 'a note found');

  // Nothing found says so; Escape empties the box and the list comes back.
  await inbox.getByLabel('Search conversations').fill('xylophonist');
  await inbox.getByText('Nothing matches.').waitFor();
  await inbox.getByLabel('Search conversations').press('Escape');
  await inbox.locator('.list .item', { hasText: 'Wes' }).waitFor();
  assert.equal(await inbox.getByLabel('Search conversations').inputValue(), '');
  await agentContext.close();
  await context.close();
});
