/* Chinwag loader. Paste into any page, in <head> or <body>:
 *   <script async src="https://CHAT-HOST/chinwag.js" data-site="SITE_ID"></script>
 * It never throws into the page: any failure is one console warning. It fetches the
 * site's configuration, shows nothing unless a dialogue targets this page and visitor,
 * and only then draws the launcher in a Shadow DOM host and loads the widget (when the
 * browser is idle, or at the first hover or click), which takes the launcher over.
 * Single-page apps are re-targeted on pushState, replaceState and popstate.
 * The JavaScript API (docs/embedding.md, chinwag.d.ts) works before it loads:
 *   window.Chinwag = window.Chinwag || function(){ (Chinwag.q = Chinwag.q || []).push(arguments) }; */
(function (w, d) {
  function warn(e) { try { console.warn('Chinwag: ' + e); } catch (_) {} }
  try {
    var me = d.currentScript, site = me?.getAttribute('data-site');
    if (!site || w.__chinwag) return;
    w.__chinwag = 1;
    var host = new URL(me.src).origin, queued = w.Chinwag?.q || [],
      attrs = {}, listeners = {}, cfg, box, current, engaged, command, pending = [], round = 0, tries = 0, loaded;

    // ASCII case folding, as the engine does (www/fixtures/conditions.json).
    var low = function (s) { return String(s == null ? '' : s).trim().replace(/[A-Z]/g, function (c) { return c.toLowerCase(); }); };
    var wild = function (p, t) {
      p = low(p).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
      return new RegExp('^' + p + '$').test(low(t));
    };
    var get = function (k) { return low(k == 'page_url' ? location.href : k == 'locale' ? cfg.locale : attrs[k]); };
    // Conditions, as in docs/dialogues.md: comparisons ignore case and spaces. The server
    // sends validated dialogues only: the last kind needs no test.
    var holds = function (c) {
      var k = Object.keys(c)[0], v = c[k], x = get(v.attribute);
      return k == 'all' ? v.every(holds) : k == 'any' ? v.some(holds)
        : k == 'is_empty' ? !get(v) : k == 'is_not_empty' ? !!get(v)
        : k == 'page_url_matches' ? wild(v, location.href)
        // An unknown (empty) attribute equals, contains and is one of nothing.
        : !!x && (k == 'equals' ? x == low(v.value) : k == 'contains' ? x.includes(low(v.value))
          : v.values.map(low).includes(x));
    };
    var page = function (r) {
      var k = Object.keys(r)[0], v = r[k], url = low(location.href), q = new URLSearchParams(location.search);
      return k == 'url_equals' ? url == low(v) : k == 'url_contains' ? url.includes(low(v))
        : k == 'url_starts_with' ? url.startsWith(low(v)) : k == 'url_matches' ? wild(v, url)
        : q.has(v.name) && (v.equals == null || q.get(v.name) == v.equals);
    };
    // What the widget keeps (storage may be off: then nothing).
    var kept = function (k) { try { return localStorage['chinwag:' + k]; } catch (_) {} };
    // Dismissed without answering (the widget records when): held back for
    // `dismissed_days`, or for good when the dialogue sets none.
    var dismissed = function (dl, days) {
      var at = +kept('dismissed:' + dl.id);
      return !!at && (days == null || Date.now() - at < days * 864e5);
    };
    var targets = function (dl) {
      // The server writes every default out (crates/server/src/widget_config.rs).
      var t = dl.targeting, pages = t.pages;
      return (!pages.length || pages.some(page)) && (!t.audience || holds(t.audience)) && !dismissed(dl, t.dismissed_days);
    };
    // The server sends every trigger as an object; `immediately` is `after_seconds: 0`.
    var when = function (trigger, go) {
      var k = Object.keys(trigger)[0], v = trigger[k];
      if (k == 'scroll_percent') {
        var on = function () {
          // Scrolled v %, or nothing to scroll (the right side is then 0 or less).
          var el = d.documentElement;
          if (el.scrollTop * 100 >= v * (el.scrollHeight - el.clientHeight)) { w.removeEventListener('scroll', on); go(); }
        };
        return w.addEventListener('scroll', on), on();
      }
      if (k == 'exit_intent') {
        var out = function (e) { if (!e.relatedTarget && e.clientY <= 0) { d.removeEventListener('mouseout', out); go(); } };
        return d.addEventListener('mouseout', out);
      }
      setTimeout(go, v * 1000);
    };

    // To the widget: queued until it says it is ready.
    var tell = function (name, value) { command ? command(name, value) : pending.push([name, value]); };
    // From the widget: `ready` with its command function, then events for listeners.
    var heard = function (type, detail) {
      if (type == 'ready') {
        command = detail;
        return pending.splice(0).forEach(function (c) { command(...c); });
      }
      if (type == 'engaged') engaged = 1;
      // The widget sends the rest of the event: `{ from, text }`, `{ attributes }`.
      var event = { type: type, dialogue: current && current.id, ...detail };
      // Each listener in its own task: one that throws neither stops the others nor us.
      (listeners[type] || []).forEach(function (f) { setTimeout(f, 0, event); });
    };
    // Draws the launcher at once (look and name from the configuration) in the shadow
    // root the widget takes over; the wasm comes when the browser is idle, or at the
    // first hover or click (a click opens the chat).
    var mount = function (dl, open) {
      current = dl, engaged = 0;
      if (!box) {
        box = d.createElement('chinwag-widget');
        box.chinwag = heard;
        box.attachShadow({ mode: 'open' });
        box.onpointerover = load;
        box.onclick = function () { set('open', ''), load(); };
      }
      var L = cfg.launcher, r = box.shadowRoot, s = new CSSStyleSheet, k, v = {
        dialogue: JSON.stringify(dl), site: site, server: host, locale: cfg.locale, strings: cfg.strings,
        css: cfg.css[dl.id], greeting: cfg.greeting, attributes: JSON.stringify(attrs), open: open ? '' : null
      };
      for (k in v) set(k, v[k]);
      s.replaceSync(L.css + cfg.css[dl.id]);
      box.style.cssText = L.host, r.adoptedStyleSheets = [s], r.innerHTML = L.html;
      d.body.appendChild(box);
      loaded ? tell('mount') : open ? load() : (w.requestIdleCallback || setTimeout)(load, { timeout: 1500 });
    };
    var set = function (k, v) { v == null ? box.removeAttribute('data-chinwag-' + k) : box.setAttribute('data-chinwag-' + k, v); };
    // A widget that cannot load (503, blocked, offline) is tried once more at the next
    // hover or click (browsers no longer keep a failed import: whatwg/html#10327); then
    // the launcher goes, one warning says why, and nothing mounts again on this page.
    var load = function () {
      loaded = loaded || import(host + '/widget/chinwag-widget.js')
        .then(function (m) { return m.default({ module_or_path: host + '/widget/chinwag-widget_bg.wasm' }); })
        .catch(function (e) { tries++ ? (cfg = 0, ++round, unmount(), warn(e)) : loaded = 0; });
    };
    var unmount = function () { current && (tell('unmount'), box.remove()), current = 0; };
    // A live chat under way (the widget keeps its token and the dialogue's journal):
    // that dialogue comes back at once, on any page, so no reply goes unheard.
    var live = function () {
      return /^\["/.test(kept('live:' + site)) && cfg.dialogues.find(function (x) { return kept(x.id); });
    };
    // Picks the dialogue for this page and visitor (the server sends the highest
    // priority first); a conversation under way stays.
    var retarget = function () {
      if (!cfg || engaged) return;
      var held = live(), mine = ++round, best = held || cfg.dialogues.find(targets);
      if (best && current && best.id == current.id) return;
      unmount();
      if (held) mount(held);
      else if (best) when(best.targeting.trigger, function () {
        mine == round && mount(best);
      });
    };

    // The API. Attribute values are kept as text.
    var api = {
      identify: function (v) {
        for (var k in v || {}) if (v[k] != null) attrs[k] = String(v[k]);
        current && tell('identify', attrs);
        retarget();
      },
      startDialogue: function (id) {
        // Waits for the configuration.
        if (!cfg) return queued.push(['startDialogue', id]);
        var dl = cfg.dialogues.find(function (x) { return x.id == id; });
        dl ? (++round, unmount(), mount(dl, 1)) : warn('no dialogue ' + id);
      },
      shutdown: function () {
        unmount(), ++round, attrs = {}, engaged = 0;
        try {
          Object.keys(localStorage).forEach(function (k) { /^chinwag:(?!dismissed:)/.test(k) && localStorage.removeItem(k); });
        } catch (_) {}
      },
      on: function (type, f) { (listeners[type] = listeners[type] || []).push(f); }
    };
    api.setAttributes = api.identify;
    ['open', 'close', 'toggle'].forEach(function (k) { api[k] = function () { tell(k); }; });
    var call = function (args) {
      var f = api[args[0]];
      f ? f(args[1], args[2]) : warn('no method ' + args[0]);
    };
    w.Chinwag = function (...a) { try { call(a); } catch (e) { warn(e); } };
    queued.splice(0).forEach(call);

    // Single-page apps: every navigation re-targets.
    ['pushState', 'replaceState'].forEach(function (k) {
      var f = history[k];
      history[k] = function (...a) { var r = f.apply(this, a); try { retarget(); } catch (e) { warn(e); } return r; };
    });
    w.addEventListener('popstate', retarget);

    var go = function () {
      // An empty `locale` is none.
      var q = new URLSearchParams({ lang: navigator.language, locale: me.getAttribute('data-locale') || '' });
      // Site ids are letters, digits, - and _ (the server refuses others).
      fetch(host + '/api/sites/' + site + '/config?' + q)
        .then(function (r) { if (!r.ok) throw r.status; return r.json(); })
        .then(function (c) { cfg = c, retarget(), queued.splice(0).forEach(call); })
        .catch(warn);
    };
    d.body ? go() : d.addEventListener('DOMContentLoaded', go);
  } catch (e) {
    warn(e);
  }
})(window, document);
