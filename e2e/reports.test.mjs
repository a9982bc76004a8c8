// Reports, end to end (docs/reports.md): Ana answers a chat, closes it, its visitor
// rates it 5; a second chat nobody answers. The Reports page shows the period for
// everyone, per agent and per team, a bar per day, and a CSV of the same; by keyboard,
// at 1280 and 768 px, axe clean. Then the list's filters by agent and team.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ARTIFACTS, axe, chatAndBrowser, eventually, signInToInbox, visitorAtLiveChat } from './lib.mjs';

const env = chatAndBrowser();

test('the reports page counts answered and missed chats, response times and ratings', async () => {
  const { base, browser } = env;
  const { agentContext, inbox } = await signInToInbox(browser, base, 'ana@demo.chinwag', { width: 1280, height: 900 });
  const uma = await visitorAtLiveChat(browser, base, 'Uma');
  const item = inbox.locator('.list .item', { hasText: 'Uma' });
  await item.click();
  await inbox.getByLabel('Reply').fill('Hello Uma, how can I help?');
  await inbox.getByLabel('Reply').press('Enter');
  await uma.tab.getByText('Hello Uma, how can I help?').waitFor();
  await item.focus();
  await inbox.keyboard.press('e');
  await uma.tab.getByRole('button', { name: '5 out of 5' }).click();
  await uma.tab.getByText('Thank you for rating this chat.').waitFor();
  // Ana away: the next chat is nobody's, and nobody answers it.
  await inbox.getByLabel('Status').selectOption('away');
  const vic = await visitorAtLiveChat(browser, base, 'Vic', undefined, { joined: false });
  await vic.tab.getByText('Our sales team is away right now.').waitFor();

  await inbox.getByRole('button', { name: 'Reports' }).click();
  const agents = inbox.getByRole('table', { name: 'Per agent' });
  const anas = agents.getByRole('row', { name: /Ana Admin/ });
  await anas.waitFor();
  const cells = await anas.getByRole('cell').allInnerTexts();
  assert.deepEqual(cells.slice(0, 3), ['1', '1', '0'], 'one conversation, answered');
  assert.equal(cells[5], '5.0 of 5 (1)');
  const everyone = await inbox.getByRole('table', { name: 'Everyone' }).getByRole('cell').allInnerTexts();
  assert.deepEqual(everyone.slice(0, 3), ['2', '1', '1'], 'two conversations, one missed');
  const sales = await inbox.getByRole('table', { name: 'Per team' }).getByRole('row', { name: /Sales/ }).getByRole('cell').allInnerTexts();
  assert.equal(sales[0], '2');
  await inbox.getByRole('img', { name: /per day/ }).waitFor();
  await inbox.screenshot({ path: `${ARTIFACTS}/reports-1280.png` });
  await axe(inbox, 'reports');

  // By keyboard: an impossible period is refused, and says why.
  await inbox.getByLabel('From').fill('2026-12-31');
  await inbox.getByLabel('To').fill('2026-01-01');
  await inbox.getByLabel('To').press('Enter');
  await inbox.getByRole('alert').filter({ hasText: 'from comes after to' }).waitFor();
  await inbox.getByLabel('From').fill('');
  await inbox.getByLabel('To').fill('');
  await inbox.getByRole('button', { name: 'Show' }).press('Enter');
  await anas.waitFor();

  const [download] = await Promise.all([
    inbox.waitForEvent('download'),
    inbox.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /^group,id,name,conversations,answered,missed,/);
  assert.match(csv, /"agent","ana","Ana Admin","1","1","0"/);
  await inbox.setViewportSize({ width: 768, height: 1000 });
  await inbox.screenshot({ path: `${ARTIFACTS}/reports-768.png`, fullPage: true });
  await inbox.setViewportSize({ width: 1280, height: 900 });

  // The list's filters by agent and team (admins): Vic's chat is Sales' and nobody's.
  await inbox.getByRole('button', { name: 'Conversations' }).click();
  await inbox.getByRole('tab', { name: /All/ }).click();
  const list = inbox.locator('.list ul');
  await list.getByText('Vic').waitFor();
  await inbox.getByLabel('Only the chats of this team').selectOption('sales');
  await list.getByText('Vic').waitFor();
  await inbox.getByLabel('Only the chats of this team').selectOption('billing');
  await eventually(async () => (await list.getByText('Vic').count()) === 0, 'billing has no chat');
  await inbox.getByLabel('Only the chats of this team').selectOption('');
  await inbox.getByLabel('Only the chats of this agent').selectOption('ana');
  await eventually(async () => (await list.getByText('Vic').count()) === 0, 'Vic is nobody\'s');
  await inbox.getByRole('button', { name: /^Closed/ }).click();
  await list.getByText('Uma').waitFor();
  await inbox.screenshot({ path: `${ARTIFACTS}/filters-1280.png` });
  await axe(inbox, 'the list filtered by agent');
  await agentContext.close();
  await uma.context.close();
  await vic.context.close();
});
