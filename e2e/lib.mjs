// Shared helpers for the end-to-end tests: a static file server for trunk's output
// and the system Chromium, launched the way this offline machine needs.
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { basename, extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** Serves `root` under `prefix` on an ephemeral loopback port; resolves to { url, close }. */
export async function serve(root, prefix = '/') {
  const server = createServer(async (req, res) => {
    const pathname = new URL(req.url, 'http://x').pathname;
    if (!pathname.startsWith(prefix)) return res.writeHead(404).end('not found');
    const path = normalize(decodeURIComponent(pathname.slice(prefix.length - 1))).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path.endsWith('/') ? path + 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/** The system Chromium, headless, with networking extras off (no internet here).
 * Playwright gives every launch a fresh, empty profile. */
export async function launch(extra = []) {
  return chromium.launch({
        executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync',
          ...extra,
        ],
      });
}

export const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
await mkdir(ARTIFACTS, { recursive: true });

/** Fails with `message` unless `predicate()` becomes true within `ms`. */
export async function eventually(predicate, message, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > end) throw new Error(`timed out: ${message}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Serves `dir` (relative to the repository root) and launches Chromium for the tests
 * of one file; both are stopped after them. Returns a live view: `{ server, browser }`.
 */
export function site(dir, prefix = '/') {
  const live = {};
  before(async () => {
    live.server = await serve(fileURLToPath(new URL(`../${dir}/`, import.meta.url)), prefix);
    live.browser = await launch();
  });
  after(async () => {
    await live.browser?.close();
    live.server?.close();
  });
  return live;
}

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Starts the real Chinwag server (`target/debug/chinwag serve --demo`) on a fresh
 * SQLite file and an ephemeral port; resolves to { url, stop, restart }. `restart()`
 * kills it with SIGKILL (nothing flushed, nothing said to clients) and starts it again
 * on the same port and database, with the same secret so visitors' tokens hold.
 */
export async function startChat(env = {}, { cwd = ROOT } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'chinwag-e2e-'));
  const settings = {
    ...process.env,
    CHINWAG_DATABASE: join(dir, 'chinwag.db'),
    CHINWAG_WIDGET_DIR: join(ROOT, 'target/widget-dist'),
    CHINWAG_INBOX_DIR: join(ROOT, 'target/inbox-dist'),
    CHINWAG_SECRET: `e2e-secret-${Math.random().toString(36).slice(2)}-0123456789`,
    ...env,
  };
  let server;
  const identity = {};
  mkdirSync(ARTIFACTS, { recursive: true });
  const log = join(ARTIFACTS, `server-${basename(dir)}.log`);
  const start = (listen) => {
    server = spawn(join(ROOT, 'target/debug/chinwag'), ['serve', '--demo'], {
      cwd,
      env: { ...settings, CHINWAG_LISTEN: listen },
    });
    const process_ = server;
    // Everything the server says goes to a file beside the screenshots, to read when a
    // test fails (the server logs to stdout).
    process_.stdout.on('data', (d) => appendFileSync(log, d));
    process_.stderr.on('data', (d) => appendFileSync(log, d));
    return new Promise((resolve, reject) => {
      let out = '';
      process_.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/widget bundle:\s+(http:\/\/[^/]+)\//);
        const secret = out.match(/identity secret:\s+(\S+)/);
        if (m && secret) (identity.secret = secret[1]), resolve(m[1]);
      });
      process_.on('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
    });
  };
  const url = await start('127.0.0.1:0');
  const restart = async () => {
    const dying = server;
    const gone = new Promise((r) => dying.once('exit', r));
    dying.kill('SIGKILL');
    await gone;
    await start(new URL(url).host);
  };
  // `identity` is the demo site's identity secret (made anew at each start).
  return { url, stop: () => server.kill(), restart, get identity() { return identity.secret; } };
}

/** An agent signed in on the server's origin, collecting what their socket hears. */
export async function agentSocket(browser, base, email) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/api/me`); // any page of the server's origin
  await page.evaluate(async (email) => {
    const r = await fetch('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'chinwag-demo' }),
    });
    if (!r.ok) throw new Error(`login: ${r.status} ${await r.text()}`);
    window.frames_ = [];
    window.ws_ = new WebSocket(`ws://${location.host}/ws/agent`);
    window.ws_.onmessage = (e) => window.frames_.push(JSON.parse(e.data));
    await new Promise((ok) => (window.ws_.onopen = ok));
    window.ws_.send(JSON.stringify({ hello: { version: 1 } }));
  }, email);
  return page;
}

export const heard = (page) => page.evaluate(() => window.frames_);

/** An agent signed in to the inbox UI at `base`, by keyboard, in a new context. */
export async function signInToInbox(browser, base, email, viewport = { width: 1280, height: 720 }) {
  const agentContext = await browser.newContext({ viewport });
  const inbox = await agentContext.newPage();
  await inbox.goto(`${base}/inbox/`);
  await inbox.getByLabel('Email').fill(email);
  await inbox.getByLabel('Password').fill('chinwag-demo');
  await inbox.getByLabel('Password').press('Enter');
  await inbox.getByText('Live', { exact: true }).waitFor();
  return { agentContext, inbox };
}

/**
 * A visitor at the demo's live-chat card ("Talk to sales"), as `name`, in a new context
 * (at `viewport` when given); waits until an agent joined unless `joined` is false.
 */
export async function visitorAtLiveChat(browser, base, name, viewport = undefined, { joined = true } = {}) {
  const context = await browser.newContext(viewport ? { viewport } : {});
  const tab = await context.newPage();
  await tab.goto(`${base}/widget/`);
  await tab.getByRole('button', { name: 'Open chat' }).click();
  await tab.getByRole('button', { name: 'Talk to sales' }).click();
  await tab.getByLabel('First name').fill(name);
  await tab.getByLabel('Email').fill(`${name.toLowerCase()}@shop.test`);
  await tab.getByRole('button', { name: 'Send' }).click();
  if (joined) await tab.getByText('joined the chat').waitFor();
  return { context, tab };
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core on the page: no violation, or the list of them, named by `state`. */
export async function axe(page, state) {
  await page.evaluate(AXE);
  const r = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
  assert.deepEqual(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `axe: ${state}`);
}

/**
 * The chat server in demo mode (`startChat`) and Chromium, for the tests of one file;
 * both stopped after them. Returns a live view: `{ server, base, browser }`.
 */
export function chatAndBrowser() {
  const live = {};
  before(async () => {
    live.server = await startChat();
    live.base = live.server.url;
    live.browser = await launch();
  });
  after(async () => {
    await live.browser?.close();
    live.server?.stop();
  });
  return live;
}
