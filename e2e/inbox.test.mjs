// The agent's workspace in the inbox, end to end: private notes (written by keyboard
// alone, with an @mention; the mentioned agent's inbox tells her; the visitor's widget,
// its page and its storage, never holds a word of one) and the conversation keys. The
// real server (demo mode), the real widget, agents in the real inbox at 1280 and 768 px;
// axe clean in each state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARTIFACTS, axe, chatAndBrowser, signInToInbox, visitorAtLiveChat } from './lib.mjs';

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

const focused = (page) => page.evaluate(() => {
  const e = document.activeElement;
  return e?.id === 'reply' ? `reply: ${e.labels[0]?.textContent}` : e?.textContent?.trim() ?? '';
});

test('the conversation keys: j and k move, Enter opens, r replies, n notes, Escape goes back, ? lists them, e closes', async () => {
  const { base, browser } = env;
  const { agentContext, inbox } = await signInToInbox(browser, base, 'ana@demo.chinwag', { width: 1280, height: 800 });
  const pia = await visitorAtLiveChat(browser, base, 'Pia');
  const quinn = await visitorAtLiveChat(browser, base, 'Quinn');
  await inbox.getByRole('tab', { name: /Mine/ }).click();
  const items = inbox.locator('.list .item');
  await items.filter({ hasText: 'Pia' }).waitFor();
  await items.filter({ hasText: 'Quinn' }).waitFor();
  const order = (await items.allTextContents()).map((t) => t.trim());
  await inbox.locator('body').click({ position: { x: 5, y: 780 } }); // nothing focused

  await inbox.keyboard.press('j');
  assert.equal(await focused(inbox), order[0], 'j starts at the top');
  await inbox.keyboard.press('j');
  assert.equal(await focused(inbox), order[1], 'j moves down');
  await inbox.keyboard.press('k');
  assert.equal(await focused(inbox), order[0], 'k moves up');
  await inbox.keyboard.press('k');
  assert.equal(await focused(inbox), order[0], 'and stops at the top');
  // Down to Quinn's, and open it.
  for (let i = 0; i < order.length && !/Quinn/.test(await focused(inbox)); i++) await inbox.keyboard.press('j');
  assert.match(await focused(inbox), /Quinn/);
  await inbox.keyboard.press('Enter');
  await inbox.getByText('quinn@shop.test', { exact: true }).waitFor();

  await inbox.keyboard.press('r');
  assert.equal(await focused(inbox), 'reply: Reply');
  // Keys typed in the box are text.
  await inbox.keyboard.type('jk: one moment');
  await inbox.keyboard.press('Enter');
  await quinn.tab.getByText('jk: one moment').waitFor();
  await inbox.keyboard.press('Escape');
  assert.match(await focused(inbox), /Quinn/, 'Escape goes back to the list');

  await inbox.keyboard.press('n');
  assert.match(await focused(inbox), /^reply: Note for agents/);
  await inbox.keyboard.type('keyed note');
  await inbox.keyboard.press('Enter');
  await inbox.locator('.line.note').filter({ hasText: 'keyed note' }).waitFor();
  await inbox.keyboard.press('Escape');

  await inbox.keyboard.press('?');
  const help = inbox.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  await inbox.screenshot({ path: `${ARTIFACTS}/inbox-keys-1280.png` });
  await axe(inbox, 'the keys listed');
  await inbox.setViewportSize({ width: 768, height: 900 });
  await inbox.screenshot({ path: `${ARTIFACTS}/inbox-keys-768.png` });
  await inbox.setViewportSize({ width: 1280, height: 800 });
  await inbox.keyboard.press('Escape');
  await help.waitFor({ state: 'hidden' });

  await inbox.keyboard.press('e');
  await quinn.tab.getByText('The chat was closed.').waitFor();
  // A closed chat leaves the open list for the closed one.
  await inbox.locator('.list .item', { hasText: 'Quinn' }).waitFor({ state: 'detached' });
  await inbox.getByRole('button', { name: /^Closed/ }).click();
  await inbox.locator('.list .item', { hasText: 'Quinn' }).getByText('closed').waitFor();
  // Pia's chat is untouched.
  assert.equal(await pia.tab.getByText('The chat was closed.').count(), 0);
  await axe(inbox, 'after closing by key');
  await agentContext.close();
  await pia.context.close();
  await quinn.context.close();
});

test('states: s snoozes until the visitor writes and their message reopens it; a closed chat reopens when the visitor writes, to the same agent', async () => {
  const { base, browser } = env;
  const { agentContext, inbox } = await signInToInbox(browser, base, 'ana@demo.chinwag', { width: 1280, height: 800 });
  const rita = await visitorAtLiveChat(browser, base, 'Rita', { width: 375, height: 740 });
  await inbox.getByRole('tab', { name: /Mine/ }).click();
  const item = inbox.locator('.list .item', { hasText: 'Rita' });
  await item.click();
  await inbox.getByLabel('Reply').waitFor();
  await inbox.getByLabel('Reply').focus();
  await inbox.keyboard.press('Escape');
  assert.match(await focused(inbox), /Rita/);

  // Keyboard alone: s opens the menu on its first choice; Tab down to the last; Enter.
  await inbox.keyboard.press('s');
  assert.equal(await focused(inbox), 'For an hour');
  await inbox.screenshot({ path: `${ARTIFACTS}/inbox-snooze-menu-1280.png` });
  await axe(inbox, 'the snooze menu');
  for (let i = 0; i < 3; i++) await inbox.keyboard.press('Tab');
  assert.equal(await focused(inbox), 'Until the visitor writes');
  await inbox.keyboard.press('Enter');
  await inbox.locator('.line.system', { hasText: 'Snoozed until the visitor writes' }).waitFor();
  await item.waitFor({ state: 'detached' });
  await inbox.getByRole('button', { name: /^Snoozed/ }).click();
  await item.getByText('snoozed until they write').waitFor();
  await inbox.setViewportSize({ width: 768, height: 900 });
  await inbox.screenshot({ path: `${ARTIFACTS}/inbox-snoozed-768.png` });
  await axe(inbox, 'the snoozed list');
  await inbox.setViewportSize({ width: 1280, height: 800 });

  // The visitor writes: open again, still Ana's; the visitor never heard of the snooze.
  await rita.tab.getByLabel('Type a message…').fill('Any news on my quote?');
  await rita.tab.getByLabel('Type a message…').press('Enter');
  await inbox.locator('.line.system', { hasText: 'Reopened: the visitor wrote' }).waitFor();
  await item.waitFor({ state: 'detached' });
  await inbox.getByRole('button', { name: /^Open/ }).click();
  await item.waitFor();
  assert.equal(await rita.tab.getByText(/snooze/i).count(), 0);

  // e closes it; the visitor may still write, and that opens it again, to Ana.
  await item.focus();
  await inbox.keyboard.press('e');
  await rita.tab.getByText('The chat was closed. Write here to open it again.').waitFor();
  await rita.tab.evaluate(() => Promise.all(document.querySelector('chinwag-widget').shadowRoot.getAnimations().map((a) => a.finished)));
  await rita.tab.screenshot({ path: `${ARTIFACTS}/widget-closed-375.png` });
  await axe(rita.tab, 'the widget after a close');
  await rita.tab.getByLabel('Type a message…').fill('Sorry, one more thing');
  await rita.tab.getByLabel('Type a message…').press('Enter');
  await rita.tab.locator('.cw-status', { hasText: 'Ana Admin joined the chat' }).waitFor();
  await inbox.locator('.line.system', { hasText: 'Reopened: the visitor wrote' }).nth(1).waitFor();
  await item.waitFor();
  assert.equal(await inbox.locator('.line.visitor', { hasText: 'Sorry, one more thing' }).count(), 1);
  await rita.tab.screenshot({ path: `${ARTIFACTS}/widget-reopened-375.png` });
  await inbox.screenshot({ path: `${ARTIFACTS}/inbox-reopened-1280.png` });
  await axe(inbox, 'reopened by the visitor');
  await agentContext.close();
  await rita.context.close();
});

test('saved replies: an admin keeps a team reply; an agent of the team types / and sends it filled in and edited', async () => {
  const { base, browser } = env;
  const { agentContext: anaContext, inbox: ana } = await signInToInbox(browser, base, 'ana@demo.chinwag', { width: 1280, height: 800 });
  await ana.getByRole('button', { name: 'Saved replies' }).click();
  await ana.getByLabel('Shortcut').fill('price');
  await ana.getByLabel('Text').fill('Hi {first_name}, seats are 12 € a month. {company}? {agent_name}');
  await ana.getByLabel('For').selectOption({ label: 'Team Sales' });
  await ana.getByRole('button', { name: 'Add', exact: true }).click();
  await ana.getByRole('cell', { name: '/price', exact: true }).waitFor();
  // The same shortcut again: refused with the reason, and what was typed stays.
  await ana.getByLabel('Shortcut').fill('price');
  await ana.getByLabel('Text').fill('Another text');
  await ana.getByLabel('For').selectOption({ label: 'Team Sales' });
  await ana.getByRole('button', { name: 'Add', exact: true }).click();
  await ana.getByRole('alert').getByText('the team sales has a reply /price already').waitFor();
  assert.equal(await ana.getByLabel('Text').inputValue(), 'Another text');
  await ana.screenshot({ path: `${ARTIFACTS}/inbox-saved-replies-1280.png` });
  await axe(ana, 'saved replies page');
  await ana.setViewportSize({ width: 768, height: 900 });
  await ana.screenshot({ path: `${ARTIFACTS}/inbox-saved-replies-768.png`, fullPage: true });
  // Ana leaves: the next chat goes to Ben, of the sales team.
  await anaContext.close();

  const { agentContext, inbox: ben } = await signInToInbox(browser, base, 'ben@demo.chinwag', { width: 1280, height: 800 });
  const rita = await visitorAtLiveChat(browser, base, 'Rita');
  await ben.getByRole('tab', { name: /Mine/ }).click();
  await ben.locator('.list .item', { hasText: 'Rita' }).click();
  await ben.getByText('rita@shop.test', { exact: true }).waitFor();
  await ben.keyboard.press('r');
  await ben.keyboard.type('/');
  const offer = ben.getByRole('listbox', { name: 'Saved replies' });
  await offer.getByRole('option', { name: /\/price/ }).waitFor();
  // Escape puts the offer away, and the box keeps the keyboard.
  await ben.keyboard.press('Escape');
  await offer.waitFor({ state: 'hidden' });
  assert.equal(await ben.evaluate(() => document.activeElement?.id), 'reply');
  await ben.keyboard.type('pr');
  await offer.getByRole('option', { name: /\/price/, selected: true }).waitFor();
  await ben.screenshot({ path: `${ARTIFACTS}/inbox-saved-offer-1280.png` });
  await axe(ben, 'a saved reply offered');
  await ben.keyboard.press('Enter');
  await offer.waitFor({ state: 'hidden' });
  // Filled from the chat; what it does not know stays in braces, to edit.
  assert.equal(await ben.getByLabel('Reply').inputValue(), 'Hi Rita, seats are 12 € a month. {company}? Ben Agent');
  await ben.getByLabel('Reply').fill('Hi Rita, seats are 12 € a month. Ben Agent');
  await ben.getByLabel('Reply').press('Enter');
  await rita.tab.getByText('Hi Rita, seats are 12 € a month. Ben Agent').waitFor();
  await ben.setViewportSize({ width: 768, height: 900 });
  await ben.getByLabel('Reply').fill('/');
  await offer.waitFor();
  await ben.screenshot({ path: `${ARTIFACTS}/inbox-saved-offer-768.png`, fullPage: true });
  await agentContext.close();
  await rita.context.close();
});

test('labels: an admin keeps them, an agent puts one on a conversation by keyboard, and the list filters by it', async () => {
  const { base, browser } = env;
  const { agentContext, inbox: ana } = await signInToInbox(browser, base, 'ana@demo.chinwag', { width: 1280, height: 800 });
  await ana.getByRole('button', { name: 'Labels' }).click();
  for (const [name, colour] of [['VIP', '#0b4fa8'], ['Bug', '#fff8c5']]) {
    await ana.getByLabel('Name').fill(name);
    await ana.getByLabel('Colour').fill(colour);
    await ana.getByRole('button', { name: 'Add', exact: true }).click();
    await ana.getByRole('button', { name: `Delete ${name}` }).waitFor();
  }
  await ana.getByLabel('Name').fill('vip');
  await ana.getByRole('button', { name: 'Add', exact: true }).click();
  await ana.getByRole('alert').getByText('there is a label vip already').waitFor();
  assert.equal(await ana.getByLabel('Name').inputValue(), 'vip', 'what was typed stays');
  // The text on each reads on its colour: white on the dark blue, black on the pale yellow.
  const colours = await ana.locator('.label-list .chip').evaluateAll((chips) => chips.map((c) => `${c.textContent} ${getComputedStyle(c).color}`));
  assert.deepEqual(colours, ['Bug rgb(0, 0, 0)', 'VIP rgb(255, 255, 255)']);
  await ana.screenshot({ path: `${ARTIFACTS}/inbox-labels-page-1280.png` });
  await axe(ana, 'labels page');

  await ana.getByRole('button', { name: 'Conversations' }).click();
  await ana.getByRole('tab', { name: /Mine/ }).click();
  await ana.locator('.list .item', { hasText: 'Nora' }).click();
  const vip = ana.getByRole('group', { name: 'Labels' }).getByRole('checkbox', { name: 'VIP' });
  await vip.focus();
  await ana.keyboard.press('Space');
  await ana.locator('.list .item', { hasText: 'Nora' }).locator('.chip', { hasText: 'VIP' }).waitFor();
  assert.equal(await vip.isChecked(), true);
  // The list by label: only Nora's has VIP.
  await ana.getByLabel('Label').selectOption({ label: 'VIP' });
  await eventuallyCount(ana.locator('.list .item'), 1);
  await ana.getByRole('tab', { name: 'Mine (1)' }).waitFor();
  await ana.screenshot({ path: `${ARTIFACTS}/inbox-labels-1280.png` });
  await axe(ana, 'a labelled conversation, the list filtered');
  await ana.setViewportSize({ width: 768, height: 900 });
  await ana.screenshot({ path: `${ARTIFACTS}/inbox-labels-768.png`, fullPage: true });
  await ana.getByLabel('Label').selectOption({ label: 'Any' });
  await ana.locator('.list .item', { hasText: 'Pia' }).waitFor();
  await agentContext.close();
});

async function eventuallyCount(locator, n) {
  for (let i = 0; i < 100 && (await locator.count()) !== n; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(await locator.count(), n);
}
