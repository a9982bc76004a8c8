// The stream designer, as a marketer who never sees the JSON uses it: a dialogue built
// from nothing (message → question → info capture → live chat routed to a team) with
// the card panel; the live-chat card moved up by keyboard alone and flagged at once,
// then undone; a card found by its text; a problem that jumps to its card; published
// and walked by a visitor through the loader. At 1280 and 768 px, axe on the designer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ARTIFACTS, eventually } from './lib.mjs';
import { hostAndChat, openInbox, visit } from './hosts.mjs';

// The text of the tree's card that has the keyboard focus (nothing elsewhere: a problem's
// button names its card too, and the focus moves to the card a frame after the click).
const focusedCard = () => (document.activeElement?.closest('.tree') ? document.activeElement.textContent : '');

const env = hostAndChat();
const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function axe(page) {
  await page.evaluate(AXE);
  const r = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
  return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const node = (page, text) => page.locator('.tree .node').filter({ hasText: text });
const draftJson = async (page) => JSON.parse(await page.getByLabel(/^Dialogue file/).inputValue());

for (const viewport of [{ width: 1280, height: 900 }, { width: 768, height: 1000 }]) {
  test(`a dialogue built in the designer without touching the file, at ${viewport.width} px`, async () => {
    const id = `designed-${viewport.width}`;
    const { context, inbox: page } = await openInbox(env, 'ana@demo.chinwag', viewport);
    await page.getByRole('button', { name: 'Dialogues' }).click();
    await page.getByLabel('Name of the new dialogue').fill(`Designed ${viewport.width}`);
    await page.getByRole('button', { name: 'Create' }).click();

    // The template's message, rewritten in the panel.
    await node(page, 'Hello!').click();
    await page.getByLabel('Text', { exact: true }).fill('Welcome to the spring sale!');
    await node(page, 'Welcome to the spring sale!').waitFor();

    // A question after it, its first answer relabelled.
    await page.getByLabel('New card').selectOption('question');
    await page.getByRole('button', { name: 'Add card' }).click();
    await page.getByLabel('Question', { exact: true }).fill('Shall we talk?');
    await page.getByLabel('Button', { exact: true }).first().fill('Talk to someone');
    await page.getByLabel('Button', { exact: true }).nth(1).fill('Just looking');

    // Into that answer: a form for the email, then a live chat routed to a team.
    await node(page, 'Talk to someone').click();
    await page.getByLabel('New card').selectOption('info_capture');
    await page.getByRole('button', { name: 'Add card' }).click();
    await page.getByLabel('New card').selectOption('live_chat');
    await page.getByRole('button', { name: 'Add card' }).click();
    await page.getByLabel('Who gets the chat').selectOption('team');
    await page.getByLabel('Team', { exact: true }).selectOption('sales');
    await page.getByText('No problems').waitFor();
    let d = await draftJson(page);
    const talk = d.stream[1].answers[0];
    assert.equal(talk.label, 'Talk to someone');
    assert.deepEqual(talk.then.map((c) => c.type), ['info_capture', 'live_chat']);
    assert.deepEqual(talk.then[1].route, { mode: 'team', team: 'sales' });
    // The draft runs in the real widget beside the designer, from its first card.
    const preview = page.frameLocator('iframe.preview-frame');
    await preview.getByText('Welcome to the spring sale!').waitFor();
    await page.locator('.preview').screenshot({ path: `${ARTIFACTS}/designer-preview-${viewport.width}.png` });
    await preview.getByRole('button', { name: 'Talk to someone' }).click();
    await preview.getByLabel(/email/i).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/designer-${viewport.width}.png`, fullPage: true });
    assert.deepEqual(await axe(page), [], 'axe on the designer');

    // A change starts the preview again with it.
    await node(page, 'Welcome to the spring sale').click();
    await page.getByLabel('Text', { exact: true }).fill('Welcome to the spring sale! Everything is 20% off.');
    await preview.getByText('Everything is 20% off.').waitFor();

    // Keyboard alone: the live-chat card, focused in the tree, moves up with Alt+↑ and
    // is flagged at once; Ctrl+Z puts it back.
    await node(page, 'Connecting you to a person').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await page.getByText(/^1 problem$/).waitFor();
    // Flagged on the card now misplaced (the form after the live chat), in words.
    await page.locator('.tree li.has-problem').filter({ hasText: 'Where can we reach you?' }).waitFor();
    await page.locator('.problems li').filter({ hasText: 'Form “Where can we reach you?” comes after the live chat card' }).waitFor();
    await eventually(async () => (await page.evaluate(focusedCard)).includes('Connecting you'),
      'the moved card keeps the focus');
    await page.screenshot({ path: `${ARTIFACTS}/designer-problem-${viewport.width}.png`, fullPage: true });
    // The problem jumps to its card.
    await page.locator('.problems button').first().click();
    await eventually(async () => /Where can we reach you/.test(await page.evaluate(focusedCard)),
      'the problem jumps to its card');
    await page.keyboard.press('Control+z');
    await page.getByText('No problems').waitFor();
    d = await draftJson(page);
    assert.deepEqual(d.stream[1].answers[0].then.map((c) => c.type), ['info_capture', 'live_chat'], 'undo restores the order');
    await page.keyboard.press('Control+Shift+z');
    await page.getByText(/^1 problem$/).waitFor();
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('No problems').waitFor();

    // Drag and drop: the form dropped on the other answer goes into it; undone.
    await node(page, 'Where can we reach you?').dragTo(node(page, 'Just looking'));
    await eventually(async () => (await draftJson(page)).stream[1].answers[1].then?.[0]?.type === 'info_capture', 'the card moved into the answer');
    await page.getByRole('button', { name: 'Undo' }).click();
    await eventually(async () => (await draftJson(page)).stream[1].answers[0].then[0].type === 'info_capture', 'undo puts it back');

    // Search by text selects the first card that has it.
    await page.getByLabel('Find a card').fill('shall we');
    await page.getByText('1 card', { exact: true }).waitFor();
    await page.getByLabel('Find a card').press('Enter');
    await page.getByLabel('Question', { exact: true }).waitFor();

    // Duplicate, then remove the copy (asked first).
    await node(page, 'Welcome to the spring sale').click();
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await eventually(async () => (await node(page, 'Welcome to the spring sale').count()) === 2, 'the copy is in the tree');
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await eventually(async () => (await node(page, 'Welcome to the spring sale').count()) === 1, 'the copy is removed');

    // Test visitors (at 1280 px): each recorded where it ends now; a relabelled answer
    // sends one elsewhere, said at once; undo brings it back.
    if (viewport.width === 1280) {
      const tv = page.locator('.test-visitors');
      await tv.locator('summary').click();
      const add = async (name, answers) => {
        await tv.getByLabel('Name').fill(name);
        await tv.getByLabel(/^Answers/).fill(answers);
        await tv.getByRole('button', { name: /^Add test visitor/ }).click();
        await tv.getByRole('row').filter({ hasText: name }).waitFor();
      };
      await add('Wants a person', 'Talk to someone');
      await add('Only browsing', 'Just looking');
      await tv.getByRole('row').filter({ hasText: 'Wants a person' }).getByText('✓ Live chat “Connecting you to a person…”').waitFor();
      await tv.getByRole('row').filter({ hasText: 'Only browsing' }).getByText('✓ the end').waitFor();
      await tv.locator('summary').filter({ hasText: '(2, all reach their card)' }).waitFor();
      await node(page, 'Talk to someone').click();
      await page.getByLabel('Button label', { exact: true }).fill('Talk to a person');
      await tv.locator('summary').filter({ hasText: '(1 of 2 now end elsewhere)' }).waitFor();
      await tv.getByRole('row').filter({ hasText: 'Wants a person' }).getByText(/✗ ends at Question “Shall we talk\?”: no answer “Talk to someone” here/).waitFor();
      await tv.screenshot({ path: `${ARTIFACTS}/designer-test-visitors-1280.png` });
      await page.getByRole('button', { name: 'Undo' }).click();
      await tv.locator('summary').filter({ hasText: '(2, all reach their card)' }).waitFor();
    }

    // Targeting by form (at 768 px only: the 1280 px dialogue stays on every page for
    // the visitor below): a page rule and a trigger, said in one line.
    if (viewport.width === 768) {
      // An optional text emptied is taken out (no "text is empty" problem); Undo.
      await node(page, 'Connecting you to a person').click();
      await page.getByLabel('Text while connecting (optional)').fill('');
      await eventually(async () => !('text' in (await draftJson(page)).stream[1].answers[0].then[1]), 'the text is taken out');
      await page.getByText('No problems').waitFor();
      await page.getByRole('button', { name: 'Undo' }).click();
      await node(page, 'Connecting you to a person').waitFor();

      await page.locator('.targeting summary').click();
      await page.getByRole('button', { name: 'Add a page rule' }).click();
      await page.getByLabel('Address text').fill('/spring');
      await page.getByLabel('Starts').selectOption('after_seconds');
      await page.getByLabel('Seconds').fill('3');
      await page.getByLabel('Seconds').press('Tab');
      await page.locator('.targeting summary').filter({ hasText: 'address contains “/spring” · everyone · after 3 s' }).waitFor();
      d = await draftJson(page);
      assert.deepEqual(d.targeting, { pages: [{ url_contains: '/spring' }], trigger: { after_seconds: 3 } });
      await page.screenshot({ path: `${ARTIFACTS}/designer-targeting-768.png`, fullPage: true });
      assert.deepEqual(await axe(page), [], 'axe with the targeting form open');
    }

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft saved (revision 1).').waitFor();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('Published as version 1.').waitFor();
    if (viewport.width === 768) {
      await page.getByRole('button', { name: '← All dialogues' }).click();
      const row = page.getByRole('row').filter({ hasText: id });
      await row.getByText('address contains “/spring” · everyone · after 3 s').waitFor();
    }
    await context.close();

    // A visitor gets it through the loader and reaches the form under the answer.
    if (viewport.width === 1280) {
      const visitor = await visit(env.browser, `${env.live.url}/page/home`);
      await visitor.tab.locator('.cw-launcher').click();
      await visitor.tab.getByText('Welcome to the spring sale!').waitFor();
      await visitor.tab.getByRole('button', { name: 'Talk to someone' }).click();
      await visitor.tab.getByLabel(/email/i).waitFor();
      await visitor.context.close();
    }
  });
}

test('a dialogue from a template, a duplicate, and a delete that asks first', async () => {
  const { context, inbox: page } = await openInbox(env, 'ana@demo.chinwag', { width: 1280, height: 900 });
  await page.getByRole('button', { name: 'Dialogues' }).click();
  await page.getByLabel('Name of the new dialogue').fill('Demo from template');
  await page.getByLabel('Start from').selectOption('book-a-demo');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.locator('.tree .node').filter({ hasText: /^meeting/ }).waitFor();
  let d = await draftJson(page);
  assert.equal(d.id, 'demo-from-template', 'the template takes the new id');
  await page.getByText('No problems').waitFor();
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByText('Draft saved (revision 1).').waitFor();
  await page.getByRole('button', { name: '← All dialogues' }).click();

  page.once('dialog', (dialog) => dialog.accept('faq-copy'));
  await page.getByRole('button', { name: 'Duplicate Pricing FAQ' }).click();
  await eventually(async () => (await draftJson(page).catch(() => ({}))).id === 'faq-copy', 'the copy opens in the editor');
  d = await draftJson(page);
  assert.equal(d.name, 'Pricing FAQ (copy)');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByText('Draft saved (revision 1).').waitFor();
  await page.getByRole('button', { name: '← All dialogues' }).click();
  const copy = page.getByRole('row').filter({ hasText: 'faq-copy' });
  await copy.waitFor();

  page.once('dialog', (dialog) => dialog.dismiss());
  await copy.getByRole('button', { name: /^Delete/ }).click();
  await page.getByRole('row').filter({ hasText: 'faq-copy' }).waitFor();
  page.once('dialog', (dialog) => dialog.accept());
  await copy.getByRole('button', { name: /^Delete/ }).click();
  await page.getByText('faq-copy deleted.').waitFor();
  await eventually(async () => (await page.getByRole('row').filter({ hasText: 'faq-copy' }).count()) === 0, 'the list no longer has it');
  await page.screenshot({ path: `${ARTIFACTS}/dialogues-list-1280.png`, fullPage: true });
  await context.close();
});
