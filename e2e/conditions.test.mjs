// The loader's condition evaluator against the shared conformance table
// (www/fixtures/conditions.json), which the engine runs too
// (crates/dialogue/tests/conformance.rs). The real www/chinwag.js runs in a bare
// JavaScript context with just enough of a page: a case holds when the loader mounts
// the dialogue whose audience is the case's condition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { ROOT } from './lib.mjs';

const loader = new vm.Script(readFileSync(`${ROOT}/www/chinwag.js`, 'utf8'));
const { cases, page_cases } = JSON.parse(readFileSync(`${ROOT}/www/fixtures/conditions.json`, 'utf8'));

/** Whether the loader mounts a dialogue targeted at `condition` for this visitor. */
async function mounts({ condition, attributes = {}, page, pages = [] }) {
  let mounted = false;
  // Waits on what the loader really waits for (its fetch, then its timers), not on a
  // fixed time: 5 ms was too short for the first case on a busy machine.
  let fetched = false;
  let pending = 0;
  const timer = (f, ms) => {
    pending++;
    return setTimeout(() => {
      pending--;
      f();
    }, ms);
  };
  const location = new URL(page || 'https://host.test/');
  // As the server sends it: targeting defaults written out (crates/server/src/widget_config.rs).
  const targeting = { pages, audience: condition, trigger: { after_seconds: 0 }, priority: 0 };
  const config = { locale: 'en', css: { d: '' }, launcher: { css: '', html: '' }, dialogues: [{ id: 'd', targeting }] };
  const element = { setAttribute() {}, removeAttribute() {}, style: {}, attachShadow() { this.shadowRoot = {}; } };
  const document = {
    currentScript: { src: 'https://chat.test/chinwag.js', getAttribute: (k) => (k == 'data-site' ? 's' : null) },
    body: { appendChild: () => (mounted = true) },
    createElement: () => element,
    addEventListener() {},
  };
  const window = {
    Chinwag: { q: [['identify', attributes]] },
    addEventListener() {},
    requestIdleCallback: (f) => f(),
  };
  loader.runInNewContext({
    window,
    document,
    location,
    history: { pushState() {}, replaceState() {} },
    localStorage: { getItem: () => null },
    navigator: { language: 'en' },
    URL,
    URLSearchParams,
    CSSStyleSheet: class { replaceSync() {} },
    setTimeout: timer,
    console: { warn() {} },
    fetch: async () => {
      fetched = true;
      return { ok: true, json: async () => config };
    },
  });
  const until = async (done) => {
    for (let i = 0; i < 1000 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
  };
  // The configuration's fetch, what the loader does with it, then the trigger's timeout.
  await until(() => fetched);
  await new Promise((resolve) => setTimeout(resolve, 0));
  await until(() => pending === 0);
  return mounted;
}

test('the loader gives every shared condition case its expected answer', async () => {
  assert.ok(cases.length >= 20);
  const wrong = [];
  for (const c of cases) if ((await mounts(c)) !== c.holds) wrong.push(c.name);
  assert.deepEqual(wrong, [], 'cases the loader gets wrong');
});

test('the loader gives every shared page-rule case its expected answer', async () => {
  assert.ok(page_cases.length >= 10);
  const wrong = [];
  for (const c of page_cases) if ((await mounts(c)) !== c.holds) wrong.push(c.name);
  assert.deepEqual(wrong, [], 'page cases the loader gets wrong');
});
