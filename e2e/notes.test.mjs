// Private notes in the inbox, end to end: an agent writes one by keyboard alone, with an
// @mention; the mentioned agent's inbox tells her; the visitor's widget (its page and
// its storage) never holds a word of it. The real server (demo mode), the real widget,
// two agents in the real inbox at 1280 and 768 px; axe clean in the note's states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARTIFACTS, axe, chatAndBrowser, signInToInbox } from './lib.mjs';

const NOTE = '@alice she asks about the pricing of seats, hush';

const env = chatAndBrowser();

test('a private note with a mention reaches the mentioned agent and never the visitor', async () => {
  const { base, browser } = env;
  const { agentContext: anaContext, inbox: ana } = await signInToInbox(browser, base, 'ana@demo.chinwag', { width: 1280, height: 800 });

  const visitorContext = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const visitor = await visitorContext.newPage();
  await visitor.goto(`${base}/widget/`);
  await visitor.getByRole('button', { name: 'Open chat' }).click();
  await visitor.getByRole('button', { name: 'Talk to sales' }).click();
  await visitor.getByLabel('First name').fill('Nora');
  await visitor.getByLabel('Email').fill('nora@shop.test');
  await visitor.getByRole('button', { name: 'Send' }).click();
  await visitor.getByText('Ana Admin joined the chat').waitFor();

  // Alice signs in after: the chat is Ana's.
  const { agentContext: aliceContext, inbox: alice } = await signInToInbox(browser, base, 'alice@demo.chinwag', { width: 768, height: 900 });

  await ana.getByText('New chat from Nora').waitFor();
  await ana.getByRole('tab', { name: /Mine/ }).click();
  await ana.getByRole('button', { name: /Nora/ }).click();
  await ana.getByLabel('Reply').waitFor();

  // Keyboard alone: from the reply box, Shift+Tab to the kind, an arrow to "Private
  // note", Tab back to the box, type, Enter.
  await ana.getByLabel('Reply').focus();
  await ana.keyboard.press('Shift+Tab');
  assert.equal(await ana.evaluate(() => document.activeElement?.parentElement?.textContent), 'To the visitor');
  await ana.keyboard.press('ArrowRight');
  assert.equal(await ana.getByRole('radio', { name: 'Private note' }).isChecked(), true);
  await ana.keyboard.press('Tab');
  const box = ana.getByRole('textbox', { name: /Note for agents/ });
  assert.equal(await box.evaluate((el) => el === document.activeElement), true, 'Tab reaches the note box');
  await ana.keyboard.type(NOTE);
  await ana.screenshot({ path: `${ARTIFACTS}/inbox-note-writing-1280.png` });
  await axe(ana, 'writing a note');
  await ana.keyboard.press('Enter');
  const line = ana.locator('.line.note').filter({ hasText: 'seats' });
  await line.waitFor();
  assert.match(await line.locator('.author').textContent(), /Private note · Ana Admin/);
  await ana.screenshot({ path: `${ARTIFACTS}/inbox-note-1280.png` });
  await axe(ana, 'a note in the thread');

  // The mentioned agent is told, in the header.
  await alice.getByText('Ana Admin mentioned you in a note').waitFor();
  await alice.screenshot({ path: `${ARTIFACTS}/inbox-mentioned-768.png` });

  // Back to the visitor: a reply goes to them, the note never did.
  await ana.getByRole('radio', { name: 'To the visitor' }).check();
  await ana.getByLabel('Reply').fill('Seats are 12 € a month each.');
  await ana.getByLabel('Reply').press('Enter');
  await visitor.getByText('Seats are 12 € a month each.').waitFor();
  const widget = await visitor.evaluate(() => document.querySelector('chinwag-widget').shadowRoot.textContent);
  assert.doesNotMatch(widget, /hush|pricing of seats/, 'the widget shows no note');
  const stored = await visitor.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.doesNotMatch(stored, /hush|pricing of seats/, "the widget's storage holds no note");
  // A reload replays the conversation from the server: still no note.
  await visitor.reload();
  await visitor.getByRole('button', { name: /Open chat/ }).click();
  await visitor.getByText('Seats are 12 € a month each.').waitFor();
  const replayed = await visitor.evaluate(() => document.querySelector('chinwag-widget').shadowRoot.textContent);
  assert.doesNotMatch(replayed, /hush|pricing of seats/, 'nor after a reload');
  // The panel's opening animation ends before the picture.
  await visitor.evaluate(() => Promise.all(document.querySelector('chinwag-widget').shadowRoot.getAnimations().map((a) => a.finished)));
  await visitor.screenshot({ path: `${ARTIFACTS}/inbox-note-visitor-375.png` });

  // At 768 px, Ana's view of the same thread.
  await ana.setViewportSize({ width: 768, height: 900 });
  await ana.locator('.line.note').scrollIntoViewIfNeeded();
  await ana.screenshot({ path: `${ARTIFACTS}/inbox-note-768.png` });
  await anaContext.close();
  await aliceContext.close();
  await visitorContext.close();
});
