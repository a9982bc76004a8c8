// What dialogues do, counted: visitors on a host page run the pricing FAQ through the
// real loader, widget and server; the widget reports each run's marks by
// navigator.sendBeacon (every few seconds and when the page hides), and the metrics
// the console shows add up to exactly what the visitors did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARTIFACTS, eventually } from './lib.mjs';
import { hostAndChat, openInbox, signIn, visit } from './hosts.mjs';

const env = hostAndChat();

async function metrics() {
  const headers = await signIn(env, 'ana@demo.chinwag');
  const r = await fetch(`${env.live.chat.url}/api/sites/demo/dialogues/pricing-faq/metrics`, { headers });
  return r.json();
}

/** A visitor on a page of the host: the page starts the FAQ (its panel opens). */
async function faq() {
  const v = await visit(env.browser, `${env.live.url}/page/plain`);
  v.reports = [];
  v.tab.on('request', (r) => r.url().endsWith('/activity') && v.reports.push(r.postData()));
  await v.tab.evaluate(() => Chinwag('startDialogue', 'pricing-faq'));
  await v.tab.getByText('What would you like to know?').waitFor();
  return v;
}

test('the metrics and the funnel add up to what visitors did', async () => {
  // A page nothing targets reports nothing at all.
  const idle = await visit(env.browser, `${env.live.url}/page/plain`);
  const idleRequests = [];
  idle.tab.on('request', (r) => idleRequests.push(r.url()));
  await idle.tab.waitForTimeout(4_000);
  assert.deepEqual(idleRequests.filter((u) => u.includes('/activity')), []);
  await idle.context.close();

  // One asks about discounts (the goal), then says no thanks; the page goes away at
  // once, so the report goes as the page hides.
  const a = await faq();
  await a.tab.getByRole('button', { name: 'Do you offer discounts?' }).click();
  await a.tab.getByRole('button', { name: 'No, thanks' }).click();
  await a.tab.getByText('Happy to help. Bye for now!').waitFor();
  await a.tab.goto('about:blank');
  // Another only looks, and stays: the periodic report tells it.
  const b = await faq();
  await eventually(() => b.reports.length > 0, 'a report within a few seconds');
  const report = JSON.parse(b.reports[0]);
  assert.equal(report.dialogue, 'pricing-faq');
  assert.equal(report.version, 1);
  assert.deepEqual(report.marks.map((m) => m.kind), ['triggered', 'reached', 'reached']);
  assert.ok(!b.reports[0].includes('What would you like'), 'no texts are sent');

  let m;
  await eventually(async () => (m = await metrics()).totals.triggered === 2, 'both runs counted', 15_000);
  assert.equal(m.totals.engaged, 1);
  assert.equal(m.totals.completed, 1);
  assert.equal(m.totals.goals_reached, 1);
  assert.deepEqual(m.goals, [{ name: 'Discount interest', count: 1 }]);
  const step = (card) => m.funnel.find((s) => s.card === card);
  assert.deepEqual(
    [step('stream[1]').reached, step('stream[1]').answered, step('stream[1]').left],
    [2, 1, 1],
    'one left at the first question',
  );
  assert.equal(step('stream[2].answers[2].then[0]').reached, 1, 'one reached the end');
  assert.deepEqual([...a.errors, ...b.errors], []);
  await a.context.close();
  await b.context.close();
  // The chart says each day as the API counts it: two runs a few seconds apart may fall
  // on two days (UTC), whatever the hour the test runs at.
  const rate = (r) => (r == null ? '—' : `${Math.round(r * 100)} %`);
  const perDay = (said) => m.days.map((d) => `${d.day}: ${said(d)}`).join('; ');
  assert.equal(m.days.reduce((n, d) => n + d.triggered, 0), 2, JSON.stringify(m.days));

  // The console shows the same numbers: in the list, beside their definitions, on the
  // designer's cards; at desktop width and on a phone.
  for (const viewport of [{ width: 1280, height: 900 }, { width: 375, height: 800 }]) {
    const { context, inbox } = await openInbox(env, 'ana@demo.chinwag', viewport);
    await inbox.getByRole('button', { name: 'Dialogues' }).click();
    const row = inbox.getByRole('row').filter({ hasText: 'pricing-faq' });
    await row.getByText('2 triggered · 1 engaged (50 %) · 1 goals').waitFor();
    await row.getByRole('button', { name: 'Pricing FAQ', exact: true }).click();
    const numbers = inbox.locator('.metrics .numbers');
    await numbers.locator('div').filter({ hasText: 'Triggered' }).locator('.figure').filter({ hasText: /^2$/ }).waitFor();
    assert.equal(await numbers.locator('div').filter({ hasText: 'Goals reached' }).locator('.figure').textContent(), '1');
    assert.equal(await numbers.locator('div').filter({ hasText: 'Engagement rate' }).locator('.figure').textContent(), '50 %');
    assert.match(await numbers.textContent(), /Runs where the visitor answered at least one card/);
    const question = inbox.locator('.tree .node').filter({ hasText: 'What would you like to know?' });
    assert.equal(await question.locator('.card-numbers').textContent(), '2 reached · 1 answered · 1 left');
    assert.equal(await inbox.locator('.metrics svg desc').textContent(), perDay((d) => `${d.triggered} triggered, ${d.engaged} engaged`));
    // A chart for any number.
    await inbox.getByLabel('Chart').selectOption({ label: 'Goals reached' });
    assert.equal(await inbox.locator('.metrics svg title').textContent(), 'Goals reached per day');
    assert.equal(await inbox.locator('.metrics svg desc').textContent(), perDay((d) => `${d.goals_reached} goals reached`));
    await inbox.getByLabel('Chart').selectOption({ label: 'Engagement rate' });
    assert.equal(await inbox.locator('.metrics svg desc').textContent(), perDay((d) => `${rate(d.engagement_rate)} engagement rate`));
    await inbox.locator('.metrics').scrollIntoViewIfNeeded();
    await inbox.screenshot({ path: `${ARTIFACTS}/metrics-${viewport.width}.png`, fullPage: true });
    await context.close();
  }
});

test("a visitor who gives their email is a lead, and the console tells their story", async () => {
  const v = await visit(env.browser, `${env.live.url}/page/plain`);
  await v.tab.evaluate(() => Chinwag('startDialogue', 'sales-handoff'));
  await v.tab.getByRole('button', { name: 'Talk to sales' }).click();
  await v.tab.getByLabel('First name').fill('Lena');
  await v.tab.getByLabel('Email').fill('lena@northwind.test');
  await v.tab.getByLabel('Company').fill('Northwind');
  await v.tab.keyboard.press('Enter');
  await v.tab.getByText(/Connecting you with our sales team/).waitFor();
  await v.tab.goto('about:blank'); // the last report goes as the page hides
  const completed = async () => {
    const headers = await signIn(env, 'ana@demo.chinwag');
    const r = await fetch(`${env.live.chat.url}/api/sites/demo/dialogues/sales-handoff/metrics`, { headers });
    return (await r.json()).totals.completed === 1;
  };
  await eventually(completed, 'the run is reported', 15_000);
  await v.context.close();

  for (const viewport of [{ width: 1280, height: 900 }, { width: 375, height: 800 }]) {
    const { context, inbox } = await openInbox(env, 'ana@demo.chinwag', viewport);
    await inbox.getByRole('button', { name: 'Leads' }).click();
    await inbox.getByRole('searchbox', { name: 'Find' }).fill('northwind');
    await eventually(async () => (await inbox.getByRole('button', { name: 'lena@northwind.test' }).count()) === 1, 'the lead is listed', 15_000);
    await inbox.getByRole('button', { name: 'lena@northwind.test' }).click();
    const story = inbox.locator('.lead-story');
    await story.getByText('Company: Northwind').waitFor();
    const company = story.getByRole('row').filter({ hasText: 'company' });
    // The hand-off carries what the form captured, and reaches the server first.
    assert.match(await company.textContent(), /Northwind(live chat|dialogue sales-handoff v1)/);
    const lines = await story.locator('.timeline li').allTextContents();
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0], /Dialogue sales-handoff \(v1\): engaged, lead, completed/);
    assert.match(lines[1], /Live chat from sales-handoff/);
    await story.scrollIntoViewIfNeeded();
    await inbox.screenshot({ path: `${ARTIFACTS}/lead-${viewport.width}.png`, fullPage: true });
    await context.close();
  }
});

// "Start over" right after the end used to lose the first run's last marks: the next
// report carried only the new run (`from 0`), so triggered, engaged, completed and the
// end card's arrivals were undercounted. Three visitors start over at once, after 1.5 s
// and after 4 s (after the periodic report), answer once in the new run, and leave.
test('a visitor who starts over at once still has the first run counted whole', async () => {
  const before = await metrics();
  const ends = (m) => m.funnel.find((s) => s.card === 'stream[2].answers[2].then[0]')?.reached ?? 0;
  const visitors = [];
  for (const pause of [0, 1_500, 4_000]) {
    const v = await faq();
    await v.tab.getByRole('button', { name: 'Do you offer discounts?' }).click();
    await v.tab.getByRole('button', { name: 'No, thanks' }).click();
    await v.tab.getByText('Happy to help. Bye for now!').waitFor();
    if (pause) await v.tab.waitForTimeout(pause);
    await v.tab.getByRole('button', { name: 'Start over' }).click();
    await v.tab.getByRole('button', { name: 'Is there a free plan?' }).click();
    await v.tab.getByText('Anything else?').waitFor();
    visitors.push(v);
  }
  for (const v of visitors) await v.tab.goto('about:blank');
  let m;
  const grew = (k) => m.totals[k] - before.totals[k];
  await eventually(async () => (m = await metrics()) && grew('triggered') >= 6 && grew('completed') >= 3 && ends(m) - ends(before) >= 3,
    'both runs of each visitor counted', 15_000).catch(() => {});
  assert.deepEqual(
    { triggered: grew('triggered'), engaged: grew('engaged'), completed: grew('completed'), goals: grew('goals_reached'), ends: ends(m) - ends(before) },
    { triggered: 6, engaged: 6, completed: 3, goals: 3, ends: 3 },
  );
  for (const v of visitors) {
    assert.deepEqual(v.errors, []);
    await v.context.close();
  }
});
