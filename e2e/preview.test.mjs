// Drives the release build of the trunk preview (dist/) in real Chromium through
// whole dialogues, by mouse and by keyboard, at desktop and phone widths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { site, ARTIFACTS } from './lib.mjs';

const live = site('dist');

async function open(path, viewport = { width: 1400, height: 900 }) {
  const context = await live.browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${live.server.url}/${path}`);
  return { page, context, errors };
}

// Playwright's locators reach into open shadow roots, which is where the widget lives.
const widget = (page) => page.locator('.pv-host');

test('sales handoff: answer, form validation, live chat with the preview agent', async () => {
  const { page, context, errors } = await open('#sales-handoff');
  const w = widget(page);
  await w.getByRole('button', { name: 'Talk to sales' }).click();
  await w.getByLabel('First name').fill('Ana');
  await w.getByLabel('Email').fill('ana@');
  await w.getByRole('button', { name: 'Send' }).click();
  // The dialogue's own error text, shown inline and tied to the field.
  const error = w.getByText('Please use your work email, like ana@company.com');
  await error.waitFor();
  assert.equal(await w.getByLabel('Email').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByTestId('captured').innerText(), 'nothing yet', 'nothing captured from a refused form');

  await w.getByLabel('Email').fill('ana@acme.com');
  await w.getByRole('button', { name: 'Send' }).click();
  await w.getByText('Sam (preview agent) joined the chat').waitFor();
  await w.getByLabel('Type a message…').fill('Do you support SSO?');
  await w.getByLabel('Type a message…').press('Enter');
  await w.getByText('Thanks! You said "Do you support SSO?"', { exact: false }).waitFor();
  // The stand-in acknowledges the message as the server does: the receipt says so.
  await w.getByText('Delivered', { exact: true }).waitFor();

  const captured = await page.getByTestId('captured').innerText();
  assert.match(captured, /email\s+ana@acme\.com/);
  assert.match(captured, /first_name\s+Ana/);
  assert.match(await page.getByTestId('current-card').innerText(), /^stream\[1\]\.answers\[0\]\.then\[2\] \(live_chat\)$/);
  const events = await page.getByTestId('events').innerText();
  assert.deepEqual(
    events.split('\n').map((l) => l.split(' ')[0]),
    ['triggered', 'engaged', 'leadcaptured', 'completed'],
  );
  await page.screenshot({ path: `${ARTIFACTS}/preview-sales-handoff.png` });

  // A reload resumes the conversation where it stopped.
  await page.reload();
  await w.getByText('Thanks! Connecting you with our sales team…').waitFor();
  assert.match(await page.getByTestId('current-card').innerText(), /live_chat/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('keyboard only: pricing FAQ loop to the end', async () => {
  const { page, context } = await open('#pricing-faq');
  const w = widget(page);
  // Focus moves to the first answer when the card appears.
  await w.getByRole('button', { name: 'Is there a free plan?' }).waitFor();
  await page.waitForFunction(() => document.querySelector('.pv-host').shadowRoot.activeElement?.textContent === 'Is there a free plan?');
  await page.keyboard.press('Enter');
  await w.getByText('Yes: the Starter plan is free forever', { exact: false }).waitFor();
  await w.getByRole('button', { name: 'Another question' }).waitFor();
  await page.waitForFunction(() => document.querySelector('.pv-host').shadowRoot.activeElement?.textContent === 'Another question');
  await page.keyboard.press('Enter');
  await w.getByRole('button', { name: 'Can I pay yearly?' }).waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter'); // "Can I pay yearly?"
  await w.getByText('yearly billing saves two months', { exact: false }).waitFor();
  await w.getByRole('button', { name: 'No, thanks' }).waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await w.getByText('Happy to help. Bye for now!').waitFor();
  await w.getByText('This conversation has ended.').waitFor();
  // Escape closes the panel and gives focus back to the launcher.
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelector('.pv-host').shadowRoot.activeElement?.getAttribute('aria-label') === 'Open chat');
  await context.close();
});

test('phone width: the open panel fills the screen', async () => {
  const { page, context } = await open('#known-vs-anonymous', { width: 375, height: 740 });
  const w = widget(page);
  await w.getByLabel('Email').waitFor();
  const box = await w.locator('.cw-panel').boundingBox();
  const stage = await page.locator('.pv-stage').boundingBox();
  assert.equal(Math.round(box.width), Math.round(stage.width) - 2, 'panel spans the stage');
  const fontSize = await w.getByLabel('Email').evaluate((el) => getComputedStyle(el).fontSize);
  assert.equal(fontSize, '16px', 'inputs at 16px do not zoom on iOS');
  await page.screenshot({ path: `${ARTIFACTS}/preview-mobile.png`, fullPage: true });
  await context.close();
});

test('an invalid dialogue shows its problems, never a blank widget', async () => {
  const { page, context } = await open('#unknown-goto-and-duplicate-ids');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /has 4 problem\(s\)/);
  assert.match(text, /stream\[1\]\.answers\[0\]\.then\[0\]\.to: goto points to an unknown card id "helo"/);
  await page.screenshot({ path: `${ARTIFACTS}/preview-invalid.png` });
  await context.close();
});

test('book a demo: the meeting card books against the in-page stand-in', async () => {
  const { page, context, errors } = await open('#book-a-demo');
  const w = widget(page);
  await w.getByLabel('First name').fill('Ana');
  await w.getByLabel('Email').fill('ana@acme.com');
  await w.getByRole('button', { name: 'Send' }).click();
  await w.getByRole('group', { name: /^Times on / }).getByRole('button').first().click();
  await w.getByRole('button', { name: /^Book / }).click();
  await w.getByText(/^Booked: /).waitFor();
  await w.getByText(/with Preview host/).waitFor();
  await page.screenshot({ path: `${ARTIFACTS}/preview-meeting.png` });
  await w.getByRole('button', { name: 'Continue' }).click();
  await w.getByText('Thanks, talk soon!').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
