// Capacity, end to end (docs/inbox.md, "Capacity"): an admin gives Ana room for one
// open chat by keyboard; a second visitor is told they are in the queue and waits there
// (the inbox says so); when Ana closes her chat the waiting one is hers, and its visitor
// reads that she joined. The real server (demo mode, a fresh database of its own), the
// real widget at 375 px, the inbox at 1280 and 768; axe clean in the inbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARTIFACTS, axe, chatAndBrowser, signInToInbox, visitorAtLiveChat } from './lib.mjs';

const env = chatAndBrowser();

const settled = (tab) => tab.evaluate(() => Promise.all(document.querySelector('chinwag-widget').shadowRoot.getAnimations().map((a) => a.finished)));

test('a chat past an agent\'s capacity waits in the queue and is theirs when a slot frees', async () => {
  const { base, browser } = env;
  const { agentContext, inbox } = await signInToInbox(browser, base, 'ana@demo.chinwag', { width: 1280, height: 800 });

  // By keyboard: Ana's capacity, from the default 5 to 1.
  await inbox.getByRole('button', { name: 'Agents' }).click();
  const max = inbox.getByLabel('Most open chats for Ana Admin');
  assert.equal(await max.inputValue(), '5', 'the default capacity');
  await max.focus();
  await inbox.keyboard.press('Control+A');
  await inbox.keyboard.type('1');
  await inbox.keyboard.press('Tab');
  await inbox.getByText('Ana Admin now takes at most 1 open chat.').waitFor();
  await inbox.screenshot({ path: `${ARTIFACTS}/capacity-agents-1280.png` });
  await axe(inbox, 'capacity set');
  await inbox.setViewportSize({ width: 768, height: 900 });
  await inbox.screenshot({ path: `${ARTIFACTS}/capacity-agents-768.png` });
  await inbox.setViewportSize({ width: 1280, height: 800 });
  await inbox.getByRole('button', { name: 'Conversations' }).click();

  const phone = { width: 375, height: 740 };
  const uma = await visitorAtLiveChat(browser, base, 'Uma', phone);
  await uma.tab.getByText('Ana Admin joined the chat').waitFor();
  const vic = await visitorAtLiveChat(browser, base, 'Vic', phone, { joined: false });
  await vic.tab.getByText('Everyone is busy right now. You are in the queue').waitFor();
  await settled(vic.tab);
  await vic.tab.screenshot({ path: `${ARTIFACTS}/capacity-queued-375.png` });
  // Nobody typed into the void: Vic's message waits with the chat.
  await vic.tab.getByLabel('Type a message…').fill('I can wait a minute');
  await vic.tab.getByLabel('Type a message…').press('Enter');
  await vic.tab.getByText('Delivered').waitFor();

  await inbox.getByRole('tab', { name: /Unassigned/ }).click();
  const waiting = inbox.locator('.list .item', { hasText: 'Vic' });
  await waiting.getByText('in the queue').waitFor();
  await waiting.click();
  await inbox.locator('.line.system', { hasText: 'it waits in the queue' }).waitFor();
  await inbox.screenshot({ path: `${ARTIFACTS}/capacity-queue-1280.png` });
  await axe(inbox, 'a chat in the queue');

  // Ana closes Uma's chat by keyboard: Vic's is hers at once.
  await inbox.getByRole('tab', { name: /Mine/ }).click();
  const umas = inbox.locator('.list .item', { hasText: 'Uma' });
  await umas.click();
  await umas.focus();
  await inbox.keyboard.press('e');
  await uma.tab.getByText('The chat was closed.').waitFor();
  await vic.tab.getByText('Ana Admin joined the chat').waitFor();
  const vics = inbox.locator('.list .item', { hasText: 'Vic' });
  await vics.waitFor();
  assert.equal(await vics.getByText('in the queue').count(), 0);
  await vics.click();
  await inbox.locator('.line.visitor', { hasText: 'I can wait a minute' }).waitFor();
  await settled(vic.tab);
  await vic.tab.screenshot({ path: `${ARTIFACTS}/capacity-joined-375.png` });
  await agentContext.close();
  await uma.context.close();
  await vic.context.close();
});
