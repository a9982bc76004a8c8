// Soak: hundreds of reconnects leave the widget's and the inbox's memory, listeners
// and timers where they were. The page wraps WebSocket (to close the current socket
// from outside, as a flaky network would) and setInterval (to count live timers).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, startChat, eventually } from './lib.mjs';

let server, browser;
before(async () => {
  server = await startChat();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

const WRAP = () => {
  // Only the newest socket is kept: holding the old ones would keep their handlers.
  window.__opened = 0;
  const Real = window.WebSocket;
  window.WebSocket = function (url, protocols) {
    const ws = new Real(url, protocols);
    window.__socket = ws;
    window.__opened++;
    return ws;
  };
  window.WebSocket.prototype = Real.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.__intervals = new Set();
  const set = window.setInterval, clear = window.clearInterval;
  window.setInterval = (...a) => { const id = set(...a); window.__intervals.add(id); return id; };
  window.clearInterval = (id) => { window.__intervals.delete(id); clear(id); };
};

/** Heap after a full collection, and the page's event listeners. */
async function measure(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name) => metrics.find((m) => m.name === name).value;
  await cdp.detach();
  return {
    heap: get('JSHeapUsedSize'),
    listeners: get('JSEventListeners'),
    intervals: await page.evaluate(() => window.__intervals.size),
  };
}

/** Closes the page's open socket and waits for the next one to open. */
async function reconnect(page, nudge) {
  await page.evaluate(async (nudge) => {
    const before = window.__opened;
    window.__socket.close();
    if (nudge) window.dispatchEvent(new Event('online'));
    for (let i = 0; i < 400 && !(window.__opened > before && window.__socket.readyState === 1); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
  }, nudge);
}

test('the widget through 200 reconnects: heap and listeners stay flat', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(WRAP);
  await page.goto(`${server.url}/widget/`);
  await page.getByRole('button', { name: 'Open chat' }).click();
  await page.getByRole('button', { name: 'Talk to sales' }).click();
  await page.getByLabel('First name').fill('Sam');
  await page.getByLabel('Email').fill('sam@soak.test');
  await page.getByRole('button', { name: 'Send' }).click();
  await eventually(() => page.evaluate(() => window.__socket?.readyState === 1), 'the visitor socket opens');
  for (let i = 0; i < 20; i++) await reconnect(page, true);
  const early = await measure(page);
  for (let i = 0; i < 200; i++) await reconnect(page, true);
  const late = await measure(page);
  assert.ok(await page.evaluate(() => window.__opened) >= 220, 'it reconnected every time');
  assert.equal(late.listeners, early.listeners, 'no listener added per reconnect');
  assert.ok(late.intervals <= early.intervals, `timers: ${early.intervals} → ${late.intervals}`);
  // Measured: about 40 KB now; 144 KB when each reconnect kept its three callbacks.
  assert.ok(late.heap - early.heap < 100 * 1024, `heap grew ${((late.heap - early.heap) / 1024).toFixed(0)} KB over 200 reconnects`);
  console.log(`widget soak: heap ${(early.heap / 1024).toFixed(0)} → ${(late.heap / 1024).toFixed(0)} KB, listeners ${early.listeners} → ${late.listeners}`);
  await context.close();
});

test('the inbox through 60 reconnects: one heartbeat, flat listeners and heap', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(WRAP);
  await page.goto(`${server.url}/inbox/`);
  await page.getByLabel('Email').fill('ana@demo.chinwag');
  await page.getByLabel('Password').fill('chinwag-demo');
  await page.getByLabel('Password').press('Enter');
  await page.getByText('Live', { exact: true }).waitFor();
  for (let i = 0; i < 5; i++) await reconnect(page, false);
  const early = await measure(page);
  for (let i = 0; i < 60; i++) await reconnect(page, false);
  await page.getByText('Live', { exact: true }).waitFor();
  const late = await measure(page);
  assert.equal(late.intervals, early.intervals, 'one heartbeat timer, whatever the reconnects');
  assert.equal(late.listeners, early.listeners, 'no listener added per reconnect');
  assert.ok(late.heap - early.heap < 512 * 1024, `heap grew ${((late.heap - early.heap) / 1024).toFixed(0)} KB`);
  console.log(`inbox soak: heap ${(early.heap / 1024).toFixed(0)} → ${(late.heap / 1024).toFixed(0)} KB, intervals ${early.intervals} → ${late.intervals}`);
  await context.close();
});
