// Live chat end to end: the real server (demo mode, a fresh SQLite file), a visitor's
// browser running the widget to the live-chat card, and an agent in a second browser
// context on the server's own origin, talking over the agent socket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, startChat, ARTIFACTS, eventually, agentSocket, heard, signInToInbox as signIn } from './lib.mjs';

let server, base, browser;

before(async () => {
  server = await startChat();
  base = server.url;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

const agentPage = (email) => agentSocket(browser, base, email);

/** Walks the sales dialogue to live chat: Talk to sales, then the form. */
async function reachLiveChat(tab, name, email) {
  await tab.goto(`${base}/widget/`);
  await tab.getByRole('button', { name: 'Open chat' }).click();
  await tab.getByRole('button', { name: 'Talk to sales' }).click();
  await tab.getByLabel('First name').fill(name);
  await tab.getByLabel('Email').fill(email);
  await tab.getByRole('button', { name: 'Send' }).click();
}

const signInToInbox = (email, viewport) => signIn(browser, base, email, viewport);

/** A visitor's fresh browser context and page, with the page errors it raises. */
async function visitorAt(viewport) {
  const visitorContext = await browser.newContext({ viewport });
  const visitor = await visitorContext.newPage();
  const errors = [];
  visitor.on('pageerror', (e) => errors.push(e.message));
  return { visitorContext, visitor, errors };
}

test('a visitor reaches live chat and talks with an agent; a reload keeps the conversation', async () => {
  const agent = await agentPage('ben@demo.chinwag');
  const { visitorContext, visitor, errors } = await visitorAt({ width: 1280, height: 800 });
  await reachLiveChat(visitor, 'Vera', 'vera@shop.test');

  // Routed to the sales team: Ana is offline, so Ben (online, in sales) gets it.
  await visitor.getByText('Ben Agent joined the chat').waitFor();
  let conversation;
  await eventually(async () => {
    const started = (await heard(agent)).find((f) => f.event?.kind?.started);
    conversation = started?.event.conversation;
    return Boolean(conversation);
  }, 'the agent hears of the new conversation');

  await visitor.getByLabel('Type a message…').fill('Do you offer SSO?');
  await visitor.getByLabel('Type a message…').press('Enter');
  await eventually(
    async () => (await heard(agent)).some((f) => f.event?.kind?.message?.text === 'Do you offer SSO?'),
    'the agent receives the visitor message',
  );
  const transcript = (await heard(agent)).filter((f) => f.event?.kind?.message).map((f) => f.event.kind.message);
  assert.equal(transcript[0].role, 'bot', 'the bot part reached the agent first');
  assert.ok(transcript.some((m) => m.text === 'Vera · vera@shop.test'));

  await agent.evaluate((conversation) => {
    window.ws_.send(JSON.stringify({ message: { conversation, message: { id: 'a-1', text: 'Yes, SAML and OIDC <b>both</b>.' } } }));
  }, conversation);
  await visitor.getByText('Yes, SAML and OIDC <b>both</b>.').waitFor();
  assert.equal(await visitor.locator('chinwag-widget').evaluate((h) => h.shadowRoot.querySelectorAll('b').length), 0, 'text, never HTML');
  await visitor.screenshot({ path: `${ARTIFACTS}/live-visitor.png` });

  // A reload resumes: the whole conversation is back and the visitor can go on.
  await visitor.reload();
  await visitor.getByRole('button', { name: 'Open chat' }).click();
  await visitor.getByText('Do you offer SSO?').waitFor();
  await visitor.getByText('Yes, SAML and OIDC <b>both</b>.').waitFor();
  assert.equal(await visitor.getByText('Vera · vera@shop.test').count(), 1, 'the bot part is not shown twice');
  await visitor.getByLabel('Type a message…').fill('Great, thanks!');
  await visitor.getByLabel('Type a message…').press('Enter');
  await eventually(
    async () => (await heard(agent)).some((f) => f.event?.kind?.message?.text === 'Great, thanks!'),
    'the agent receives the message sent after the reload',
  );
  await visitor.screenshot({ path: `${ARTIFACTS}/live-visitor-after-reload.png` });
  assert.deepEqual(errors, []);
  await visitorContext.close();
});

test('a visitor who reloads while the live-chat part cannot load hears the agent once it does', async () => {
  const agent = await agentPage('ben@demo.chinwag');
  const { visitorContext, visitor, errors } = await visitorAt({ width: 1280, height: 800 });
  await reachLiveChat(visitor, 'Lia', 'lia@shop.test');
  await visitor.getByText('Ben Agent joined the chat').waitFor();
  let conversation;
  await eventually(async () => {
    // This agent's socket is new: the one conversation started since is Lia's.
    conversation = (await heard(agent)).find((f) => f.event?.kind?.started)?.event.conversation;
    return Boolean(conversation);
  }, 'the agent hears of the new conversation');

  // The live-chat part (its card and its socket) is unreachable after the reload.
  let down = true;
  await visitor.route(/\/(split_live_chat[^/]*|chunk_\d+)\.wasm$/, (route) => (down ? route.fulfill({ status: 503, body: 'busy' }) : route.continue()));
  await visitor.reload();
  await visitor.getByRole('button', { name: 'Open chat' }).click();
  await visitor.getByRole('button', { name: 'Try again' }).waitFor();
  // Meanwhile the agent replies: it waits on the server for the visitor's socket.
  await agent.evaluate((conversation) => {
    window.ws_.send(JSON.stringify({ message: { conversation, message: { id: 'a-lia', text: 'Still there, Lia?' } } }));
  }, conversation);
  down = false;
  await visitor.getByRole('button', { name: 'Try again' }).click();
  // The socket's own retry brings the reply in; the card shows with the box.
  await visitor.getByText('Still there, Lia?').waitFor({ timeout: 15_000 });
  await visitor.getByLabel('Type a message…').fill('Yes!');
  await visitor.getByLabel('Type a message…').press('Enter');
  await eventually(async () => (await heard(agent)).some((f) => f.event?.kind?.message?.text === 'Yes!'), 'the agent receives the reply');
  await visitor.getByText('Delivered').waitFor();
  assert.deepEqual(errors, []);
  await visitorContext.close();
});

test('a visitor who starts over while the live-chat part cannot load hands over once, with the new run', async () => {
  const agent = await agentPage('ben@demo.chinwag');
  const { visitorContext, visitor, errors } = await visitorAt({ width: 375, height: 800 });
  // Only the live-chat part is down: the form's part loads.
  let down = true;
  await visitor.route(/\/split_live_chat[^/]*\.wasm$/, (route) => (down ? route.fulfill({ status: 503, body: 'busy' }) : route.continue()));
  await reachLiveChat(visitor, 'Olga', 'olga@shop.test');
  await visitor.getByRole('button', { name: 'Try again' }).waitFor();
  // The first run's hand-off waits for the part; the visitor starts over instead.
  await visitor.getByRole('button', { name: 'Start over' }).click();
  await visitor.getByRole('button', { name: 'Talk to sales' }).click();
  await visitor.getByLabel('First name').fill('Nina');
  await visitor.getByLabel('Email').fill('nina@shop.test');
  await visitor.getByRole('button', { name: 'Send' }).click();
  const retry = visitor.getByRole('button', { name: 'Try again' });
  await retry.waitFor();
  // Back online: Try again brings the card, and the card hands over at once.
  down = false;
  await retry.focus();
  await visitor.keyboard.press('Enter');
  await visitor.getByText('Ben Agent joined the chat').waitFor({ timeout: 10_000 });
  await visitor.screenshot({ path: `${ARTIFACTS}/live-part-start-over-375.png` });
  // Past the hand-over's own retry (3 s): nothing more reaches the agent.
  await new Promise((r) => setTimeout(r, 4_000));
  const started = (await heard(agent)).filter((f) => f.event?.kind?.started);
  assert.deepEqual(started.map((f) => f.event.kind.started.visitor), ['Nina'], 'one conversation, the new run’s');
  assert.deepEqual(errors, []);
  // Closed: Ben's capacity is for the tests that follow.
  await agent.evaluate((conversation) => window.ws_.send(JSON.stringify({ close: { conversation } })), started[0].event.conversation);
  await visitor.getByText('The chat was closed').waitFor();
  await visitorContext.close();
});

test('a page that identifies the visitor while the live-chat part loads hands over once, with what it said', async () => {
  const agent = await agentPage('ben@demo.chinwag');
  const { visitorContext, visitor, errors } = await visitorAt({ width: 375, height: 800 });
  let down = true;
  await visitor.route(/\/split_live_chat[^/]*\.wasm$/, (route) => (down ? route.fulfill({ status: 503, body: 'busy' }) : route.continue()));
  // The demo site's page with the one-line loader: the page's own calls reach the widget.
  await visitor.goto(`${base}/widget/demo.html`);
  await visitor.evaluate(() => Chinwag('startDialogue', 'sales-handoff'));
  await visitor.getByRole('button', { name: 'Talk to sales' }).click();
  await visitor.getByLabel('First name').fill('Pia');
  await visitor.getByLabel('Email').fill('pia@shop.test');
  await visitor.getByRole('button', { name: 'Send' }).click();
  const retry = visitor.getByRole('button', { name: 'Try again' });
  await retry.waitFor();
  // The hand-off waits for the part; meanwhile the page says who the visitor is.
  await visitor.evaluate(() => Chinwag('identify', { plan: 'enterprise' }));
  down = false;
  await retry.click();
  await visitor.getByText('Ben Agent joined the chat').waitFor({ timeout: 10_000 });
  // Past the hand-over's own retry (3 s): nothing more reaches the agent.
  await new Promise((r) => setTimeout(r, 4_000));
  const started = (await heard(agent)).filter((f) => f.event?.kind?.started);
  assert.deepEqual(started.map((f) => f.event.kind.started.visitor), ['Pia'], 'one conversation');
  const conversation = started[0].event.conversation;
  const listed = await agent.evaluate(() => fetch('/api/conversations').then((r) => r.json()));
  const pia = (listed.conversations ?? listed).find((c) => c.id === conversation);
  assert.equal(pia?.attributes?.plan, 'enterprise', 'the hand-off carries what the page said');
  assert.equal(pia?.attributes?.email, 'pia@shop.test', 'and what the visitor typed');
  assert.deepEqual(errors, []);
  await agent.evaluate((c) => window.ws_.send(JSON.stringify({ close: { conversation: c } })), conversation);
  await visitor.getByText('The chat was closed').waitFor();
  await visitorContext.close();
});

test('an agent in the inbox gets the new chat, reads the bot part and details, and replies', async () => {
  const { agentContext, inbox } = await signInToInbox('ana@demo.chinwag', { width: 1400, height: 850 });

  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto(`${base}/widget/`);
  await visitor.getByRole('button', { name: 'Open chat' }).click();
  await visitor.getByRole('button', { name: 'Talk to sales' }).click();
  await visitor.getByLabel('First name').fill('Otto');
  await visitor.getByLabel('Email').fill('otto@shop.test');
  await visitor.getByLabel('Company').fill('Shop & Co');
  await visitor.getByRole('button', { name: 'Send' }).click();
  await visitor.getByText('Ana Admin joined the chat').waitFor();

  // Notified in the page and in the tab title; the chat is in "Mine".
  await inbox.getByText('New chat from Otto').waitFor();
  await inbox.getByRole('tab', { name: /Mine/ }).click();
  await inbox.getByRole('button', { name: /Otto/ }).click();
  await inbox.getByText('What brings you here today?').waitFor();
  await inbox.getByText('otto@shop.test', { exact: true }).waitFor();
  await inbox.getByText('Shop & Co', { exact: true }).waitFor();

  await visitor.getByLabel('Type a message…').fill('Is there an API?');
  await inbox.getByText('The visitor is typing…').waitFor();
  await visitor.getByLabel('Type a message…').press('Enter');
  await inbox.getByText('Is there an API?').waitFor();
  await visitor.getByText('Delivered', { exact: true }).waitFor();
  // Keyboard only: the reply box sends on Enter.
  await inbox.getByLabel('Reply').fill('Yes: REST and webhooks.');
  await visitor.getByText('Ana Admin is typing…').waitFor();
  await inbox.getByLabel('Reply').press('Enter');
  await visitor.getByText('Yes: REST and webhooks.').waitFor();
  await inbox.screenshot({ path: `${ARTIFACTS}/inbox.png` });
  await visitor.screenshot({ path: `${ARTIFACTS}/live-visitor-inbox-reply.png` });

  // Closing tells the visitor.
  await inbox.getByRole('button', { name: 'Close conversation' }).click();
  await visitor.getByText('The chat was closed.').waitFor();
  await agentContext.close();
  await visitorContext.close();
});

const PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '"><svg onload=window.__xss=1>',
  '<a href="javascript:window.__xss=1">click me</a>',
  'javascript:window.__xss=1',
  "{{constructor.constructor('window.__xss=1')()}}",
];

test('visitor and agent text is shown as text on both sides, whatever it contains', async () => {
  // An admin: sees every conversation.
  const { agentContext, inbox } = await signInToInbox('ana@demo.chinwag');

  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto(`${base}/widget/`);
  await visitor.getByRole('button', { name: 'Open chat' }).click();
  await visitor.getByRole('button', { name: 'Talk to sales' }).click();
  await visitor.getByLabel('First name').fill('<b>Eve</b>');
  await visitor.getByLabel('Email').fill('eve@shop.test');
  await visitor.getByRole('button', { name: 'Send' }).click();
  await visitor.getByText(/joined the chat|away right now/).waitFor();
  for (const payload of PAYLOADS) {
    await visitor.getByLabel('Type a message…').fill(payload);
    await visitor.getByLabel('Type a message…').press('Enter');
    await visitor.getByText(payload, { exact: true }).waitFor();
  }

  await inbox.getByRole('tab', { name: /All/ }).click();
  await inbox.getByRole('button', { name: /<b>Eve<\/b>/ }).click();
  for (const payload of PAYLOADS) await inbox.getByText(payload, { exact: true }).waitFor();
  const injected = await inbox.evaluate(() => document.querySelectorAll('.transcript img, .transcript script, .transcript svg, .transcript a, .transcript b').length);
  assert.equal(injected, 0, 'no elements from messages in the inbox');

  for (const payload of PAYLOADS) {
    await inbox.getByLabel('Reply').fill(payload);
    await inbox.getByLabel('Reply').press('Enter');
  }
  for (const payload of PAYLOADS) await visitor.getByText(payload, { exact: true }).nth(1).waitFor();
  const widget = await visitor.locator('chinwag-widget').evaluate(
    (h) => h.shadowRoot.querySelectorAll('.cw-log img, .cw-log script, .cw-log svg, .cw-log b, .cw-log a[href^="javascript"]').length,
  );
  assert.equal(widget, 0, 'no elements from messages in the widget');
  assert.equal(await visitor.evaluate(() => window.__xss), undefined);
  assert.equal(await inbox.evaluate(() => window.__xss), undefined);
  await inbox.screenshot({ path: `${ARTIFACTS}/inbox-xss.png` });
  await agentContext.close();
  await visitorContext.close();
});

test('two tabs of one visitor share one socket and show the same conversation', async () => {
  const agent = await agentPage('ben@demo.chinwag');
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const sockets = [];
  const watch = (tab) => tab.on('websocket', (ws) => ws.url().includes('/ws/visitor') && sockets.push(ws));
  const first = await context.newPage();
  watch(first);
  await reachLiveChat(first, 'Tove', 'tove@shop.test');
  await first.getByText('Ben Agent joined the chat').waitFor();
  let conversation;
  await eventually(async () => {
    const started = (await heard(agent)).filter((f) => f.event?.kind?.started).pop();
    conversation = started?.event.conversation;
    return Boolean(conversation);
  }, 'the agent hears of the conversation');

  const second = await context.newPage();
  watch(second);
  await second.goto(`${base}/widget/`);
  await second.getByRole('button', { name: 'Open chat' }).click();
  await second.getByText('Ben Agent joined the chat').waitFor();
  await second.getByLabel('Type a message…').fill('Written in the second tab');
  await second.getByLabel('Type a message…').press('Enter');
  await first.getByText('Written in the second tab').waitFor();
  await eventually(
    async () => (await heard(agent)).filter((f) => f.event?.kind?.message?.text === 'Written in the second tab').length === 1,
    'the agent gets it once',
  );
  await agent.evaluate((conversation) => {
    window.ws_.send(JSON.stringify({ message: { conversation, message: { id: 'a-tabs', text: 'Hello to both tabs' } } }));
  }, conversation);
  await first.getByText('Hello to both tabs').waitFor();
  await second.getByText('Hello to both tabs').waitFor();
  assert.equal(sockets.length, 1, 'one socket for both tabs');
  await second.screenshot({ path: `${ARTIFACTS}/live-second-tab.png` });

  // The tab with the socket closes: the other takes over and goes on.
  await first.close();
  await eventually(async () => sockets.length === 2, 'the second tab opens its own socket');
  await agent.evaluate((conversation) => {
    window.ws_.send(JSON.stringify({ message: { conversation, message: { id: 'a-tabs-2', text: 'Still here' } } }));
  }, conversation);
  await second.getByText('Still here').waitFor();
  await context.close();
});

test('a visitor downloads their conversation, then deletes it for good, by keyboard; the inbox drops it', async () => {
  const agent = await agentPage('ben@demo.chinwag');
  for (const viewport of [{ width: 1280, height: 800 }, { width: 375, height: 740 }]) {
    const context = await browser.newContext({ viewport, acceptDownloads: true });
    const visitor = await context.newPage();
    const errors = [];
    visitor.on('pageerror', (e) => errors.push(e.message));
    await reachLiveChat(visitor, 'Dora', `dora-${viewport.width}@shop.test`);
    await visitor.getByText('Ben Agent joined the chat').waitFor();
    await visitor.getByLabel('Type a message…').fill(`Order ${viewport.width}-4711 is late`);
    await visitor.getByLabel('Type a message…').press('Enter');
    await visitor.getByText('Delivered').waitFor();
    const conversation = (await heard(agent)).findLast((f) => f.event?.kind?.message?.text === `Order ${viewport.width}-4711 is late`)?.event.conversation;
    assert.ok(conversation, 'the agent has the message');

    // By keyboard: the menu opens with Enter; Download saves the text on screen.
    await visitor.getByText('Your conversation').focus();
    await visitor.keyboard.press('Enter');
    await visitor.screenshot({ path: `${ARTIFACTS}/live-menu-${viewport.width}.png` });
    await visitor.keyboard.press('Tab');
    const [download] = await Promise.all([visitor.waitForEvent('download'), visitor.keyboard.press('Enter')]);
    assert.equal(download.suggestedFilename(), 'conversation.txt');
    const text = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8');
    assert.match(text.split('\n')[0], /^(?!You: )[^:]+: \S/, 'the bot part first, by name');
    assert.match(text, new RegExp(`^You: Order ${viewport.width}-4711 is late$`, 'm'), 'what the visitor typed');

    // Past "Email it to me" (the visitor gave an email), Delete asks again, then the
    // conversation is gone here and in the inbox.
    await visitor.keyboard.press('Tab');
    assert.equal(await visitor.evaluate(() => document.querySelector('chinwag-widget').shadowRoot.activeElement?.textContent), 'Email it to me');
    await visitor.keyboard.press('Tab');
    await visitor.keyboard.press('Enter');
    await visitor.getByRole('button', { name: 'Delete for good?' }).waitFor();
    await visitor.screenshot({ path: `${ARTIFACTS}/live-delete-${viewport.width}.png` });
    await visitor.keyboard.press('Enter');
    await eventually(async () => (await heard(agent)).some((f) => f.erased?.conversation === conversation), 'the inbox hears it is gone');
    await visitor.getByRole('button', { name: 'Talk to sales' }).waitFor();
    assert.equal(await visitor.getByText(/4711/).count(), 0, 'nothing of it on screen');
    const kept = await visitor.evaluate(() => JSON.stringify(localStorage));
    assert.doesNotMatch(kept, /4711/, 'nothing of it in storage');
    const events = await agent.evaluate(async (c) => (await fetch(`/api/conversations/${c}/events`)).status, conversation);
    assert.equal(events, 404, 'the server has no such conversation');
    await visitor.screenshot({ path: `${ARTIFACTS}/live-deleted-${viewport.width}.png` });
    // The visitor reloads: the dialogue starts afresh, no conversation resumes.
    await visitor.reload();
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await visitor.getByRole('button', { name: 'Talk to sales' }).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('an erased conversation leaves the agent\'s open view, and the inbox says why: deleted by its visitor, erased by an admin', async () => {
  const { signIn } = await import('./hosts.mjs');
  const admin = await signIn({ live: { chat: { url: base } } }, 'ana@demo.chinwag');
  let n = 0;
  for (const viewport of [{ width: 1280, height: 800 }, { width: 375, height: 740 }]) {
    for (const how of ['visitor', 'admin']) {
      n += 1;
      const name = `Erin${n}`;
      const email = `erin-${n}@shop.test`;
      const secret = `Invoice ${viewport.width}-${how}-9911`;
      // Ana (an admin: she sees every conversation) has the chat open in the inbox.
      const { agentContext, inbox } = await signInToInbox('ana@demo.chinwag', viewport);
      const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const visitor = await visitorContext.newPage();
      await reachLiveChat(visitor, name, email);
      await visitor.getByText(/joined the chat$/).waitFor();
      await visitor.getByLabel('Type a message…').fill(secret);
      await visitor.getByLabel('Type a message…').press('Enter');
      await visitor.getByText('Delivered').waitFor();
      await inbox.getByRole('tab', { name: /All/ }).click();
      await inbox.getByRole('button', { name: new RegExp(name) }).click();
      await inbox.getByText(secret, { exact: true }).waitFor();
      await inbox.screenshot({ path: `${ARTIFACTS}/inbox-erased-before-${how}-${viewport.width}.png` });

      if (how === 'visitor') {
        await visitor.getByText('Your conversation').click();
        await visitor.getByRole('button', { name: 'Delete' }).click();
        await visitor.getByRole('button', { name: 'Delete for good?' }).click();
        await visitor.getByRole('button', { name: 'Talk to sales' }).waitFor();
      } else {
        const r = await fetch(`${base}/api/sites/demo/erase`, {
          method: 'POST',
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ email }),
        });
        assert.equal(r.status, 200, await r.text());
      }
      // The transcript leaves the screen, and the notice says why.
      await eventually(async () => (await inbox.getByText(secret).count()) === 0, 'the transcript is gone from the screen');
      await inbox.getByText(/^The conversation you had open was erased/).waitFor();
      await eventually(async () => (await inbox.getByRole('button', { name: new RegExp(name) }).count()) === 0, 'and from the list');
      await inbox.getByText('Pick a conversation.').waitFor();
      const notice = await inbox.getByRole('status').filter({ hasText: /erased/ }).textContent();
      assert.match(notice, /visitor deleted it|admin erased/, notice);
      await inbox.screenshot({ path: `${ARTIFACTS}/inbox-erased-${how}-${viewport.width}.png` });
      await visitorContext.close();
      await agentContext.close();
    }
  }
});
