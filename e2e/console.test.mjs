// The console's first screens, in the inbox app as an admin: a new dialogue written in
// the editor with the validator running as you type (a misplaced live-chat card is
// flagged on its card), published, then walked by a visitor on a host page through the
// loader; a conflicting save from a second browser refused with the other change, the
// typed text kept; a rollback; sites with their snippet. At 1280 and 768 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ARTIFACTS, ROOT, eventually } from './lib.mjs';
import { hostAndChat, openInbox, visit } from './hosts.mjs';

const env = hostAndChat();
const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function console_(viewport = { width: 1280, height: 900 }) {
  const { context, inbox: page } = await openInbox(env, 'ana@demo.chinwag', viewport);
  await page.getByRole('button', { name: 'Dialogues' }).click();
  return { context, page };
}

async function axe(page) {
  await page.evaluate(AXE);
  const r = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
  return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const spring = (liveChatFirst) => JSON.stringify({
  version: 1, id: 'spring-offer', name: 'Spring offer',
  stream: [
    { type: 'question', text: 'Shopping for the spring?', answers: [
      { label: 'Talk to someone', then: liveChatFirst
        ? [{ type: 'live_chat', route: { mode: 'round_robin' }, fallback: 'Nobody is free' }, { type: 'message', text: 'Thanks!' }]
        : [{ type: 'message', text: 'One moment.' }, { type: 'live_chat', route: { mode: 'round_robin' }, fallback: 'Nobody is free' }] },
      { label: 'Just looking', then: [{ type: 'end', text: 'Enjoy!' }] },
    ] },
  ],
}, null, 2);

test('what the marketer types before the new dialogue has loaded is kept, not replaced', async () => {
  const { context, page } = await console_();
  // A slow server: the new dialogue's own answer comes after the marketer has typed.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await context.route(/\/api\/sites\/demo\/dialogues\/slow-start$/, async (route) => {
    if (route.request().method() === 'GET') await held;
    await route.continue();
  });
  await page.getByLabel('Name of the new dialogue').fill('Slow start');
  await page.getByRole('button', { name: 'Create' }).click();
  const file = page.getByLabel(/^Dialogue file/);
  const typed = spring(true).replace('spring-offer', 'slow-start');
  await file.fill(typed);
  const answered = page.waitForResponse((r) => /dialogues\/slow-start$/.test(r.url()) && r.request().method() === 'GET');
  release();
  await answered;
  await page.getByText(/^1 problem$/).waitFor();
  assert.equal(await file.inputValue(), typed, 'the typed file stays');
  await context.close();
});

test('a dialogue from nothing: flagged as typed, fixed, published, walked by a visitor; then a conflict and a rollback', async () => {
  const { context, page } = await console_();
  await page.getByLabel('Name of the new dialogue').fill('Spring offer');
  await page.getByRole('button', { name: 'Create' }).click();
  const file = page.getByLabel(/^Dialogue file/);
  await file.fill(spring(true));
  // The validator, in the page: the misplaced live-chat card is flagged on its card.
  await page.getByText(/^1 problem$/).waitFor();
  await page.locator('.problems li').filter({ hasText: 'Message “Thanks!” comes after the live chat card' }).waitFor();
  await page.locator('.file-problems li').filter({ hasText: 'stream[0].answers[0].then[0]' }).waitFor();
  await page.locator('.tree li.has-problem').filter({ hasText: 'Thanks!' }).waitFor();
  await page.screenshot({ path: `${ARTIFACTS}/console-editor-problem-1280.png`, fullPage: true });
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByText('Draft saved (revision 1).').waitFor();
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText('Not published: fix the problem below first. Your changes are kept here.').waitFor();

  await file.fill(spring(false));
  await page.getByText('No problems').waitFor();
  // The URL tester runs the page rules the loader runs (one shared table of cases).
  await file.fill(spring(false).replace('"stream"', '"targeting": { "pages": [{ "url_starts_with": "https://shop.example/spring" }] },\n  "stream"'));
  const tester = page.getByLabel(/^Does this page show it/);
  await tester.fill('https://shop.example/SPRING/sale');
  await page.getByText('Yes: a visitor there gets it at once.').waitFor();
  await tester.fill('https://shop.example/winter');
  await page.getByText('No: none of its page rules matches this address.').waitFor();
  await file.fill(spring(false));
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByText('Draft saved (revision 2).').waitFor();
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText('Published as version 1.').waitFor();
  assert.deepEqual(await axe(page), [], 'axe on the editor');
  await page.screenshot({ path: `${ARTIFACTS}/console-editor-1280.png`, fullPage: true });

  // A visitor on a page no other dialogue targets gets it through the loader.
  const visitor = await visit(env.browser, `${env.live.url}/page/home`);
  await visitor.tab.locator('.cw-launcher').click();
  await visitor.tab.getByText('Shopping for the spring?').waitFor();
  await visitor.tab.getByRole('button', { name: 'Just looking' }).click();
  await visitor.tab.getByText('Enjoy!').waitFor();
  await visitor.context.close();

  // A second admin saves first; this editor's save is refused, its text kept.
  const other = await console_();
  await other.page.getByRole('button', { name: 'Spring offer', exact: true }).click();
  const otherFile = other.page.getByLabel(/^Dialogue file/);
  await eventually(async () => (await otherFile.inputValue()).includes('Spring offer'), 'the other editor loads');
  await otherFile.fill(spring(false).replace('Spring offer', 'Spring offer (Ben)'));
  await other.page.getByRole('button', { name: 'Save draft' }).click();
  await other.page.getByText('Draft saved (revision 3).').waitFor();
  const mine = spring(false).replace('Spring offer', 'Spring offer (Ana)');
  await file.fill(mine);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByRole('alert').filter({ hasText: 'saved this dialogue after you opened it' }).waitFor();
  assert.equal(await file.inputValue(), mine, 'what was typed stays');
  await page.locator('.conflict pre').filter({ hasText: 'Spring offer (Ben)' }).waitFor();
  await page.screenshot({ path: `${ARTIFACTS}/console-conflict-1280.png`, fullPage: true });
  await page.getByRole('button', { name: 'Keep mine (save over theirs)' }).click();
  await page.getByText('Draft saved (revision 4).').waitFor();
  await other.context.close();

  // Publish the new name, then roll back to version 1.
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText('Published as version 2.').waitFor();
  // What changed since version 1, card by card, and line by line one click away.
  await page.getByRole('button', { name: 'Compare version 1 with the editor' }).click();
  await page.locator('.card-changes li').filter({ hasText: 'Name: “Spring offer” → “Spring offer (Ana)”' }).waitFor();
  await page.getByText('The file\'s differences (JSON)').click();
  await page.locator('.diff del').filter({ hasText: '"name": "Spring offer",' }).waitFor();
  await page.locator('.diff ins').filter({ hasText: '"name": "Spring offer (Ana)",' }).waitFor();
  await page.screenshot({ path: `${ARTIFACTS}/console-diff-1280.png`, fullPage: true });
  assert.deepEqual(await axe(page), [], 'axe with the diff open');
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Restore version 1' }).click();
  await page.getByText('Version 1 published again as version 3: the editor shows it.').waitFor();
  assert.equal(JSON.parse(await file.inputValue()).name, 'Spring offer', 'the editor shows what was restored');
  // A file from disk, checked at once.
  await page.getByLabel('Import file').setInputFiles(`${ROOT}/www/fixtures/invalid/live-chat-not-last.json`);
  await page.getByText(/^Imported live-chat-not-last\.json/).waitFor();
  await page.locator('.problems li').filter({ hasText: 'a live chat card must be the last card of its answer' }).first().waitFor();
  await context.close();
});

test('sites: the snippet to copy and the switch, at 768 px', async () => {
  const { context, page } = await console_({ width: 768, height: 900 });
  await page.getByRole('button', { name: 'Sites' }).click();
  const snippet = page.getByLabel('Embed snippet').first();
  await eventually(async () => (await snippet.inputValue()).includes('data-site="demo"'), 'the demo site shows');
  assert.match(await snippet.inputValue(), /^<script async src="http:\/\/127\.0\.0\.1:[1-9]\d*\/chinwag\.js" data-site="demo"><\/script>$/);
  // Consent before merging visits: ticked by keyboard, saved, still ticked after a reload.
  const consent = () => page.getByRole('checkbox', { name: /Ask consent before merging a visit/ }).first();
  await consent().focus();
  await page.keyboard.press('Space');
  await page.locator('form.card').first().getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Saved.').first().waitFor();
  await page.locator('form.card').first().screenshot({ path: `${ARTIFACTS}/console-site-consent-768.png` });
  await page.reload();
  await page.getByRole('button', { name: 'Sites' }).click();
  await eventually(async () => await consent().isChecked(), 'the consent setting is kept');
  await page.getByLabel('Id (letters, digits, - and _)').fill('shop');
  await page.getByLabel('Name', { exact: true }).last().fill('Shop');
  await page.getByLabel('Allowed origins, one per line').last().fill('not an origin');
  await page.getByRole('button', { name: 'Create site' }).click();
  await page.getByRole('alert').filter({ hasText: 'is not an origin' }).waitFor();
  assert.equal(await page.getByLabel('Id (letters, digits, - and _)').inputValue(), 'shop', 'the form keeps what was typed');
  assert.deepEqual(await axe(page), [], 'axe on sites (before a low-contrast accent, which the swatch shows as it is)');
  // An accent text cannot be read on: warned, kept only when saved again.
  const appearance = page.locator('form.appearance').first();
  // The real widget beside the form follows it as it is typed.
  await appearance.getByLabel('Bot name').fill('Sol');
  const look = appearance.frameLocator('iframe.appearance-frame');
  await look.getByRole('heading', { name: 'Chat with Sol' }).waitFor();
  await look.getByText('Hi! This is how your chat looks.').waitFor();
  await appearance.screenshot({ path: `${ARTIFACTS}/console-appearance-768.png` });
  await appearance.getByLabel('as hex').fill('#7f7f7f');
  await appearance.getByRole('alert').filter({ hasText: /^Contrast [0-4]\.\d:1/ }).waitFor();
  await appearance.getByRole('button', { name: 'Save appearance' }).click();
  await appearance.getByText(/^Text on this accent colour is hard to read/).waitFor();
  await appearance.getByRole('button', { name: 'Save appearance' }).click();
  await appearance.getByText(/^Saved: visitors see it/).waitFor();
  const config = await (await fetch(`${env.live.chat.url}/api/sites/demo/config`, { headers: { origin: env.live.url } })).json();
  assert.match(Object.values(config.css)[0], /#7f7f7f/i, 'the loader gets the new accent');
  // Every change is in the log below, with who made it.
  await page.getByRole('cell', { name: 'dialogue.restore' }).waitFor();
  await page.reload();
  await page.getByRole('button', { name: 'Sites' }).click();
  await page.getByRole('cell', { name: 'site.appearance' }).waitFor();
  await page.screenshot({ path: `${ARTIFACTS}/console-sites-768.png`, fullPage: true });
  await context.close();
});

test('agents and teams: a team, an agent in it who then signs in without the console', async () => {
  const { context, page } = await console_();
  await page.getByRole('button', { name: 'Agents' }).click();
  await page.getByRole('cell', { name: 'ben@demo.chinwag' }).waitFor();
  await page.getByLabel('Id', { exact: true }).fill('support');
  await page.getByLabel('Name', { exact: true }).last().fill('Support');
  await page.getByRole('button', { name: 'Add team' }).click();
  await page.getByText('Teams now: billing, enterprise, sales, support').waitFor();
  await page.getByLabel('Name', { exact: true }).first().fill('Dee Support');
  await page.getByLabel('Email').fill('dee@demo.chinwag');
  await page.getByLabel(/^First password/).fill('short');
  await page.getByLabel(/^Teams/).fill('support');
  // The browser's own check first; then the server's, which keeps the form as typed.
  await page.getByLabel(/^First password/).evaluate((input) => input.removeAttribute('minlength'));
  await page.getByRole('button', { name: 'Add agent' }).click();
  await page.getByRole('alert').filter({ hasText: 'passwords have at least 10 characters' }).waitFor();
  assert.equal(await page.getByLabel('Email').inputValue(), 'dee@demo.chinwag');
  await page.getByLabel(/^First password/).fill('dee-first-password');
  await page.getByRole('button', { name: 'Add agent' }).click();
  await page.getByText(/^Agent dee added/).waitFor();
  const row = page.getByRole('row').filter({ hasText: 'dee@demo.chinwag' });
  await eventually(async () => row.getByLabel('support', { exact: true }).isChecked(), 'Dee is in support');
  // Teams ticked on the row; the live-chat permission.
  await row.getByLabel('sales', { exact: true }).check();
  await page.getByText('Teams saved.').waitFor();
  await row.getByLabel('Dee Support gets chats').uncheck();
  await page.getByText('Saved.', { exact: true }).waitFor();
  assert.equal(await row.getByLabel('Dee Support gets chats').isChecked(), false);
  // The routing order of each pool shows her in Sales, never given a chat.
  await page.locator('.routing-order tr').filter({ hasText: 'Sales' }).getByText('dee (not available)').waitFor();
  assert.deepEqual(await axe(page), [], 'axe on agents');
  await page.screenshot({ path: `${ARTIFACTS}/console-agents-1280.png`, fullPage: true });

  const dee = await env.browser.newContext();
  const inbox = await dee.newPage();
  await inbox.goto(`${env.live.chat.url}/inbox/`);
  await inbox.getByLabel('Email').fill('dee@demo.chinwag');
  await inbox.getByLabel('Password').fill('dee-first-password');
  await inbox.getByLabel('Password').press('Enter');
  await inbox.getByRole('button', { name: 'Meetings' }).waitFor();
  assert.equal(await inbox.getByRole('button', { name: 'Dialogues' }).count(), 0, 'agents do not see the console');

  // Deactivated (asked first): Dee's next sign-in is refused with the reason.
  page.once('dialog', (dialog) => dialog.accept());
  await row.getByRole('button', { name: 'Deactivate Dee Support' }).click();
  await page.getByText('Dee Support deactivated.').waitFor();
  await row.getByRole('button', { name: 'Reactivate Dee Support' }).waitFor();

  // Invited instead of a password handed over: Fay chooses her own with the link.
  await page.getByLabel('Name', { exact: true }).first().fill('Fay Invited');
  await page.getByLabel('Email').fill('fay@demo.chinwag');
  await page.getByLabel(/^First password/).fill('');
  await page.getByLabel(/^Teams/).fill('');
  await page.getByRole('button', { name: 'Add agent' }).click();
  const said = await page.getByText(/^Agent fay added\. Send them this one-time link/).textContent();
  const link = said.match(/(http\S+#invite=\w+)/)[1];
  await context.close();
  const fay = await env.browser.newContext();
  const welcome = await fay.newPage();
  await welcome.goto(link);
  await welcome.getByLabel(/^Password \(10 characters/).fill('fay-own-password');
  await welcome.getByRole('button', { name: 'Set my password' }).click();
  await welcome.getByText('Your password is set: sign in with it.').waitFor();
  assert.equal(await welcome.getByLabel('Email').inputValue(), 'fay@demo.chinwag');
  await welcome.getByLabel('Password').fill('fay-own-password');
  await welcome.getByLabel('Password').press('Enter');
  await welcome.getByRole('button', { name: 'Meetings' }).waitFor();
  await fay.close();
  await inbox.reload();
  await inbox.getByLabel('Email').fill('dee@demo.chinwag');
  await inbox.getByLabel('Password').fill('dee-first-password');
  await inbox.getByLabel('Password').press('Enter');
  await inbox.getByText(/deactivated/).waitFor();
  await dee.close();
});
