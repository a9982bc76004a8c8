// The host page stays unharmed and the widget stays usable: a hostile stylesheet
// changes nothing in the widget, it works under the
// strict CSP the docs ask for, and axe-core finds no violation with each card showing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { eventually, ARTIFACTS } from './lib.mjs';
import { hostAndChat, visit } from './hosts.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const env = hostAndChat();

/** Opens the enterprise dialogue and waits until its question shows. */
async function openEnterprise(query = '') {
  const v = await visit(env.browser, `${env.live.url}/page/enterprise${query}`);
  await v.tab.locator('.cw-launcher').click();
  await v.tab.getByText('How many people work at your company?').waitFor();
  // The panel's entrance animation, to its end (no fixed wait).
  await v.tab.evaluate(() => Promise.all(document.querySelector('chinwag-widget').shadowRoot.getAnimations().map((a) => a.finished)));
  return v;
}

/** Differing pixels between two PNGs, counted in the browser's canvas. */
async function differingPixels(tab, a, b) {
  return tab.evaluate(async ([a, b]) => {
    const load = async (data) => createImageBitmap(await (await fetch(`data:image/png;base64,${data}`)).blob());
    const [x, y] = [await load(a), await load(b)];
    if (x.width !== y.width || x.height !== y.height) return Infinity;
    const pixels = (img) => {
      const c = new OffscreenCanvas(img.width, img.height).getContext('2d');
      c.drawImage(img, 0, 0);
      return c.getImageData(0, 0, img.width, img.height).data;
    };
    const [p, q] = [pixels(x), pixels(y)];
    let n = 0;
    for (let i = 0; i < p.length; i += 4) if (p[i] !== q[i] || p[i + 1] !== q[i + 1] || p[i + 2] !== q[i + 2]) n++;
    return n;
  }, [a.toString('base64'), b.toString('base64')]);
}

test("a hostile stylesheet changes nothing in the widget", async () => {
  const clean = await openEnterprise();
  const hostile = await openEnterprise('?hostile=1');
  // The panel inside its rounded corners (the page shows through the corners).
  const shot = async (tab, name) => {
    const box = await tab.locator('.cw-panel').boundingBox();
    const clip = { x: box.x + 8, y: box.y + 8, width: box.width - 16, height: box.height - 16 };
    return tab.screenshot({ path: `${ARTIFACTS}/${name}.png`, animations: 'disabled', clip });
  };
  const [a, b] = [await shot(clean.tab, 'host-clean-panel'), await shot(hostile.tab, 'host-hostile-panel')];
  await hostile.tab.screenshot({ path: `${ARTIFACTS}/host-hostile-page.png` });
  const launcherBox = async (tab) => JSON.stringify(await tab.locator('.cw-launcher').boundingBox());
  assert.equal(await launcherBox(hostile.tab), await launcherBox(clean.tab), 'the launcher sits where it always does');
  assert.equal(await differingPixels(clean.tab, a, b), 0, 'the panel looks the same');
  // The overlay covers the page, not the widget: the launcher still takes clicks.
  await hostile.tab.locator('.cw-launcher').click();
  await eventually(async () => (await hostile.tab.locator('.cw-panel').count()) === 0, 'closed by a click');
  await clean.context.close();
  await hostile.context.close();
});

test('under the documented CSP the widget loads, styles itself and reaches live chat', async () => {
  const { context, tab, errors } = await visit(env.browser, `${env.live.url}/page/enterprise?csp=1`);
  await tab.locator('.cw-launcher').click();
  await tab.getByRole('button', { name: '11–200' }).click();
  await tab.getByLabel('Email').fill('ana@acme.example');
  await tab.getByLabel('Company', { exact: true }).fill('Acme');
  await tab.getByRole('button', { name: 'Send' }).click();
  await tab.getByText('All our specialists are busy', { exact: false }).waitFor();
  const radius = await tab.locator('.cw-panel').evaluate((p) => getComputedStyle(p).borderTopLeftRadius);
  assert.equal(radius, '14px', 'the stylesheet applied');
  await tab.screenshot({ path: `${ARTIFACTS}/host-csp.png` });
  assert.deepEqual(errors, [], 'no CSP violation, no error');
  await context.close();
});

async function axe(tab, label) {
  await tab.addScriptTag({ content: AXE });
  const result = await tab.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
  const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  assert.deepEqual(found, [], `axe-core on ${label}`);
}

test('axe-core finds no violation with each card type showing', async () => {
  const { context, tab } = await visit(env.browser, `${env.live.url}/page/about`);
  await tab.evaluate(() => Chinwag('startDialogue', 'sales-handoff'));
  await tab.getByRole('button', { name: 'Talk to sales' }).waitFor();
  await axe(tab, 'message and question cards');
  await tab.getByRole('button', { name: 'Talk to sales' }).click();
  await tab.getByLabel('First name').waitFor();
  await tab.getByRole('button', { name: 'Send' }).click(); // shows the field errors
  await tab.getByText('Please fill this in.').first().waitFor();
  await axe(tab, 'info capture card with errors');
  await tab.getByLabel('First name').fill('Ana');
  await tab.getByLabel('Email').fill('ana@acme.example');
  await tab.getByRole('button', { name: 'Send' }).click();
  await tab.getByPlaceholder('Type a message…').waitFor();
  await axe(tab, 'live chat card');

  await tab.evaluate(() => Chinwag('startDialogue', 'book-a-demo'));
  await tab.getByLabel('First name').waitFor();
  await tab.getByLabel('First name').fill('Ana');
  await tab.getByLabel('Email').fill('ana@acme.example');
  await tab.getByRole('button', { name: 'Send' }).click();
  await tab.getByRole('group', { name: 'Choose a day' }).waitFor();
  await axe(tab, 'meeting card');
  await tab.getByRole('group', { name: /^Times on / }).getByRole('button').first().click();
  await tab.getByRole('button', { name: /^Book / }).click();
  await tab.getByText(/^Booked: /).waitFor();
  await axe(tab, 'meeting booked');
  await tab.getByRole('button', { name: 'Continue' }).click();
  await tab.getByText('This conversation has ended.').waitFor();
  await axe(tab, 'end card');

  await tab.evaluate(() => Chinwag('close'));
  await axe(tab, 'closed launcher');
  await context.close();
});

test('on a phone the full-screen panel keeps focus, and Escape returns it to the launcher', async () => {
  const { context, tab } = await visit(env.browser, `${env.live.url}/page/enterprise`, { viewport: { width: 375, height: 700 }, hasTouch: true });
  const launcher = tab.locator('.cw-launcher');
  await launcher.focus();
  await tab.keyboard.press('Enter');
  await tab.getByText('How many people work at your company?').waitFor();
  const box = await tab.locator('.cw-panel').boundingBox();
  assert.deepEqual([box.width, box.height], [375, 700], 'full screen');
  const inPanel = () => tab.evaluate(() => {
    const root = document.querySelector('chinwag-widget').shadowRoot;
    return !!root.activeElement && !!root.activeElement.closest('.cw-panel');
  });
  for (let i = 0; i < 14; i++) {
    await tab.keyboard.press('Tab');
    assert.ok(await inPanel(), `Tab ${i + 1} stays in the panel`);
  }
  for (let i = 0; i < 4; i++) {
    await tab.keyboard.press('Shift+Tab');
    assert.ok(await inPanel(), `Shift+Tab ${i + 1} stays in the panel`);
  }
  await tab.screenshot({ path: `${ARTIFACTS}/host-mobile-focus.png` });
  await tab.keyboard.press('Escape');
  const focused = () => tab.evaluate(() => document.querySelector('chinwag-widget').shadowRoot.activeElement?.className);
  await eventually(async () => (await focused()) === 'cw-launcher', 'focus back on the launcher');
  await context.close();
});
