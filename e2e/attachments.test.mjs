// Attachments, end to end (docs/inbox.md, "Attachments"): the visitor (375 px) sends a
// screenshot from the live-chat card, which Ana's inbox (1280 and 768 px) shows as an
// image; Ana sends a PDF, which the visitor gets as a link; an SVG with a script is
// refused in the widget and HTML named .png in the inbox, each with the reason. The
// real server, widget and inbox; axe clean on both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARTIFACTS, axe, chatAndBrowser, launch, signInToInbox, visitorAtLiveChat } from './lib.mjs';

const env = chatAndBrowser();

const settled = (tab) => tab.evaluate(() => Promise.all(document.querySelector('chinwag-widget').shadowRoot.getAnimations().map((a) => a.finished)));

test('files go both ways; what could run is refused with the reason', async () => {
  const { base, browser } = env;
  const { agentContext, inbox } = await signInToInbox(browser, base, 'ana@demo.chinwag', { width: 1280, height: 800 });
  const flo = await visitorAtLiveChat(browser, base, 'Flo', { width: 375, height: 740 });
  const { tab } = flo;

  // A real PNG: a picture of the page's own heading (its name beyond ASCII, in a header).
  const png = await tab.locator('h1').first().screenshot();
  const attach = tab.getByLabel('Attach a file');
  await attach.focus();
  assert.equal(await attach.evaluate((el) => el.getRootNode().activeElement === el), true, 'reached by keyboard');
  await attach.setInputFiles({ name: 'écran n°1.png', mimeType: 'image/png', buffer: png });
  const mine = tab.locator('a.cw-file', { hasText: 'écran n°1.png' });
  await mine.waitFor();
  await tab.getByText('Delivered').waitFor();

  // Ana's thread shows it as an image that loaded from the server.
  const item = inbox.locator('.list .item', { hasText: 'Flo' });
  await item.click();
  const thumb = inbox.locator('.line.visitor a.file.image img');
  await thumb.waitFor();
  await inbox.waitForFunction(() => document.querySelector('.line.visitor a.file.image img')?.naturalWidth > 0);
  assert.equal(await thumb.getAttribute('alt'), 'écran n°1.png');

  // Ana sends a price list; the visitor gets a link to it.
  const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  await inbox.getByLabel('Attach a file').setInputFiles({ name: 'prix été.pdf', mimeType: 'application/pdf', buffer: pdf });
  await inbox.getByText('prix été.pdf sent.').waitFor();
  const link = tab.locator('a.cw-file', { hasText: 'prix été.pdf' });
  await link.waitFor();
  assert.match(await link.getAttribute('href'), /\/files\/[A-Za-z0-9_-]{43}$/);
  const served = await tab.request.get(await link.getAttribute('href'));
  assert.equal(served.headers()['content-type'], 'application/pdf');
  assert.match(served.headers()['content-disposition'], /^attachment;/);

  // What could run in a browser is refused, and each side says why.
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
  await attach.setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: svg });
  await tab.getByText('logo.svg was not sent: web pages, SVG and XML files are not accepted').waitFor();
  const page = Buffer.from('<!DOCTYPE html><html><script>alert(document.cookie)</script></html>');
  await inbox.getByLabel('Attach a file').setInputFiles({ name: 'cat.png', mimeType: 'image/png', buffer: page });
  await inbox.getByText('cat.png was not sent: web pages, SVG and XML files are not accepted').waitFor();
  assert.equal(await tab.locator('a.cw-file').count(), 2, 'nothing refused reaches the chat');

  await settled(tab);
  await tab.screenshot({ path: `${ARTIFACTS}/attachments-visitor-375.png` });
  await axe(tab, 'attachments in the widget');
  await inbox.screenshot({ path: `${ARTIFACTS}/attachments-thread-1280.png` });
  await axe(inbox, 'attachments in the thread');
  await inbox.setViewportSize({ width: 768, height: 900 });
  await thumb.scrollIntoViewIfNeeded();
  await inbox.screenshot({ path: `${ARTIFACTS}/attachments-thread-768.png` });
  await agentContext.close();
  await flo.context.close();
});

test('a page on another origin uploads with the token in a header, never in the URL', async () => {
  const { base, browser } = env;
  const { agentContext } = await signInToInbox(browser, base, 'ana@demo.chinwag');
  // The host page at http://localhost:…, the chat server at http://127.0.0.1:… (both
  // allowed for the demo site): the upload is cross-origin, so the browser asks the
  // server first (CORS preflight) before it sends `Authorization`. Chromium's local
  // network checks, which hold back a page's calls from one loopback name to the other,
  // are off for this browser: on the web, site and server are both public.
  const server = new URL(base);
  const page = `http://localhost:${server.port}/widget/`;
  const other = await launch(['--disable-features=LocalNetworkAccessChecks']);
  const context = await other.newContext({ viewport: { width: 375, height: 740 } });
  const tab = await context.newPage();
  await tab.route(page, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('data-chinwag-site="demo"', `data-chinwag-site="demo" data-chinwag-server="${server.origin}"`);
    await route.fulfill({ response, body });
  });
  const uploads = [];
  tab.on('request', (r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/sites/demo/files' && uploads.push(r));
  await tab.goto(page);
  // Playwright answers preflights itself while a route is set: from here on, the
  // browser asks the real server.
  await tab.unrouteAll();
  await tab.getByRole('button', { name: 'Open chat' }).click();
  await tab.getByRole('button', { name: 'Talk to sales' }).click();
  await tab.getByLabel('First name').fill('Gus');
  await tab.getByLabel('Email').fill('gus@shop.test');
  await tab.getByRole('button', { name: 'Send' }).click();
  await tab.getByText('joined the chat').waitFor();
  await tab.getByLabel('Attach a file').setInputFiles({ name: 'receipt.txt', mimeType: 'text/plain', buffer: Buffer.from('Order 1042') });
  await tab.locator('a.cw-file', { hasText: 'receipt.txt' }).waitFor();
  await tab.getByText('Delivered').waitFor();
  assert.equal(uploads.length, 1);
  assert.equal(new URL(uploads[0].url()).origin, server.origin, 'sent to the chat server, across origins');
  // Nothing of the chat in the URL (proxies log it): the token, the message's id and the
  // file's name are headers.
  assert.equal(new URL(uploads[0].url()).search, '', uploads[0].url());
  const sent = await uploads[0].allHeaders();
  assert.match(sent.authorization, /^Bearer \S+\.\S+$/);
  assert.equal(sent['chinwag-file-name'], 'receipt.txt');
  assert.ok(sent['chinwag-message-id']);
  await other.close();
  await agentContext.close();
});
