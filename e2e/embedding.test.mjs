// The JavaScript API, targeting in single-page apps, languages and appearance, on a
// host page served from another origin than the real chat server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, ARTIFACTS, agentSocket, heard } from './lib.mjs';
import { hostAndChat, visit } from './hosts.mjs';

const env = hostAndChat();

const launcher = (tab) => tab.locator('.cw-launcher');
const events = (tab) => tab.evaluate(() => window.__events.filter((e) => !e.startsWith('message')));

test('identify() turns the anonymous branch into the known one, and events fire in order', async () => {
  const { context, tab, errors } = await visit(env.browser, `${env.live.url}/page/account`);
  await launcher(tab).click();
  await tab.getByText("Hi! Let's get you to the right person.").waitFor();
  await tab.getByLabel('Email').waitFor(); // anonymous visitors get the form

  await tab.evaluate(() => Chinwag('identify', { email: 'ana@acme.com', name: 'Ana Lima', plan: 'pro' }));
  await tab.getByText('Welcome back! We have your details').waitFor();
  assert.equal(await tab.getByLabel('Email').count(), 0, 'known visitors skip the form');
  await tab.getByRole('button', { name: 'A billing question' }).click();
  await tab.getByText('Billing is offline now', { exact: false }).waitFor();
  await tab.keyboard.press('Escape');
  await eventually(async () => (await events(tab)).length === 4, 'closed fires');
  assert.deepEqual(await events(tab), [
    'triggered@known-vs-anonymous',
    'engaged@known-vs-anonymous',
    'completed@known-vs-anonymous',
    'closed@known-vs-anonymous',
  ]);
  const messages = await tab.evaluate(() => window.__events.filter((e) => e.startsWith('message')));
  assert.ok(messages.includes('message:bot@known-vs-anonymous') && messages.includes('message:visitor@known-vs-anonymous'), messages.join());
  assert.deepEqual(errors, []);
  await context.close();
});

test('single-page navigation re-targets without reloading the page', async () => {
  const { context, tab, errors } = await visit(env.browser, `${env.live.url}/page/home`);
  await tab.waitForTimeout(800);
  assert.equal(await tab.locator('chinwag-widget').count(), 0, 'nothing targets /page/home');

  await tab.evaluate(() => history.pushState({}, '', '/page/enterprise'));
  await launcher(tab).click();
  await tab.getByText('Hello! Two quick questions').waitFor();

  await tab.evaluate(() => history.pushState({}, '', '/page/about'));
  await eventually(async () => (await tab.locator('chinwag-widget').count()) === 0, 'the widget leaves /page/about');
  await tab.goBack(); // popstate, back to /page/enterprise
  await launcher(tab).waitFor();
  assert.equal(await tab.evaluate(() => performance.getEntriesByType('navigation').length), 1, 'never reloaded');

  // Once the visitor answers, the conversation stays across navigation.
  await launcher(tab).click();
  await tab.getByRole('button', { name: '11–200' }).click();
  await tab.evaluate(() => history.pushState({}, '', '/page/about'));
  await tab.waitForTimeout(500);
  assert.equal(await tab.locator('chinwag-widget').count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a visitor who navigates away before the widget arrives finds a working launcher on coming back', async () => {
  const { context, tab, errors, warnings } = await visit(env.browser, `${env.live.url}/page/home`);
  // A slow network: the widget arrives after the visitor has left the page it was for.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await context.route('**/chinwag-widget_bg.wasm*', async (route) => {
    await held;
    await route.continue();
  });
  await tab.evaluate(() => history.pushState({}, '', '/page/enterprise'));
  await launcher(tab).waitFor();
  const arrived = tab.waitForResponse(/chinwag-widget_bg\.wasm/);
  await tab.evaluate(() => history.pushState({}, '', '/page/about'));
  await eventually(async () => (await tab.locator('chinwag-widget').count()) === 0, 'the widget leaves /page/about');
  release();
  await arrived;
  await tab.waitForTimeout(300); // the module starts, with no launcher on the page

  await tab.evaluate(() => history.pushState({}, '', '/page/enterprise'));
  await launcher(tab).click();
  await tab.getByText('Hello! Two quick questions').waitFor();
  assert.deepEqual(errors, []);
  assert.deepEqual(warnings.filter((w) => w.includes('Chinwag')), [], 'a navigation is no mistake of the page');
  await context.close();
});

test('open, close, toggle, startDialogue and shutdown', async () => {
  const { context, tab, errors } = await visit(env.browser, `${env.live.url}/page/about`);
  await tab.evaluate(() => Chinwag('startDialogue', 'pricing-faq'));
  await tab.getByText('Questions about pricing?', { exact: false }).waitFor();
  await tab.evaluate(() => Chinwag('close'));
  await eventually(async () => (await tab.locator('.cw-panel').count()) === 0, 'close');
  await tab.evaluate(() => Chinwag('toggle'));
  await tab.locator('.cw-panel').waitFor();
  await tab.evaluate(() => Chinwag('toggle'));
  await eventually(async () => (await tab.locator('.cw-panel').count()) === 0, 'toggle closes');
  await tab.evaluate(() => Chinwag('open'));
  await tab.locator('.cw-panel').waitFor();
  assert.ok((await tab.evaluate(() => Object.keys(localStorage))).some((k) => k.startsWith('chinwag:pricing-faq')));

  await tab.evaluate(() => Chinwag('shutdown'));
  await eventually(async () => (await tab.locator('chinwag-widget').count()) === 0, 'shutdown removes the widget');
  const kept = await tab.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('chinwag:')));
  assert.ok(kept.every((k) => k.startsWith('chinwag:dismissed:')), `the session is forgotten: ${kept}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the page, the site or the browser picks the language', async () => {
  const swedish = await visit(env.browser, `${env.live.url}/page/enterprise?locale=sv`);
  await swedish.tab.locator('.cw-greeting').waitFor();
  assert.match(await swedish.tab.locator('.cw-greeting').innerText(), /^Hej! Frågor om priser/);
  // Swedish plurals: "1 oläst", "2 olästa" (the browser's Intl.PluralRules picks the form).
  const label = () => launcher(swedish.tab).getAttribute('aria-label');
  await eventually(async () => (await label()) === 'Öppna chatten (1 oläst)', 'Swedish launcher with one unread');
  await eventually(async () => (await label()) === 'Öppna chatten (2 olästa)', 'Swedish launcher with two unread');
  await swedish.tab.screenshot({ path: `${ARTIFACTS}/embed-swedish-greeting.png` });
  await swedish.context.close();

  const chinese = await visit(env.browser, `${env.live.url}/page/enterprise`, { locale: 'zh-CN' });
  await eventually(async () => (await launcher(chinese.tab).getAttribute('aria-label'))?.startsWith('打开聊天'), 'Chinese from the browser');
  await launcher(chinese.tab).click();
  await chinese.tab.getByRole('button', { name: '关闭聊天' }).first().waitFor();
  await chinese.context.close();
});

test("an admin's appearance reaches visitors: dark theme, left side, own colour", async () => {
  const admin = await env.browser.newContext();
  const login = await admin.request.post(`${env.live.chat.url}/api/login`, {
    data: { email: 'ana@demo.chinwag', password: 'chinwag-demo' },
  });
  const { csrf } = await login.json();
  const put = await admin.request.put(`${env.live.chat.url}/api/sites/demo/appearance`, {
    headers: { 'x-csrf-token': csrf },
    data: JSON.stringify({ theme: 'dark', position: 'left', accent_color: '#ffb703', bot_name: 'Sunny' }),
  });
  assert.equal(put.status(), 200, await put.text());

  const { context, tab } = await visit(env.browser, `${env.live.url}/page/enterprise`);
  await launcher(tab).click();
  await tab.getByText('Hello! Two quick questions').waitFor();
  const box = await tab.locator('.cw-panel').boundingBox();
  assert.ok(box.x < 40, `the panel sits on the left (x = ${box.x})`);
  const look = await tab.locator('.cw-panel').evaluate((p) => getComputedStyle(p).backgroundColor);
  assert.equal(look, 'rgb(23, 26, 31)');
  const launcherColour = await launcher(tab).evaluate((b) => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]);
  assert.deepEqual(launcherColour, ['rgb(255, 183, 3)', 'rgb(0, 0, 0)'], 'dark text on a light accent');
  assert.ok(await tab.getByRole('heading', { name: /Sunny/ }).isVisible());
  await tab.screenshot({ path: `${ARTIFACTS}/embed-dark-left.png` });
  await context.close();
  await admin.request.put(`${env.live.chat.url}/api/sites/demo/appearance`, { headers: { 'x-csrf-token': csrf }, data: '{}' });
  await admin.close();
});

test('the demo site (scripts/run.sh) embeds with the loader and navigates as a single-page app', async () => {
  const { context, tab, errors } = await visit(env.browser, `${env.live.chat.url}/widget/demo.html`);
  await tab.getByRole('button', { name: 'Enterprise' }).click();
  await launcher(tab).click();
  await tab.locator('.cw-bubble', { hasText: 'Hello! Two quick questions' }).waitFor();
  await tab.getByRole('listitem').filter({ hasText: 'company-size-routing / bot: Hello!' }).waitFor();
  await tab.screenshot({ path: `${ARTIFACTS}/demo-site.png` });
  await tab.keyboard.press('Escape'); // the open panel covers the end of the demo's header
  await tab.getByRole('button', { name: 'Log out (shutdown)' }).click();
  await eventually(async () => (await tab.locator('chinwag-widget').count()) === 0, 'shutdown');
  await tab.getByRole('button', { name: 'Book a demo (startDialogue)' }).click();
  await tab.locator('.cw-bubble', { hasText: 'want a 20-minute demo' }).waitFor();
  // The demo dialogue's picture (on the demo page's own server) shows.
  await eventually(
    () => tab.locator('chinwag-widget').evaluate((h) => h.shadowRoot.querySelector('img.cw-image')?.naturalWidth > 0),
    'the picture loads',
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test('after a reload, live-chat lines already told are not told or counted again', async () => {
  const agent = await agentSocket(env.browser, env.live.chat.url, 'ben@demo.chinwag');
  const { context, tab, errors } = await visit(env.browser, `${env.live.url}/page/pricing`);
  const told = () => tab.evaluate(() => window.__events.filter((e) => e.startsWith('message:agent')));
  const say = (id, text) =>
    agent.evaluate(
      ([conversation, id, text]) => window.ws_.send(JSON.stringify({ message: { conversation, message: { id, text } } })),
      [conversation, id, text],
    );
  await launcher(tab).click();
  await tab.getByRole('button', { name: 'Talk to sales' }).click();
  await tab.getByLabel('First name').fill('Rita');
  await tab.getByLabel('Email').fill('rita@shop.test');
  await tab.getByRole('button', { name: 'Send' }).click();
  await tab.getByText('Ben Agent joined the chat').waitFor();
  let conversation;
  await eventually(async () => {
    conversation = (await heard(agent)).find((f) => f.event?.kind?.started)?.event.conversation;
    return Boolean(conversation);
  }, 'the agent hears of the conversation');
  await say('a-1', 'Told once');
  await tab.getByText('Told once').waitFor();
  assert.deepEqual(await told(), ['message:agent@sales-handoff']);

  // The socket replays the conversation after a reload: nothing in it is news.
  await tab.reload();
  await launcher(tab).waitFor();
  await tab.keyboard.press('Escape');
  await launcher(tab).click();
  await tab.getByText('Told once').waitFor();
  await tab.waitForTimeout(500);
  assert.deepEqual(await told(), [], 'the replayed line is not told again');
  await tab.keyboard.press('Escape');
  await say('a-2', 'News after the reload');
  await eventually(async () => (await told()).length === 1, 'the new line is told');
  assert.equal(await launcher(tab).getAttribute('aria-label'), 'Open chat (1 unread)', 'only the new line is unread');
  assert.deepEqual(errors, []);
  await context.close();
  await agent.context().close();
});
