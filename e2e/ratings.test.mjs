// Ratings, end to end (docs/inbox.md, "Ratings"), and the conversation by email from the
// widget's menu: Ana closes a chat by keyboard; the
// visitor (375 px) is asked how it was, picks four stars and adds a comment by
// keyboard; the thanks shows only once the server has it, and again after a reload;
// Ana's thread shows the rating as text. The real server (demo mode, a fresh database
// of its own), the real widget and inbox, axe clean on both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARTIFACTS, axe, chatAndBrowser, signInToInbox, visitorAtLiveChat } from './lib.mjs';

const env = chatAndBrowser();

const settled = (tab) => tab.evaluate(() => Promise.all(document.querySelector('chinwag-widget').shadowRoot.getAnimations().map((a) => a.finished)));

test('a closed chat is rated by the visitor, and the agent reads it in the thread', async () => {
  const { base, browser } = env;
  const { agentContext, inbox } = await signInToInbox(browser, base, 'ana@demo.chinwag', { width: 1280, height: 800 });
  const rosa = await visitorAtLiveChat(browser, base, 'Rosa', { width: 375, height: 740 });
  const { tab } = rosa;
  // No rating while the chat is open.
  assert.equal(await tab.getByText('How was this chat?').isVisible(), false);

  // The conversation by email, from the menu, by keyboard (the mail itself is checked
  // against a real SMTP server in crates/server/tests/transcript.rs).
  await tab.getByText('Your conversation').focus();
  await tab.keyboard.press('Enter');
  await tab.getByRole('button', { name: 'Email it to me' }).focus();
  await tab.keyboard.press('Enter');
  await tab.getByText('We are emailing this conversation to r…@shop.test.').waitFor();
  await settled(tab);
  await tab.screenshot({ path: `${ARTIFACTS}/transcript-asked-375.png` });
  const item = inbox.locator('.list .item', { hasText: 'Rosa' });
  await item.click();
  await item.focus();
  await inbox.keyboard.press('e');
  await tab.getByText('How was this chat?').waitFor();
  await settled(tab);
  await tab.screenshot({ path: `${ARTIFACTS}/rating-asked-375.png` });
  await axe(tab, 'the rating asked');

  // By keyboard: four stars, then a comment.
  const four = tab.getByRole('button', { name: '4 out of 5' });
  await four.focus();
  await tab.keyboard.press('Enter');
  await tab.getByText('Thank you for rating this chat.').waitFor();
  assert.equal(await tab.getByText('How was this chat?').isVisible(), false, 'the stars give way to the thanks');
  const comment = tab.getByLabel('Anything to add?');
  await comment.focus();
  await tab.keyboard.type('Quick, and <b>kind</b>');
  await tab.keyboard.press('Enter');
  await inbox.locator('.line.rating', { hasText: '“Quick, and <b>kind</b>”' }).waitFor();
  assert.equal(await comment.isVisible(), false, 'the comment box goes once sent');
  await settled(tab);
  await tab.screenshot({ path: `${ARTIFACTS}/rating-thanks-375.png` });
  await axe(tab, 'the rating thanked');

  const line = inbox.locator('.line.rating');
  assert.equal(await line.count(), 2, 'the score, then the score with its comment');
  assert.match(await line.first().innerText(), /rated this chat 4 of 5/);
  assert.equal(await inbox.locator('.line.rating b').count(), 0, 'a comment is text, never markup');
  await inbox.screenshot({ path: `${ARTIFACTS}/rating-thread-1280.png` });
  await axe(inbox, 'a rating in the thread');
  await inbox.setViewportSize({ width: 768, height: 900 });
  await line.last().scrollIntoViewIfNeeded();
  await inbox.screenshot({ path: `${ARTIFACTS}/rating-thread-768.png` });

  // A reload replays the conversation: thanked, not asked again.
  await tab.reload();
  await tab.getByRole('button', { name: 'Open chat' }).click();
  await tab.getByText('Thank you for rating this chat.').waitFor();
  assert.equal(await tab.getByText('How was this chat?').isVisible(), false);
  await agentContext.close();
  await rosa.context.close();
});
