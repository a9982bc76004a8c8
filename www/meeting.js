// The meeting card (docs/meetings.md): a day picker and the free times in the
// visitor's zone and language, booking, and the booked meeting with "add to calendar",
// reschedule and cancel. The widget imports this module only when a visitor reaches a
// meeting card, so visitors who never do download none of it; texts come from the
// server with the slots (chinwag-site), in the visitor's language.
//
// mount(element, server, site, dialogue, card, locale, name, email, fallback, next,
// standIn, done): `done(kind, detail)` tells the widget what happened: `meetingBooked`,
// `meetingRescheduled`, `meetingCancelled` (events for the page) and `continue` (the
// visitor goes on). With no free time, the card's fallback shows with a `next` button.
// For the site `(preview)` (the trunk preview, no server) the calls go to an in-page
// stand-in with the same answers (`meeting-preview.js`); `standIn` is its texts (JSON).
// Text is text: everything is written with textContent, never as HTML.

const CSS = `
.cw-meeting { display: grid; gap: 10px; max-height: min(360px, 52vh); overflow-y: auto; padding: 3px; margin: -3px; }
.cw-meeting-row { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
.cw-meeting-days { display: grid; grid-template-columns: repeat(4, 1fr); gap: 6px; flex: 1; }
.cw-meeting-times { display: grid; grid-template-columns: repeat(auto-fill, minmax(84px, 1fr)); gap: 6px; }
.cw-meeting button, .cw-meeting a { min-height: 44px; padding: 6px 8px; border-radius: 10px; border: 1px solid var(--cw-border);
  background: var(--cw-bg); color: var(--cw-ink); cursor: pointer; text-align: center; text-decoration: none; font-size: 15px;
  display: inline-flex; align-items: center; justify-content: center; }
.cw-meeting-times button { white-space: nowrap; }
.cw-meeting button[aria-pressed="true"] { background: var(--cw-accent); color: var(--cw-accent-text); border-color: var(--cw-accent); }
.cw-meeting button.cw-meeting-main { background: var(--cw-accent); color: var(--cw-accent-text); border-color: var(--cw-accent); font-weight: 600; }
.cw-meeting button:disabled { opacity: .5; cursor: default; }
.cw-meeting button:focus-visible, .cw-meeting a:focus-visible, .cw-meeting input:focus-visible { outline: 3px solid var(--cw-accent); outline-offset: 2px; }
.cw-meeting-nav { min-width: 36px; }
.cw-meeting h3 { font-size: 14px; font-weight: 600; color: var(--cw-muted); }
.cw-meeting label { display: grid; gap: 4px; font-size: 14px; }
.cw-meeting input { min-height: 44px; padding: 8px 10px; border: 1px solid var(--cw-border); border-radius: 10px; background: var(--cw-bg); color: var(--cw-text); font-size: 16px; }
.cw-meeting [role="alert"], .cw-meeting-error { color: var(--cw-error); font-size: 14px; }
.cw-meeting-done { padding: 10px 12px; border-radius: 10px; background: var(--cw-bot-bubble); }
`;

const DAYS_PER_PAGE = 4;

export function mount(el, server, site, dialogue, card, locale, name, email, fallback, next, standIn, done) {
  server = server.replace(/\/$/, '');
  const root = el.getRootNode();
  if (root.adoptedStyleSheets && !root.__chinwagMeeting) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    root.__chinwagMeeting = 1;
  }
  el.className = 'cw-meeting';
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const key = `chinwag:meeting:${site}:${dialogue}:${card}`;
  const format = (options) => {
    try {
      return new Intl.DateTimeFormat(locale, { timeZone: zone, ...options });
    } catch (_) {
      return new Intl.DateTimeFormat('en', { timeZone: zone, ...options });
    }
  };
  const dayKey = format({ year: 'numeric', month: '2-digit', day: '2-digit' });
  const dayName = format({ weekday: 'short', day: 'numeric', month: 'short' });
  const dayLong = format({ weekday: 'long', day: 'numeric', month: 'long' });
  const timeName = format({ hour: 'numeric', minute: '2-digit' });
  const at = (s) => new Date(s * 1000);
  const full = (m) => `${dayLong.format(at(m.start))}, ${timeName.format(at(m.start))}–${timeName.format(at(m.end))}`;
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (all, k) => (k in values ? values[k] : all));

  let t = null; // the texts, with the first slots
  let slots = [];
  let page = 0;
  let day = null;
  let chosen = null;
  let meeting = null;
  let mode = 'pick'; // pick, booked, confirm-cancel, cancelled, error, busy
  let message = '';
  let problems = {};
  const typed = { name: name || '', email: email || '' };
  const known = { name: !!name, email: !!email };

  const kept = () => {
    try {
      return JSON.parse(localStorage.getItem(key));
    } catch (_) {
      return null;
    }
  };
  const keep = (m) => {
    try {
      m ? localStorage.setItem(key, JSON.stringify({ id: m.id, token: m.token })) : localStorage.removeItem(key);
    } catch (_) {}
  };
  const preview = site === '(preview)' && import('./meeting-preview.js').then((m) => m.standIn(JSON.parse(standIn)));
  const call = async (path, body) => {
    if (preview) return (await preview)(path, body);
    const r = await fetch(server + path, body
      // JSON as text/plain: a simple request, no CORS preflight.
      ? { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: JSON.stringify(body) }
      : undefined);
    return { status: r.status, body: await r.json().catch(() => ({})) };
  };

  const make = (tag, props = {}, children = []) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (v != null && v !== false) node.setAttribute(k, v === true ? '' : v);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  };
  const button = (text, on, props = {}) => make('button', { type: 'button', text, onclick: on, ...props });

  const days = () => {
    const by = new Map();
    for (const s of slots) {
      const k = dayKey.format(at(s.start));
      if (!by.has(k)) by.set(k, []);
      by.get(k).push(s);
    }
    return [...by.entries()];
  };

  function render(focus) {
    el.replaceChildren();
    if (mode === 'busy') {
      el.append(make('p', { role: 'status', text: t ? t.booking : '…' }));
      return;
    }
    if (mode === 'error') {
      el.append(
        make('p', { role: 'alert', text: t ? t.unreachable : 'The calendar cannot be reached right now.' }),
        make('div', { class: 'cw-meeting-row' }, [
          button(t ? t.retry : 'Try again', () => start(), { class: 'cw-meeting-main' }),
          button(t ? t.continue_ : 'Continue', () => done('continue')),
        ]),
      );
      return focusFirst(focus);
    }
    if (mode === 'booked' || mode === 'confirm-cancel') {
      const ics = `${server}/api/meetings/${encodeURIComponent(meeting.id)}/invite.ics?token=${encodeURIComponent(meeting.token)}`;
      el.append(
        make('p', { class: 'cw-meeting-done', role: 'status' }, [
          make('strong', { text: fill(t.booked, { time: full(meeting) }) }),
          document.createTextNode(` (${t.your_time})${meeting.host ? ' ' + fill(t.with, { host: meeting.host }) : ''}`),
        ]),
      );
      if (mode === 'confirm-cancel') {
        el.append(
          make('p', { text: fill(t.confirm_cancel, { time: full(meeting) }) }),
          make('div', { class: 'cw-meeting-row' }, [
            button(t.cancel, cancel, { class: 'cw-meeting-main' }),
            button(t.keep, () => ((mode = 'booked'), render(true))),
          ]),
        );
      } else {
        el.append(
          make('div', { class: 'cw-meeting-row' }, [
            make('a', { href: ics, download: 'meeting.ics', text: t.add_to_calendar }),
            button(t.reschedule, () => ((mode = 'pick'), (chosen = null), render(true))),
            button(t.cancel, () => ((mode = 'confirm-cancel'), render(true))),
          ]),
        );
        // In the chat the dialogue goes on; the page behind an email's link has no `next`.
        if (next) el.append(button(t.continue_, () => done('continue'), { class: 'cw-meeting-main' }));
      }
      return focusFirst(focus);
    }
    // Picking a time (to book, or to move a booked meeting).
    if (message) el.append(make('p', { role: 'alert', text: message }));
    if (mode === 'cancelled') el.append(make('p', { role: 'status', text: t.cancelled }));
    const all = days();
    const pages = Math.max(1, Math.ceil(all.length / DAYS_PER_PAGE));
    page = Math.min(page, pages - 1);
    const shown = all.slice(page * DAYS_PER_PAGE, (page + 1) * DAYS_PER_PAGE);
    if (!day || !all.some(([k]) => k === day)) day = shown[0] && shown[0][0];
    el.append(
      make('h3', { id: `${key}:days`, text: t.days }),
      make('div', { class: 'cw-meeting-row' }, [
        pages > 1 && button('‹', () => ((page -= 1), (day = null), render(true)), { class: 'cw-meeting-nav', 'aria-label': t.earlier, disabled: page === 0 }),
        make('div', { class: 'cw-meeting-days', role: 'group', 'aria-labelledby': `${key}:days` },
          shown.map(([k, list]) => button(dayName.format(at(list[0].start)), () => ((day = k), (chosen = null), render(true)), {
            'aria-pressed': String(k === day),
          }))),
        pages > 1 && button('›', () => ((page += 1), (day = null), render(true)), { class: 'cw-meeting-nav', 'aria-label': t.later, disabled: page >= pages - 1 }),
      ]),
    );
    const today = all.find(([k]) => k === day);
    if (today) {
      const label = fill(t.times, { day: dayLong.format(at(today[1][0].start)) });
      el.append(
        make('h3', { id: `${key}:times`, text: label }),
        make('div', { class: 'cw-meeting-times', role: 'group', 'aria-labelledby': `${key}:times` },
          today[1].map((s) => button(timeName.format(at(s.start)), () => ((chosen = s), render(false), focusLast()), {
            'aria-pressed': String(chosen === s),
          }))),
      );
    }
    if (chosen) {
      const moving = meeting && meeting.status === 'booked';
      const field = (k, type, auto) => {
        const error = problems[k];
        return make('label', {}, [
          document.createTextNode(t[k]),
          make('input', {
            type, name: k, autocomplete: auto, value: typed[k], required: true,
            'aria-invalid': error ? 'true' : null, 'aria-describedby': error ? `${key}:${k}-error` : null,
            oninput: (e) => (typed[k] = e.target.value),
          }),
          error && make('span', { id: `${key}:${k}-error`, class: 'cw-meeting-error', text: error }),
        ]);
      };
      el.append(...[
        !moving && !known.name && field('name', 'text', 'name'),
        !moving && !known.email && field('email', 'email', 'email'),
        button(fill(t.book, { time: `${dayName.format(at(chosen.start))} ${timeName.format(at(chosen.start))}` }), moving ? move : book, { class: 'cw-meeting-main' }),
      ].filter(Boolean));
    }
    if (meeting && meeting.status === 'booked') el.append(button(t.keep, () => ((mode = 'booked'), (message = ''), render(true))));
    focusFirst(focus);
  }

  const focusFirst = (focus) => focus && requestAnimationFrame(() => el.querySelector('button[aria-pressed="true"], input, button, a')?.focus());
  const focusLast = () => requestAnimationFrame(() => (el.querySelector('input') || el.querySelector('.cw-meeting-main'))?.focus());

  async function refresh() {
    const q = new URLSearchParams({ dialogue, card, zone, locale });
    const r = await call(`/api/sites/${encodeURIComponent(site)}/meetings/slots?${q}`);
    if (r.status !== 200) throw new Error(r.body.error || r.status);
    t = r.body.texts;
    slots = r.body.slots;
  }

  async function start() {
    mode = 'busy';
    render();
    try {
      await refresh();
      const mine = kept();
      if (mine) {
        const r = await call(`/api/meetings/${encodeURIComponent(mine.id)}?token=${encodeURIComponent(mine.token)}`);
        if (r.status === 200 && r.body.status === 'booked') meeting = r.body;
        else keep(null);
      }
      mode = meeting ? 'booked' : 'pick';
      if (!meeting && !slots.length) {
        // No free time: the card's fallback, and the dialogue goes on.
        return el.replaceChildren(make('p', { class: 'cw-note', text: fallback }), button(next, () => done('continue'), { class: 'cw-answer' }));
      }
      render(true);
    } catch (e) {
      console.warn(`Chinwag: ${e}`);
      mode = 'error';
      render(true);
    }
  }

  // The conversation so far, as the chat shows it (bot and visitor lines), for the
  // host's meetings list; read from the widget's log so the widget sends nothing more.
  const transcript = () =>
    [...root.querySelectorAll('.cw-line')].slice(-100).map((line) => [
      line.classList.contains('cw-visitor') ? 'visitor' : 'bot',
      line.querySelector('.cw-bubble')?.textContent ?? '',
    ]).filter(([, text]) => text);

  function check() {
    problems = {};
    if (!typed.name.trim()) problems.name = t.required;
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(typed.email.trim())) problems.email = typed.email.trim() ? t.invalid_email : t.required;
    return !Object.keys(problems).length;
  }

  async function send(path, body, event) {
    const before = mode;
    mode = 'busy';
    render();
    try {
      const r = await call(path, body);
      if (r.status === 200 || r.status === 201) {
        meeting = r.body;
        keep(meeting.status === 'booked' ? meeting : null);
        message = '';
        mode = meeting.status === 'booked' ? 'booked' : 'cancelled';
        if (mode === 'cancelled') await refresh().catch(() => {});
        done(event, { id: meeting.id, start: new Date(meeting.start * 1000).toISOString(), end: new Date(meeting.end * 1000).toISOString() });
      } else if (r.status === 409) {
        slots = r.body.slots || [];
        message = t.taken;
        chosen = null;
        mode = before === 'booked' ? 'pick' : before;
      } else {
        message = r.body.error || t.unreachable;
        mode = before;
      }
    } catch (_) {
      message = t.unreachable;
      mode = before;
    }
    render(true);
  }

  function book() {
    if (!check()) return render(false), focusLast();
    send(`/api/sites/${encodeURIComponent(site)}/meetings`, {
      dialogue, card, start: chosen.start, zone, locale, name: typed.name.trim(), email: typed.email.trim(), transcript: transcript(),
    }, 'meetingBooked');
  }
  const move = () => send(`/api/meetings/${encodeURIComponent(meeting.id)}/reschedule`, { token: meeting.token, start: chosen.start }, 'meetingRescheduled');
  const cancel = () => send(`/api/meetings/${encodeURIComponent(meeting.id)}/cancel`, { token: meeting.token }, 'meetingCancelled');

  start();
}
