// The launcher at once: the loader draws it from the site's configuration before the
// widget's wasm arrives, and the widget takes it over in place, without a frame
// without a launcher or with two. The wasm is held back here as a slow network would.
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
