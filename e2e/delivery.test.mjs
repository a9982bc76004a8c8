// Delivery, end to end: no visitor message is lost, duplicated or reordered, whatever
// the clock, the server or the page does; a reload mid-conversation hears every reply.
// The real server (restarted with SIGKILL), the real widget through the loader on a
// host page of another origin, an agent on the real agent socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, agentSocket, heard, ARTIFACTS } from './lib.mjs';
import { hostAndChat, visit } from './hosts.mjs';

const env = hostAndChat();
const launcher = (tab) => tab.locator('.cw-launcher');

/** A visitor at live chat with Ben, through `startDialogue` (no trigger wait). */
async function atLiveChat(name, options) {
  const agent = await agentSocket(env.browser, env.live.chat.url, 'ben@demo.chinwag');
  const visit_ = await visit(env.browser, `${env.live.url}/page/pricing`, options);
  const { tab } = visit_;
  await tab.evaluate(() => Chinwag('startDialogue', 'sales-handoff'));
  await tab.getByRole('button', { name: 'Talk to sales' }).click();
  await tab.getByLabel('First name').fill(name);
  await tab.getByLabel('Email').fill(`${name.toLowerCase()}@shop.test`);
  await tab.getByRole('button', { name: 'Send' }).click();
  await tab.getByText('Ben Agent joined the chat').waitFor();
  let conversation;
  await eventually(async () => {
    conversation = (await heard(agent)).filter((f) => f.event?.kind?.started).at(-1)?.event.conversation;
    return Boolean(conversation);
  }, 'the agent hears of the conversation');
  return { ...visit_, agent, conversation };
}

/** Types and sends `text` in the widget's live-chat box, as fast as a page can. */
const type = (tab, text) =>
  tab.evaluate((text) => {
    const root = document.querySelector('chinwag-widget').shadowRoot;
    const input = root.querySelector('#cw-live-input');
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.form.requestSubmit();
  }, text);

/** The visitor's messages as stored, in stored order (read over the agent's API). */
const stored = (agent, conversation) =>
  agent.evaluate(async (conversation) => {
    const r = await fetch(`/api/conversations/${conversation}/events`);
    const { events } = await r.json();
    return events.filter((e) => e.kind?.message?.role === 'visitor').map((e) => e.kind.message.text);
  }, conversation);

test('two messages sent in the same millisecond both arrive', async () => {
  const { tab, agent, conversation, context, errors } = await atLiveChat('Milli');
  // Every message gets the same clock reading: ids made from the time would collide.
  await tab.evaluate(() => { Date.now = () => 1000; });
  await type(tab, 'first, same millisecond');
  await eventually(async () => (await stored(agent, conversation)).includes('first, same millisecond'), 'the first is stored');
  await type(tab, 'second, same millisecond');
  await eventually(async () => (await stored(agent, conversation)).includes('second, same millisecond'), 'the second is stored too, not dropped as a duplicate', 5_000);
  assert.deepEqual(errors, []);
  await context.close();
  await agent.context().close();
});

test('killing the server mid-stream, again and again, loses and reorders nothing', async () => {
  const { tab, agent, conversation, context } = await atLiveChat('Kira');
  const sent = [];
  let n = 0;
  const next = async () => {
    const text = `m${String(++n).padStart(3, '0')}`;
    sent.push(text);
    await type(tab, text);
  };
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 3; i++) await next();
    // SIGKILL: no goodbye to anyone. Keep typing while it is down and while the
    // widget reconnects, so new messages race the ones it must resend first, and
    // faster than the server's per-visitor rate limit takes them.
    const restarting = env.live.chat.restart();
    for (let i = 0; i < 4; i++) await next();
    await restarting;
    const until = Date.now() + 1_200;
    while (Date.now() < until) {
      await next();
      await tab.waitForTimeout(40);
    }
  }
  await eventually(
    async () => (await stored(agent, conversation)).filter((t) => /^m\d{3}$/.test(t)).length >= sent.length,
    `all ${sent.length} messages stored`,
    60_000,
  );
  const typed = (await stored(agent, conversation)).filter((t) => /^m\d{3}$/.test(t));
  assert.deepEqual(typed, sent, 'stored exactly once each, in the order typed');
  await context.close();
  await agent.context().close();
});

test('a reload with the panel closed shows the launcher at once, reconnects, and counts replies as unread', async () => {
  const { tab, agent, conversation, context, errors } = await atLiveChat('Rolf');
  await tab.keyboard.press('Escape');
  await tab.reload();
  // The dialogue's trigger waits 5 s for new visitors; a conversation under way does not.
  const reloaded = Date.now();
  await launcher(tab).waitFor();
  assert.ok(Date.now() - reloaded < 4_000, `the launcher came back after ${Date.now() - reloaded} ms`);
  await tab.waitForTimeout(1_000); // the socket reconnects without the panel being opened
  const agentSays = (id, text) =>
    agent.evaluate(([c, id, text]) => window.ws_.send(JSON.stringify({ message: { conversation: c, message: { id, text } } })), [conversation, id, text]);
  await agentSays('a-reload-1', 'Are you still there?');
  await eventually(async () => (await launcher(tab).getAttribute('aria-label')) === 'Open chat (1 unread)', 'the reply counts as unread with the panel closed');
  await launcher(tab).click();
  await tab.getByText('Are you still there?').waitFor();
  await tab.screenshot({ path: `${ARTIFACTS}/reload-unread.png` });
  assert.deepEqual(errors, []);
  await context.close();
  await agent.context().close();
});

test('the page hears messages and events in the order they happen', async () => {
  const { context, tab, errors } = await visit(env.browser, `${env.live.url}/page/account`);
  await launcher(tab).click();
  await tab.getByLabel('Email').fill('eva@acme.com');
  await tab.getByRole('button', { name: 'Send' }).click();
  await tab.getByLabel('Type a message…').waitFor(); // the live-chat card: completed
  await tab.keyboard.press('Escape');
  await eventually(async () => (await tab.evaluate(() => window.__events)).some((e) => e.startsWith('closed')), 'closed fires');
  const all = (await tab.evaluate(() => window.__events)).map((e) => e.split('@')[0]);
  const at = (name) => all.indexOf(name);
  assert.equal(all[0], 'triggered', all.join());
  assert.ok(at('message:bot') > at('triggered'), all.join());
  assert.ok(at('message:visitor') < at('engaged'), `the answer comes before the engagement it causes: ${all.join()}`);
  assert.ok(at('message:visitor') < at('leadCaptured'), `the email is said before it is captured: ${all.join()}`);
  const lastMessage = all.findLastIndex((e) => e.startsWith('message'));
  assert.ok(lastMessage < at('completed'), `every message before completed: ${all.join()}`);
  assert.equal(all.at(-1), 'closed', all.join());
  assert.deepEqual(errors, []);
  await context.close();
});
