// The binary as a self-hoster gets it (docs/operations.md): started from an empty
// directory with no widget_dir or inbox_dir, it serves the widget, its loader and the
// inbox from inside itself (precompressed), says so in its log, names its version at
// /healthz, and the demo page's widget opens in Chromium. scripts/test.sh builds it
// with `--features embed` first, as scripts/release.sh does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARTIFACTS, launch, startChat } from './lib.mjs';

test('a release binary serves everything from any directory', async () => {
  const elsewhere = mkdtempSync(join(tmpdir(), 'chinwag-install-'));
  const chat = await startChat({ CHINWAG_WIDGET_DIR: '', CHINWAG_INBOX_DIR: '' }, { cwd: elsewhere });
  try {
    const health = await (await fetch(`${chat.url}/healthz`)).text();
    assert.match(health, /^ok chinwag \d+\.\d+\.\d+ \(commit [0-9a-f]{12}|unknown, built \d{4}-\d{2}-\d{2}\)$/);
    for (const [path, type] of [
      ['/widget/demo.html', 'text/html'],
      ['/chinwag.js', 'text/javascript'],
      ['/widget/chinwag-widget_bg.wasm', 'application/wasm'],
      ['/inbox/', 'text/html'],
    ]) {
      const r = await fetch(`${chat.url}${path}`, { headers: { 'accept-encoding': 'br' } });
      assert.equal(r.status, 200, `${path}: build the binary with --features embed (scripts/test.sh does)`);
      assert.ok(r.headers.get('content-type').startsWith(type), `${path}: ${r.headers.get('content-type')}`);
      if (path.endsWith('.wasm')) assert.equal(r.headers.get('content-encoding'), 'br', 'the precompressed copy');
    }
    const logs = readdirSync(ARTIFACTS).filter((f) => f.startsWith('server-'));
    const said = logs.map((f) => readFileSync(join(ARTIFACTS, f), 'utf8')).join('\n');
    assert.match(said, /the widget \(\/widget\/, \/chinwag\.js\) served from inside this binary/);

    const browser = await launch();
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await page.goto(`${chat.url}/widget/demo.html`);
    await page.evaluate(() => Chinwag('startDialogue', 'sales-handoff'));
    await page.getByRole('button', { name: 'Talk to sales' }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/install-widget-375.png` });
    await browser.close();
  } finally {
    chat.stop();
  }
});
