// A host site on another origin than the chat server, for the embedding tests. Pages
// live under /page/<name>; query parameters shape them:
//   locale=sv   the snippet carries data-locale="sv"
//   hostile=1   a hostile stylesheet (global resets, `all: unset`, 10 px root font,
//               a full-page overlay with the highest z-index)
//   csp=1       served with exactly the CSP docs/embedding.md asks hosts for, and no
//               inline script
// Other pages start with a small inline script that records the widget's events and
// the page's long tasks (window.__events, window.__long) before the snippet loads.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, after } from 'node:test';
import { launch, startChat, ROOT } from './lib.mjs';

// The demo site's own picture, which the demo dialogue shows (book-a-demo.json links
// it as a path on the site: /widget/inbox.svg, where the chat server's demo page has it).
const PICTURE = readFileSync(join(ROOT, 'www/img/inbox.svg'));

export const HOSTILE_CSS = `
* { all: unset; }
html { font-size: 10px !important; }
body * { color: red !important; font-family: "Comic Sans MS", cursive !important; line-height: 3 !important; }
div, button, input, section { border: 3px dashed lime !important; padding: 20px !important; box-sizing: content-box !important; }
chinwag-widget, [data-chinwag-dialogue] { display: none !important; transform: scale(0.2); }
.overlay { position: fixed; inset: 0; z-index: 2147483647; background: rgba(0, 0, 0, 0.15); pointer-events: none; }
`;

const RECORDER = `<script>
window.__events = []; window.__long = [];
try { new PerformanceObserver(function (l) { l.getEntries().forEach(function (e) { __long.push(e.duration); }); })
  .observe({ type: 'longtask', buffered: true }); } catch (e) {}
window.Chinwag = window.Chinwag || function () { (Chinwag.q = Chinwag.q || []).push(arguments); };
['triggered', 'engaged', 'completed', 'closed', 'message', 'leadCaptured', 'meetingBooked', 'meetingRescheduled', 'meetingCancelled'].forEach(function (t) {
  Chinwag('on', t, function (e) { __events.push(e.type + (e.from ? ':' + e.from : '') + '@' + e.dialogue); });
});
</script>`;

/** The directives a host needs, for a chat server at `chat` (http://host:port). */
export function cspFor(chat) {
  const ws = chat.replace(/^http/, 'ws');
  return `default-src 'self'; script-src 'self' ${chat} 'wasm-unsafe-eval'; connect-src 'self' ${chat} ${ws}; img-src 'self' https: data:`;
}

/** Starts the chat server (demo data, allowing the host's origin) and the host site. */
export async function startHostAndChat(chatEnv = {}) {
  const live = {};
  const host = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/widget/inbox.svg') return res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(PICTURE);
    const q = url.searchParams;
    const locale = q.get('locale') ? ` data-locale="${q.get('locale')}"` : '';
    const csp = q.has('csp');
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host page</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
${q.has('hostile') ? `<style>${HOSTILE_CSS}</style>` : ''}
${csp ? '' : RECORDER}
<script async src="${live.chat.url}/chinwag.js" data-site="demo"${locale}></script>
</head><body><main><h1>A host page</h1><p>Some of the host's own content.</p>
<button id="mine" type="button">The page's own button</button></main>
${q.has('hostile') ? '<div class="overlay"></div>' : ''}</body></html>`;
    const headers = { 'content-type': 'text/html; charset=utf-8' };
    if (csp) headers['content-security-policy'] = cspFor(live.chat.url);
    res.writeHead(200, headers).end(html);
  });
  await new Promise((r) => host.listen(0, '127.0.0.1', r));
  live.url = `http://127.0.0.1:${host.address().port}`;
  live.chat = await startChat({ CHINWAG_DEMO_ORIGINS: live.url, ...chatEnv });
  live.stop = () => {
    live.chat.stop();
    host.close();
  };
  return live;
}

/** The host site, the chat server and Chromium for the tests of one file, stopped
 * after them. Returns a live view: `{ live, browser }`. `chatEnv()` gives more of the
 * server's settings, asked for when the server starts. */
export function hostAndChat(chatEnv = () => ({})) {
  const env = {};
  before(async () => {
    env.live = await startHostAndChat(await chatEnv());
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    env.live?.stop();
  });
  return env;
}

/** Opens a fresh context (no storage) at a host page; records errors and warnings. */
export async function visit(browser, url, options = {}) {
  const context = await browser.newContext(options);
  const tab = await context.newPage();
  const errors = [], warnings = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  tab.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
    if (m.type() === 'warning') warnings.push(m.text());
  });
  await tab.goto(url);
  return { context, tab, errors, warnings };
}

/** The inbox (and console) signed in as a demo agent, in a fresh context. */
export async function openInbox(env, email, viewport = { width: 1280, height: 800 }) {
  const context = await env.browser.newContext({ viewport });
  const inbox = await context.newPage();
  await inbox.goto(`${env.live.chat.url}/inbox/`);
  await inbox.getByLabel('Email').fill(email);
  await inbox.getByLabel('Password').fill('chinwag-demo');
  await inbox.getByLabel('Password').press('Enter');
  await inbox.getByText('Live', { exact: true }).waitFor();
  return { context, inbox };
}

/** Signs in over HTTP as a demo agent: the headers of their later calls. */
export async function signIn(env, email) {
  const r = await fetch(`${env.live.chat.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'chinwag-demo' }),
  });
  const { csrf } = await r.json();
  return { cookie: r.headers.get('set-cookie').split(';')[0], 'x-csrf-token': csrf };
}
