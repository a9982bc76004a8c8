// The launcher at once: the loader draws it from the site's configuration before the
// widget's wasm arrives, and the widget takes it over in place, without a frame
// without a launcher or with two. The wasm is held back here as a slow network would;
// a bundle that cannot be had leaves nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, ARTIFACTS } from './lib.mjs';
import { hostAndChat } from './hosts.mjs';

const env = hostAndChat();

/** A host page whose widget wasm waits for `release()`. Records, after every batch of
 * changes in our shadow root, how many launchers it holds. */
async function heldVisit(path, options = {}) {
  const context = await env.browser.newContext(options);
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await context.route('**/widget/chinwag-widget_bg.wasm', async (route) => {
    await released;
    await route.continue();
  });
  const tab = await context.newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  await tab.addInitScript(() => {
    window.__launchers = [];
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init) {
      const root = attach.call(this, init);
      new MutationObserver(() => window.__launchers.push(root.querySelectorAll('.cw-launcher').length)).observe(root, {
        childList: true,
        subtree: true,
      });
      return root;
    };
  });
  await tab.goto(`${env.live.url}${path}`);
  return { context, tab, release, errors };
}

const launcher = (tab) => tab.getByRole('button', { name: 'Open chat' });
// The widget's own root (a plain div) holds the launcher once it has taken over.
const takenOver = (tab) =>
  tab.evaluate(() =>
    [...(document.querySelector('chinwag-widget')?.shadowRoot.children ?? [])].some(
      (child) => !child.classList.contains('cw') && child.querySelector('.cw-launcher'),
    ),
  );

test('the launcher shows before the widget arrives, and the widget takes it over in place', async () => {
  const { context, tab, release, errors } = await heldVisit('/page/enterprise');
  await launcher(tab).waitFor();
  assert.equal(await takenOver(tab), false, 'drawn by the loader, the wasm still held');
  const before = await launcher(tab).boundingBox();
  await tab.screenshot({ path: `${ARTIFACTS}/launcher-drawn-desktop.png` });
  release();
  await eventually(() => takenOver(tab), 'the widget takes the launcher over');
  assert.deepEqual(await launcher(tab).boundingBox(), before, 'same place, same size');
  const counts = await tab.evaluate(() => window.__launchers);
  assert.ok(counts.length >= 2, `drawn, then taken over: ${counts}`);
  assert.ok(counts.every((n) => n === 1), `one launcher after every change, never none or two: ${counts}`);
  await launcher(tab).click();
  await tab.getByText('Hello! Two quick questions').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone, a tap before the widget arrives opens the chat as soon as it does', async () => {
  const { context, tab, release, errors } = await heldVisit('/page/enterprise', {
    viewport: { width: 375, height: 740 },
    isMobile: true,
    hasTouch: true,
  });
  await launcher(tab).waitFor();
  await tab.screenshot({ path: `${ARTIFACTS}/launcher-drawn-375.png` });
  await launcher(tab).tap();
  await tab.waitForTimeout(300);
  assert.equal(await takenOver(tab), false);
  release();
  await tab.getByText('Hello! Two quick questions').waitFor();
  await tab.screenshot({ path: `${ARTIFACTS}/launcher-tapped-375.png` });
  assert.deepEqual(errors, []);
  await context.close();
});

test('by keyboard: focus on the drawn launcher stays on the launcher through the takeover', async () => {
  const { context, tab, release, errors } = await heldVisit('/page/enterprise');
  await launcher(tab).waitFor();
  const onLauncher = () =>
    tab.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.classList.contains('cw-launcher') ?? false);
  for (let i = 0; i < 5 && !(await onLauncher()); i++) await tab.keyboard.press('Tab');
  assert.ok(await onLauncher(), 'Tab reaches the drawn launcher');
  release();
  await eventually(() => takenOver(tab), 'the widget takes the launcher over');
  assert.ok(await onLauncher(), 'the focus moved to the widget launcher');
  await tab.keyboard.press('Enter');
  await tab.getByText('Hello! Two quick questions').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

/** What the host page shows and holds: its markup, the boxes of its own elements, and
 * its pixels. */
const hostPage = async (tab) => ({
  html: await tab.evaluate(() => document.documentElement.outerHTML),
  boxes: await tab.evaluate(() => [...document.querySelectorAll('body *')].map((e) => JSON.stringify(e.getBoundingClientRect()))),
  pixels: (await tab.screenshot()).toString('base64'),
});

test('a widget that cannot be loaded is tried once more at a click, then the launcher goes, with one warning', async () => {
  // The page as it is with no widget at all: the loader never arrives.
  const bare = await env.browser.newContext();
  await bare.route('**/chinwag.js', (route) => route.abort());
  const plain = await bare.newPage();
  await plain.goto(`${env.live.url}/page/enterprise`);
  const untouched = await hostPage(plain);
  await bare.close();

  // The bundle answers 503; the first answer comes only after the visitor's first click
  // (a slow network that then fails).
  const context = await env.browser.newContext();
  const asked = [];
  let answer;
  const clicked = new Promise((resolve) => (answer = resolve));
  await context.route('**/widget/chinwag-widget.js*', async (route) => {
    asked.push(route.request().url());
    if (asked.length === 1) await clicked;
    await route.fulfill({ status: 503, contentType: 'text/plain', body: 'unavailable' });
  });
  const tab = await context.newPage();
  const warnings = [], errors = [];
  tab.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  tab.on('pageerror', (e) => errors.push(e.message));
  await tab.goto(`${env.live.url}/page/enterprise`);
  await launcher(tab).waitFor();
  await eventually(() => asked.length === 1, 'the widget is asked for');
  await launcher(tab).click();
  answer();
  await tab.waitForTimeout(500);
  assert.equal(await launcher(tab).count(), 1, 'still there after the first failure');
  const saidFirst = [...warnings];

  await launcher(tab).click();
  await eventually(async () => (await tab.locator('chinwag-widget').count()) === 0, 'the launcher goes after the second failure');
  // Asked again: Chromium does not keep a failed import (whatwg/html#10327).
  assert.equal(asked.length, 2, `asked twice: ${asked}`);
  assert.deepEqual(saidFirst, [], 'nothing said at the first failure');
  assert.equal(warnings.filter((w) => w.startsWith('Chinwag:')).length, 1, warnings.join('\n'));

  // Nothing mounts again: the API, a navigation and a trigger do nothing, and say nothing.
  await tab.evaluate(() => {
    Chinwag('startDialogue', 'company-size-routing');
    Chinwag('identify', { email: 'dee@example.com' });
    Chinwag('open');
    history.pushState({}, '', '/page/enterprise?again');
  });
  await tab.mouse.move(0, 0);
  await tab.waitForTimeout(2_000);
  assert.equal(await tab.locator('chinwag-widget').count(), 0, 'never mounted again');
  assert.equal(asked.length, 2, 'never asked again');
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.deepEqual(errors, []);
  // The host page ends as if no widget had been there.
  await tab.evaluate(() => history.replaceState({}, '', '/page/enterprise'));
  const after = await hostPage(tab);
  assert.equal(after.html, untouched.html, 'the same markup');
  assert.deepEqual(after.boxes, untouched.boxes, 'the same layout');
  assert.equal(after.pixels, untouched.pixels, 'the same pixels');
  await context.close();
});
