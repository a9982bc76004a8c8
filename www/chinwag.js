/* Chinwag loader. Paste into any page, in <head> or <body>:
 *   <script async src="https://CHAT-HOST/chinwag.js" data-site="SITE_ID"></script>
 * It never throws into the page: any failure is one console warning. It fetches the
 * site's dialogues, shows nothing unless one targets this page and visitor, and only
 * then loads the widget (when the browser is idle) into a Shadow DOM host.
 * Calls made before it loads are kept: window.Chinwag = window.Chinwag ||
 * function(){ (Chinwag.q = Chinwag.q || []).push(arguments) }. */
(function (w, d) {
  function warn(e) { try { console.warn('Chinwag: not loaded (' + e + ')'); } catch (_) {} }
  try {
    var me = d.currentScript, site = me && me.getAttribute('data-site');
    if (!site || w.__chinwag) return;
    w.__chinwag = 1;
    var host = new URL(me.src).origin, attrs = {}, queued = (w.Chinwag && w.Chinwag.q) || [];
    w.Chinwag = function (name, value) {
      if (name == 'identify' || name == 'setAttributes') for (var k in value || {}) attrs[k] = String(value[k]);
    };
    queued.forEach(function (a) { w.Chinwag.apply(null, a); });

    var low = function (s) { return String(s == null ? '' : s).trim().toLowerCase(); };
    var wild = function (p, t) {
      p = low(p).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
      return new RegExp('^' + p + '$').test(low(t));
    };
    var get = function (k) { return low(k == 'page_url' ? location.href : k == 'locale' ? navigator.language : attrs[k]); };
    // Conditions, as in docs/dialogues.md: comparisons ignore case and spaces.
    var holds = function (c) {
      var k = Object.keys(c)[0], v = c[k];
      return k == 'all' ? v.every(holds) : k == 'any' ? v.some(holds)
        : k == 'is_empty' ? !get(v) : k == 'is_not_empty' ? !!get(v)
        : k == 'equals' ? get(v.attribute) == low(v.value)
        : k == 'contains' ? get(v.attribute).indexOf(low(v.value)) >= 0 && !!get(v.attribute)
        : k == 'one_of' ? v.values.map(low).indexOf(get(v.attribute)) >= 0 && !!get(v.attribute)
        : k == 'page_url_matches' ? wild(v, location.href) : false;
    };
    var page = function (r) {
      var k = Object.keys(r)[0], v = r[k], url = location.href;
      return k == 'url_equals' ? low(url) == low(v) : k == 'url_contains' ? low(url).indexOf(low(v)) >= 0
        : k == 'url_starts_with' ? low(url).indexOf(low(v)) == 0 : k == 'url_matches' ? wild(v, url)
        : k == 'query_param' ? (function (q) { return q.has(v.name) && (v.equals == null || q.get(v.name) == v.equals); })(new URLSearchParams(location.search))
        : false;
    };
    // Dismissed without answering (the widget records when): held back for
    // `dismissed_days`, or for good when the dialogue sets none.
    var dismissed = function (dl, days) {
      try { var at = +localStorage.getItem('chinwag:dismissed:' + dl.id); } catch (_) { return false; }
      return !!at && (days == null || Date.now() - at < days * 864e5);
    };
    var targets = function (dl) {
      var t = dl.targeting || {}, pages = t.pages || [];
      return (!pages.length || pages.some(page)) && (!t.audience || holds(t.audience)) && !dismissed(dl, t.dismissed_days);
    };
    var when = function (trigger, go) {
      var k = typeof trigger == 'object' ? Object.keys(trigger)[0] : trigger, v = k && trigger[k];
      if (k == 'after_seconds') return setTimeout(go, v * 1000);
      if (k == 'scroll_percent') {
        var on = function () {
          var el = d.documentElement, max = el.scrollHeight - el.clientHeight;
          if (max <= 0 || (el.scrollTop / max) * 100 >= v) { w.removeEventListener('scroll', on); go(); }
        };
        return w.addEventListener('scroll', on, { passive: true }), on();
      }
      if (k == 'exit_intent') {
        var out = function (e) { if (!e.relatedTarget && e.clientY <= 0) { d.removeEventListener('mouseout', out); go(); } };
        return d.addEventListener('mouseout', out);
      }
      go();
    };
    var load = function (dl) {
      var box = d.createElement('div');
      box.hidden = true;
      box.setAttribute('data-chinwag-dialogue', URL.createObjectURL(new Blob([JSON.stringify(dl)], { type: 'application/json' })));
      box.setAttribute('data-chinwag-site', site);
      box.setAttribute('data-chinwag-server', host);
      d.body.appendChild(box);
      import(host + '/widget/chinwag-widget.js')
        .then(function (m) { return m.default({ module_or_path: host + '/widget/chinwag-widget_bg.wasm' }); })
        .catch(warn);
    };
    var start = function (cfg) {
      var best = (cfg.dialogues || []).filter(targets).sort(function (a, b) {
        return ((b.targeting || {}).priority || 0) - ((a.targeting || {}).priority || 0);
      })[0];
      if (!best) return;
      when((best.targeting || {}).trigger || 'immediately', function () {
        (w.requestIdleCallback || setTimeout)(function () { load(best); });
      });
    };
    var go = function () {
      fetch(host + '/api/sites/' + encodeURIComponent(site) + '/config')
        .then(function (r) { if (!r.ok) throw r.status; return r.json(); })
        .then(start)
        .catch(warn);
    };
    d.body ? go() : d.addEventListener('DOMContentLoaded', go);
  } catch (e) {
    warn(e);
  }
})(window, document);
