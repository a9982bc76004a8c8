// Business hours, end to end (docs/inbox.md, "Business hours"): Ana gives Sales hours
// that are closed today by keyboard in the console, and makes Sales the site's hours
// team; a visitor's widget (375 px) says the team is away under its header, and
// "Talk to sales" ends at the card's fallback though Ana is available. Then Sales is
// always open again and the next visitor reads that they usually get a reply in
// minutes, and Ana joins. The real server (demo mode), widget and console; axe clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARTIFACTS, axe, chatAndBrowser, signInToInbox } from './lib.mjs';

const env = chatAndBrowser();

/** A visitor on the demo shop (the loader, as a site's pages have it) at 375 px, at the
 * sales dialogue's live-chat card as `name`. */
async function visitorThroughLoader(browser, base, name) {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const tab = await context.newPage();
  await tab.goto(`${base}/widget/demo.html`);
  await tab.evaluate(() => Chinwag('startDialogue', 'sales-handoff'));
  await tab.getByRole('button', { name: 'Talk to sales' }).click();
  await tab.getByLabel('First name').fill(name);
  await tab.getByLabel('Email').fill(`${name.toLowerCase()}@shop.test`);
  await tab.getByRole('button', { name: 'Send' }).click();
  return { context, tab };
}

const settled = (tab) => tab.evaluate(() => Promise.all(document.querySelector('chinwag-widget').shadowRoot.getAnimations().map((a) => a.finished)));

test('a team outside its business hours: the widget says so and its chats wait', async () => {
  const { base, browser } = env;
  const { agentContext, inbox } = await signInToInbox(browser, base, 'ana@demo.chinwag', { width: 1280, height: 900 });

  // Open one minute a week, on the weekday three days from now in Kiritimati (UTC+14,
  // no daylight saving): closed now at any hour of any day.
  const openDay = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][
    new Date(Date.now() + (14 * 3600 + 3 * 86400) * 1000).getUTCDay()];
  // By keyboard: Sales gets hours on that day only, 00:00-00:01, and Christmas off.
  await inbox.getByRole('button', { name: 'Agents' }).click();
  const hours = inbox.locator('form.hours');
  await hours.getByLabel('Team').selectOption('sales');
  const always = hours.getByLabel('Always open (no hours)');
  assert.equal(await always.isChecked(), true, 'a team without hours is always open');
  await always.focus();
  await inbox.keyboard.press('Space');
  await hours.getByLabel('Time zone').fill('Pacific/Kiritimati');
  await hours.getByLabel('Monday').fill('nine to five');
  await hours.getByRole('button', { name: 'Save hours' }).click();
  await hours.getByRole('alert').filter({ hasText: 'Monday: “nine to five” is not hours like 09:00-17:00' }).waitFor();
  assert.equal(await hours.getByLabel('Monday').inputValue(), 'nine to five', 'the form keeps what was typed');
  await hours.getByLabel('Monday').fill('');
  await hours.getByLabel(openDay).fill('00:00-00:01');
  await hours.getByLabel('Holidays').fill('2026-12-25');
  await hours.getByRole('button', { name: 'Save hours' }).press('Enter');
  await hours.getByText('Business hours of sales saved.').waitFor();
  await hours.scrollIntoViewIfNeeded();
  await inbox.screenshot({ path: `${ARTIFACTS}/hours-form-1280.png` });
  await axe(inbox, 'business hours saved');
  await inbox.setViewportSize({ width: 768, height: 1000 });
  await hours.scrollIntoViewIfNeeded();
  await inbox.screenshot({ path: `${ARTIFACTS}/hours-form-768.png` });
  await inbox.setViewportSize({ width: 1280, height: 900 });

  // Sales sets the reply-time line.
  await inbox.getByRole('button', { name: 'Sites' }).click();
  const appearance = inbox.locator('form.appearance').first();
  await appearance.getByLabel('Reply times follow the business hours of team').fill('sales');
  await appearance.getByRole('button', { name: 'Save appearance' }).click();
  await appearance.getByText(/^Saved: visitors see it/).waitFor();
  await inbox.getByRole('button', { name: 'Conversations' }).click();

  const vera = await visitorThroughLoader(browser, base, 'Vera');
  await vera.tab.getByText('We are away right now. Leave a message: we will answer here when we are back.').waitFor();
  await vera.tab.getByText('Our sales team is away right now.').waitFor();
  assert.equal(await vera.tab.getByText('joined the chat').count(), 0, 'Ana is available, but Sales is closed');
  await settled(vera.tab);
  await vera.tab.screenshot({ path: `${ARTIFACTS}/hours-away-375.png` });
  await axe(vera.tab, 'the widget outside hours');

  // Always open again: the line says they reply soon, and Ana joins.
  await inbox.getByRole('button', { name: 'Agents' }).click();
  await hours.getByLabel('Team').selectOption('sales');
  assert.equal(await hours.getByLabel(openDay).inputValue(), '00:00-00:01', 'the saved hours show again');
  await hours.getByLabel('Always open (no hours)').check();
  await hours.getByRole('button', { name: 'Save hours' }).click();
  await hours.getByText('Business hours of sales saved.').waitFor();
  const wes = await visitorThroughLoader(browser, base, 'Wes');
  await wes.tab.getByText('Ana Admin joined the chat').waitFor();
  // Always open has no hours to speak of: no line.
  assert.equal(await wes.tab.getByText('We usually reply in a few minutes').count(), 0);
  await settled(wes.tab);
  await wes.tab.screenshot({ path: `${ARTIFACTS}/hours-open-375.png` });
  await agentContext.close();
  await vera.context.close();
  await wes.context.close();
});
