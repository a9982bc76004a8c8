// The one-line embed, for real: a host page served from another origin than the chat
// server puts the snippet in <head>; the loader fetches the site's dialogues, picks the
// one that targets this page, and only then loads the widget. A page nothing targets,
// and an unreachable server, leave the page untouched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, get } from 'node:http';
import { readFileSync } from 'node:fs';
import { launch, startChat, ARTIFACTS, ROOT } from './lib.mjs';

let chat, chatUrl, host, hostUrl, browser;

const page = (chatHost, site = 'demo') => `<!doctype html><html lang="en"><head><title>Host</title>
<script async src="${chatHost}/chinwag.js" data-site="${site}"></script>
</head><body><h1>A host page</h1><button id="mine">The page's own button</button></body></html>`;

before(async () => {
  host = createServer((req, res) => {
    const html = req.url.startsWith('/dead')
      ? page('http://127.0.0.1:9') // nothing listens there
      : req.url.startsWith('/unknown-site')
        ? page(chatUrl, 'no-such-site')
        : page(chatUrl);
    res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  await new Promise((r) => host.listen(0, '127.0.0.1', r));
  hostUrl = `http://127.0.0.1:${host.address().port}`;
  chat = await startChat({ CHINWAG_DEMO_ORIGINS: hostUrl });
  chatUrl = chat.url;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  chat?.stop();
  host?.close();
});

async function visit(path) {
  const context = await browser.newContext();
  const tab = await context.newPage();
  const warnings = [], errors = [], requests = [];
  tab.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  tab.on('pageerror', (e) => errors.push(e.message));
  tab.on('request', (r) => requests.push(r.url()));
  await tab.goto(`${hostUrl}${path}`);
  return { context, tab, warnings, errors, requests };
}

test('the snippet in <head> on another origin runs the dialogue that targets the page', async () => {
  const { context, tab, errors } = await visit('/pricing');
  // sales-handoff targets /pricing (priority 10) and starts after 5 seconds.
  await tab.getByRole('button', { name: 'Open chat' }).waitFor({ timeout: 15_000 });
  await tab.getByRole('button', { name: 'Open chat' }).click();
  await tab.getByText('What brings you here today?').waitFor();
  await tab.getByRole('button', { name: 'Talk to sales' }).click();
  await tab.getByLabel('First name').waitFor();
  await tab.screenshot({ path: `${ARTIFACTS}/loader-host-page.png` });
  // The page's own button still works.
  await tab.locator('#mine').click();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a dialogue dismissed without an answer is held back on the next page view', async () => {
  const { context, tab } = await visit('/pricing');
  await tab.getByRole('button', { name: 'Open chat' }).waitFor({ timeout: 15_000 });
  await tab.getByRole('button', { name: 'Open chat' }).click();
  await tab.getByText('What brings you here today?').waitFor();
  await tab.keyboard.press('Escape');
  await tab.reload();
  // sales-handoff (dismissed_days 7) is held back, so the next dialogue that targets
  // /pricing runs instead: the pricing FAQ (its scroll trigger fires at once on a page
  // too short to scroll).
  await tab.getByRole('button', { name: 'Open chat' }).click();
  await tab.getByText('Questions about pricing?', { exact: false }).waitFor();
  assert.equal(await tab.getByText('What brings you here today?').count(), 0);
  await context.close();
});

/** The raw response (no decompression): status, headers and the bytes on the wire. */
function fetchRaw(url, headers) {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, bytes: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

test('the widget travels compressed: brotli or gzip, as the browser accepts, to any origin', async () => {
  const dist = `${ROOT}/target/widget-dist`;
  for (const [path, file, type] of [
    ['/widget/chinwag-widget_bg.wasm', 'chinwag-widget_bg.wasm', 'application/wasm'],
    ['/widget/chinwag-widget.js', 'chinwag-widget.js', 'javascript'],
    ['/chinwag.js', 'chinwag.js', 'javascript'],
  ]) {
    for (const [accept, encoding, suffix] of [['gzip, deflate, br', 'br', '.br'], ['gzip', 'gzip', '.gz'], ['identity', undefined, '']]) {
      const res = await fetchRaw(`${chatUrl}${path}`, { 'accept-encoding': accept, origin: hostUrl });
      assert.equal(res.status, 200, path);
      assert.equal(res.headers['content-encoding'], encoding, `${path} for ${accept}`);
      assert.ok(res.headers['content-type'].includes(type), `${path}: ${res.headers['content-type']}`);
      assert.equal(res.headers['access-control-allow-origin'], '*', path);
      assert.ok(res.headers.vary?.includes('accept-encoding'), `${path}: caches keep encodings apart`);
      assert.equal(res.bytes.length, readFileSync(`${dist}/${file}${suffix}`).length, `${path} for ${accept}`);
    }
  }
});

test('a page no dialogue targets gets nothing: no widget, no bundle downloaded', async () => {
  const { context, tab, requests, errors } = await visit('/about');
  await tab.waitForTimeout(1500);
  assert.equal(await tab.locator('chinwag-widget').count(), 0);
  assert.ok(!requests.some((u) => u.includes('chinwag-widget')), 'the widget bundle was not loaded');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a config that cannot be had leaves the page untouched with one warning', async () => {
  const { context, tab, warnings, errors } = await visit('/unknown-site/pricing');
  await tab.waitForTimeout(1500);
  assert.equal(await tab.locator('chinwag-widget').count(), 0);
  await tab.locator('#mine').click();
  assert.equal(warnings.filter((w) => w.startsWith('Chinwag')).length, 1, warnings.join('\n'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('an unreachable chat server leaves the page untouched', async () => {
  const { context, tab, errors } = await visit('/dead/pricing');
  await tab.waitForTimeout(1000);
  assert.equal(await tab.locator('chinwag-widget').count(), 0);
  await tab.locator('#mine').click();
  assert.deepEqual(errors, []);
  await context.close();
});
