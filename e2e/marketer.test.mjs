// The console for a marketer who has never seen the file format (issue 23): a dialogue
// named and built by clicks and typing only, published without a separate save, its
// actions counted; Publish sends what is shown; leaving with unsaved changes asks
// (the back button, another section, closing the tab); problems said in words on the
// misplaced card; "Does this page show it?" names the dialogue a visitor would get;
// restore asks, marks the live version and loads it; versions compared card by card;
// templates previewed before they are chosen. At 1280 and 768 px, by mouse and by
// keyboard alone, axe clean in every state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ARTIFACTS, eventually } from './lib.mjs';
import { hostAndChat, openInbox } from './hosts.mjs';

// The text of the tree's card that has the keyboard focus (nothing elsewhere: a problem's
// button names its card too, and the focus moves to the card a frame after the click).
const focusedCard = () => (document.activeElement?.closest('.tree') ? document.activeElement.textContent : '');

const env = hostAndChat();
const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function axe(page, state) {
  await page.evaluate(AXE);
  const r = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
  assert.deepEqual(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `axe: ${state}`);
}

const node = (page, text) => page.locator('.tree .node').filter({ hasText: text });
const draftJson = async (page) => JSON.parse(await page.getByLabel(/^Dialogue file/).inputValue());
const served = async (page, id) => {
  const config = await page.evaluate(async () => (await fetch('/api/sites/demo/config')).json());
  return config.dialogues.find((d) => d.id === id);
};

/** Counts what the marketer does: each click, fill, choice and key is one action. */
function counted(page) {
  const acts = { n: 0 };
  const wrap = (locator) => new Proxy(locator, {
    get(target, key) {
      const v = target[key];
      if (['click', 'fill', 'selectOption', 'press', 'check'].includes(key)) return (...a) => (acts.n++, v.apply(target, a));
      if (['filter', 'first', 'nth', 'getByRole', 'getByLabel', 'getByText', 'locator'].includes(key)) return (...a) => wrap(v.apply(target, a));
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { acts, by: { label: (...a) => wrap(page.getByLabel(...a)), role: (...a) => wrap(page.getByRole(...a)), node: (t) => wrap(node(page, t)), css: (s) => wrap(page.locator(s)) } };
}

for (const viewport of [{ width: 1280, height: 900 }, { width: 768, height: 1000 }]) {
  test(`from "New dialogue" to a published three-branch dialogue on one page, counted, at ${viewport.width} px`, async () => {
    const { context, inbox: page } = await openInbox(env, 'ana@demo.chinwag', viewport);
    await page.getByRole('button', { name: 'Dialogues' }).click();
    const { acts, by } = counted(page);
    const name = `Spring sale ${viewport.width}`;
    await by.label('Name of the new dialogue').fill(name);
    await by.role('button', { name: 'Create' }).click();
    await node(page, 'Hello!').waitFor();
    await axe(page, 'a new dialogue');

    await by.node('Hello!').click();
    await by.label('Text', { exact: true }).fill('Welcome to the spring sale!');
    await by.label('New card').selectOption('question');
    await by.role('button', { name: 'Add card' }).click();
    await by.label('Question', { exact: true }).fill('How can we help?');
    await by.label('Button', { exact: true }).first().fill('Talk to sales');
    await by.label('Button', { exact: true }).nth(1).fill('Email me');
    await by.role('button', { name: 'Add an answer' }).click();
    await by.label('Button', { exact: true }).nth(2).fill('Just looking');
    await by.node('Talk to sales').click();
    await by.label('New card').selectOption('live_chat');
    await by.role('button', { name: 'Add card' }).click();
    await by.node('Email me').click();
    await by.label('New card').selectOption('info_capture');
    await by.role('button', { name: 'Add card' }).click();
    await by.node('Just looking').click();
    await by.label('New card').selectOption('message');
    await by.role('button', { name: 'Add card' }).click();
    await by.label('Text', { exact: true }).fill('Enjoy the sale!');
    // One page: the targeting form's page rule.
    await by.css('.targeting summary').click();
    await by.role('button', { name: 'Add a page rule' }).click();
    await by.label('Address text').fill('/spring');
    await page.getByText('No problems').waitFor();
    await axe(page, 'the dialogue built, targeting open');
    // Publish without "Save draft": what is shown is published.
    await by.role('button', { name: 'Publish', exact: true }).click();
    await page.getByText('Published as version 1.').waitFor();
    console.log(`actions from "New dialogue" to published, at ${viewport.width} px: ${acts.n}`);
    assert.ok(acts.n <= 25, `at most 25 actions (it took 42 before issue 23): ${acts.n}`);

    const id = `spring-sale-${viewport.width}`;
    const d = await served(page, id);
    assert.equal(d.name, name, 'the name given is the name visitors’ dialogue has');
    assert.deepEqual(d.stream[1].answers.map((a) => [a.label, a.then.map((c) => c.type)]),
      [['Talk to sales', ['live_chat']], ['Email me', ['info_capture']], ['Just looking', ['message']]]);
    assert.deepEqual(d.targeting.pages, [{ url_contains: '/spring' }]);
    await page.locator('.editor').evaluate((e) => e.scrollIntoView());
    await page.screenshot({ path: `${ARTIFACTS}/marketer-published-${viewport.width}.png` });

    // The list shows its name; the funnel of a dialogue nobody saw says so in words.
    await page.getByText(/^Funnel: no visitor has seen this dialogue yet/).waitFor();
    await page.getByRole('button', { name: '← All dialogues' }).click();
    await page.getByRole('button', { name, exact: true }).waitFor();
    await context.close();
  });
}

test('Publish sends what is shown; leaving with unsaved changes asks, by keyboard alone at 768 px', async () => {
  const { context, inbox: page } = await openInbox(env, 'ana@demo.chinwag', { width: 768, height: 1000 });
  await page.getByRole('button', { name: 'Dialogues' }).click();
  // Keyboard alone: name, Tab to "Start from", Tab to Create, Enter.
  await page.getByLabel('Name of the new dialogue').focus();
  await page.keyboard.type('Keyboard only');
  await page.keyboard.press('Enter');
  await node(page, 'Hello!').waitFor();
  await page.getByRole('button', { name: 'Publish', exact: true }).focus();
  await page.keyboard.press('Enter');
  await page.getByText('Published as version 1.').waitFor();

  // A changed priority, never saved, then Publish: visitors get the new value.
  await page.locator('.targeting summary').focus();
  await page.keyboard.press('Enter');
  await page.getByLabel(/^Priority/).focus();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('7');
  await page.keyboard.press('Tab');
  await page.getByText('Unsaved changes').waitFor();
  await page.getByRole('button', { name: 'Publish', exact: true }).focus();
  await page.keyboard.press('Enter');
  await page.getByText('Published as version 2.').waitFor();
  assert.equal((await served(page, 'keyboard-only')).targeting.priority, 7, 'the unsaved priority was published');
  assert.equal(await page.getByText('Unsaved changes').count(), 0);

  // An unsaved text, then "← All dialogues": asked; staying keeps the text.
  await node(page, 'Hello!').focus();
  await page.keyboard.press('Enter');
  await page.getByLabel('Text', { exact: true }).focus();
  await page.keyboard.press('End');
  await page.keyboard.type(' And welcome.');
  await page.getByText('Unsaved changes').waitFor();
  let asked = null;
  page.once('dialog', (dialog) => { asked = dialog.message(); dialog.dismiss(); });
  await page.getByRole('button', { name: '← All dialogues' }).focus();
  await page.keyboard.press('Enter');
  await eventually(async () => asked !== null, 'the back button asks');
  assert.match(asked, /“Keyboard only” has changes that are not saved/);
  assert.equal((await draftJson(page)).stream[0].text, 'Hello! And welcome.', 'staying keeps what was typed');
  // Another section asks too.
  asked = null;
  page.once('dialog', (dialog) => { asked = dialog.message(); dialog.dismiss(); });
  await page.getByRole('button', { name: 'Leads' }).focus();
  await page.keyboard.press('Enter');
  await eventually(async () => asked !== null, 'another section asks');
  await page.getByLabel(/^Dialogue file/).waitFor();
  // Closing the tab: the browser asks (beforeunload).
  let unload = null;
  page.once('dialog', (dialog) => { unload = dialog.type(); dialog.dismiss(); });
  await page.close({ runBeforeUnload: true });
  await eventually(async () => unload !== null, 'closing the tab asks');
  assert.equal(unload, 'beforeunload');
  await axe(page, 'unsaved changes');
  // Leaving for real: the list, and nothing was saved.
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: '← All dialogues' }).click();
  await page.getByRole('button', { name: 'Keyboard only', exact: true }).waitFor();
  await context.close();
});

test('problems in words on the misplaced card; which dialogue a page shows; restore asks, is marked live and loads; compare card by card', async () => {
  const { context, inbox: page } = await openInbox(env, 'ana@demo.chinwag', { width: 1280, height: 900 });
  await page.getByRole('button', { name: 'Dialogues' }).click();
  await page.getByLabel('Name of the new dialogue').fill('Pricing helper');
  await page.getByRole('button', { name: 'Create' }).click();
  const file = page.getByLabel(/^Dialogue file/);
  const body = (thanksAfterLiveChat, name = 'Pricing helper') => JSON.stringify({
    version: 1, id: 'pricing-helper', name,
    targeting: { pages: [{ url_contains: '/pricing' }], priority: 5 },
    stream: [{ type: 'question', text: 'Questions about pricing?', answers: [
      { label: 'Talk to someone', then: thanksAfterLiveChat
        ? [{ type: 'live_chat', text: 'Connecting you', route: { mode: 'round_robin' }, fallback: 'Nobody is free' }, { type: 'message', text: 'Thanks!' }]
        : [{ type: 'message', text: 'Thanks!' }, { type: 'live_chat', text: 'Connecting you', route: { mode: 'round_robin' }, fallback: 'Nobody is free' }] },
      { label: 'No thanks', then: [{ type: 'end', text: 'Enjoy!' }] }] }],
  }, null, 2);
  await file.fill(body(true));
  // Said about the card that is misplaced, marked on it (not on the live chat card).
  await page.locator('.problems li').filter({
    hasText: 'Message “Thanks!” comes after the live chat card “Connecting you”: a live chat card must be the last card of its answer, so this card would never show.',
  }).waitFor();
  await page.locator('.tree li.has-problem').filter({ hasText: 'Thanks!' }).waitFor();
  assert.equal(await page.locator('.tree li.has-problem').count(), 1, 'one card marked');
  // The path stays for the file view.
  await page.locator('.file-problems li').filter({ hasText: 'stream[0].answers[0].then[0]: a live chat card must be the last card' }).waitFor();
  await page.locator('.problems').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}/marketer-problem-words-1280.png` });
  await axe(page, 'a problem');
  await page.locator('.problems button').first().click();
  await eventually(async () => /Thanks!/.test(await page.evaluate(focusedCard)), 'the problem jumps to the misplaced card');
  // The panel's heading is the card's kind, no path; no id box on a card nobody goes to.
  await page.getByRole('heading', { name: 'Message', exact: true }).waitFor();
  assert.equal(await page.getByLabel(/for “go to” cards/).count(), 0);

  await file.fill(body(false));
  await page.getByText('No problems').waitFor();
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText('Published as version 1.').waitFor();

  // Sales handoff (priority 10) also targets /pricing: it wins there, and the tester says so.
  const tester = page.getByLabel(/^Does this page show it/);
  await tester.fill('https://shop.example/pricing');
  await page.getByText('No: a visitor there gets “Sales handoff” instead: its priority (10) is higher than this one\'s (5).').waitFor();
  await page.locator('.targeting summary').click();
  await page.getByLabel(/^Priority/).fill('20');
  await page.getByLabel(/^Priority/).press('Tab');
  await page.getByText('Yes: a visitor there gets it at once.').waitFor();
  await tester.fill('https://shop.example/about');
  await page.getByText('No: none of its page rules matches this address.').waitFor();
  await page.getByText('A visitor already in a live chat keeps that chat\'s dialogue on every page.').waitFor();

  // Version 2 with another name; then restore version 1: asked first.
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Pricing helper, new');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText('Published as version 2.').waitFor();
  await page.locator('.versions li.live').filter({ hasText: /^v2 by ana/ }).getByText('Live: visitors get this one').waitFor();
  // Card by card, with the file's diff one click away.
  await page.getByRole('button', { name: 'Compare version 1 with the editor' }).click();
  await page.locator('.card-changes li').filter({ hasText: 'Name: “Pricing helper” → “Pricing helper, new”' }).waitFor();
  await page.locator('.card-changes li').filter({ hasText: /^Targeting: .*priority 5.* → .*priority 20/ }).waitFor();
  await page.getByText('The file\'s differences (JSON)').click();
  await page.locator('.diff del').filter({ hasText: '"name": "Pricing helper",' }).waitFor();
  await page.locator('.card-changes').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}/marketer-compare-1280.png` });
  await axe(page, 'compare open');

  let asked = null;
  page.once('dialog', (dialog) => { asked = dialog.message(); dialog.dismiss(); });
  await page.getByRole('button', { name: 'Restore version 1' }).click();
  await eventually(async () => asked !== null, 'restore asks');
  assert.match(asked, /^Publish version 1 of “Pricing helper, new” again\? Visitors get it at once, and the editor loads it\./);
  assert.equal((await served(page, 'pricing-helper')).name, 'Pricing helper, new', 'dismissed: nothing restored');
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Restore version 1' }).click();
  await page.getByText('Version 1 published again as version 3: the editor shows it.').waitFor();
  assert.equal((await draftJson(page)).name, 'Pricing helper', 'the editor shows what was restored');
  assert.equal(await page.getByRole('textbox', { name: 'Name', exact: true }).inputValue(), 'Pricing helper');
  assert.equal((await served(page, 'pricing-helper')).name, 'Pricing helper');
  await page.locator('.versions li.live').filter({ hasText: /^v3 by ana/ }).waitFor();
  assert.equal(await page.getByText('Unsaved changes').count(), 0);
  await page.locator('.versions').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}/marketer-restored-1280.png` });
  await axe(page, 'restored');
  await context.close();
});

for (const viewport of [{ width: 1280, height: 900 }, { width: 768, height: 1000 }, { width: 375, height: 740 }]) {
  test(`templates are previewed before they are chosen, at ${viewport.width} px`, async () => {
    const { context, inbox: page } = await openInbox(env, 'ana@demo.chinwag', viewport);
    await page.getByRole('button', { name: 'Dialogues' }).click();
    const options = await page.getByLabel('Start from').locator('option').allTextContents();
    assert.deepEqual(options, ['Nothing (one message)', 'Template: Lead capture', 'Template: Book a demo', 'Template: Pricing questions',
      'Template: Route by company size', 'Template: Support hand-off', 'Template: Newsletter sign-up']);
    await page.getByLabel('Start from').selectOption('newsletter-signup');
    const preview = page.getByRole('region', { name: 'Template: Newsletter sign-up' });
    await preview.getByText(/newsletter/i).first().waitFor();
    assert.ok(await preview.locator('.template-cards li').count() >= 3, 'its cards in words');
    await preview.frameLocator('iframe.preview-frame').locator('body').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/marketer-template-${viewport.width}.png`, fullPage: true });
    await axe(page, 'a template previewed');
    await page.getByLabel('Name of the new dialogue').fill(`News ${viewport.width}`);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByText('No problems').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/marketer-editor-${viewport.width}.png` });
    await axe(page, 'the editor');
    const d = await draftJson(page);
    assert.equal(d.id, `news-${viewport.width}`);
    assert.equal(d.name, `News ${viewport.width}`);
    await context.close();
  });
}

test('two publishes in a row: a late answer for the first never shows an old list', async () => {
  const { context, inbox: page } = await openInbox(env, 'ana@demo.chinwag', { width: 1280, height: 900 });
  await page.getByRole('button', { name: 'Dialogues' }).click();
  await page.getByLabel('Name of the new dialogue').fill('Late lists');
  await page.getByLabel('Name of the new dialogue').press('Enter');
  await node(page, 'Hello!').waitFor();
  const name = page.getByRole('textbox', { name: 'Name', exact: true });
  const publish = page.getByRole('button', { name: 'Publish', exact: true });
  await publish.click();
  await page.getByRole('button', { name: 'Compare version 1 with the editor' }).waitFor();
  // The list asked for after the next publish answers late, after the one after it.
  let hold = true;
  await page.route(/\/dialogues\/late-lists\/versions$/, async (route) => {
    if (!hold) return route.continue();
    hold = false;
    const response = await route.fetch();
    await new Promise((r) => setTimeout(r, 2_000));
    await route.fulfill({ response });
  });
  await name.fill('Late lists 2');
  await publish.click();
  await page.getByText('Published as version 2.').waitFor();
  await name.fill('Late lists 3');
  await publish.click();
  await page.getByText('Published as version 3.').waitFor();
  await page.getByRole('button', { name: 'Compare version 3 with the editor' }).waitFor();
  // Past the late answer: the list is still the newest.
  await new Promise((r) => setTimeout(r, 3_000));
  assert.equal(await page.getByRole('button', { name: 'Compare version 3 with the editor' }).count(), 1, 'version 3 still listed');
  assert.equal(await page.locator('.versions li.live').textContent().then((t) => t.startsWith('v3')), true, 'version 3 is the live one');
  await context.close();
});

test('by keyboard alone at 1280 px: a problem jumps to its card, compare opens the file diff, restore asks and loads', async () => {
  const { context, inbox: page } = await openInbox(env, 'ana@demo.chinwag', { width: 1280, height: 900 });
  const press = async (locator, key = 'Enter') => { await locator.focus(); await page.keyboard.press(key); };
  await press(page.getByRole('button', { name: 'Dialogues' }));
  await page.getByLabel('Name of the new dialogue').focus();
  await page.keyboard.type('Keys only');
  await page.keyboard.press('Enter');
  await node(page, 'Hello!').waitFor();
  // A question whose live chat is followed by a card, typed into the file.
  const file = page.getByLabel(/^Dialogue file/);
  await file.focus();
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText(JSON.stringify({
    version: 1, id: 'keys-only', name: 'Keys only',
    stream: [{ type: 'question', text: 'Help?', answers: [{ label: 'Yes', then: [
      { type: 'live_chat', text: 'Connecting', route: { mode: 'round_robin' }, fallback: 'Later' },
      { type: 'end', text: 'Bye' }] }] }],
  }, null, 2));
  await page.getByText(/^1 problem$/).waitFor();
  await press(page.locator('.problems button').first());
  await eventually(async () => /Bye/.test(await page.evaluate(focusedCard)), 'Enter on a problem moves the focus to its card');
  // Alt+↑ on the focused card moves it above the live chat: no problem left.
  await page.keyboard.press('Alt+ArrowUp');
  await page.getByText('No problems').waitFor();
  await press(page.getByRole('button', { name: 'Publish', exact: true }));
  await page.getByText('Published as version 1.').waitFor();
  await page.getByRole('textbox', { name: 'Name', exact: true }).focus();
  await page.keyboard.press('End');
  await page.keyboard.type(' (v2)');
  // The focus on version 1's Compare while the list reloads (a publish, clicked here by
  // script so the focus stays): it stays version 1's, not the new first row's.
  await page.getByRole('button', { name: 'Compare version 1 with the editor' }).focus();
  await page.getByRole('button', { name: 'Publish', exact: true }).dispatchEvent('click');
  await page.getByText('Published as version 2.').waitFor();
  await page.getByRole('button', { name: 'Compare version 2 with the editor' }).waitFor();
  await page.getByRole('button', { name: 'Restore version 1' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Compare version 1 with the editor');
  // Compare, then the file's diff, which the keyboard can scroll (focusable).
  await page.keyboard.press('Enter');
  await page.locator('.card-changes li').filter({ hasText: 'Name: “Keys only” → “Keys only (v2)”' }).waitFor();
  await press(page.locator('.file-diff summary'));
  await page.locator('.diff').focus();
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('diff')), true, 'the diff takes the focus');
  await axe(page, 'compare by keyboard');
  page.once('dialog', (dialog) => dialog.accept());
  await press(page.getByRole('button', { name: 'Restore version 1' }));
  await page.getByText('Version 1 published again as version 3: the editor shows it.').waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Name', exact: true }).inputValue(), 'Keys only');
  await context.close();
});
