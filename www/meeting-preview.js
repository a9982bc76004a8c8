// The trunk preview's stand-in for the chat server's meeting API (there is no server
// under `trunk serve`): the same calls as www/meeting.js makes, the same answers, kept
// in memory. Free times: the next ten weekdays, 09:00–17:00 in the browser's zone,
// every 30 minutes, four hours' notice; one host, "Preview host".

const STEP = 30 * 60;
const NOTICE = 4 * 3600;

export function standIn(texts) {
  const meetings = new Map();
  const free = () => {
    const out = [];
    const now = Date.now() / 1000;
    const day = new Date();
    for (let d = 0, weekdays = 0; weekdays < 10 && d < 20; d++) {
      const date = new Date(day.getFullYear(), day.getMonth(), day.getDate() + d);
      if (date.getDay() === 0 || date.getDay() === 6) continue;
      weekdays++;
      for (let m = 9 * 60; m < 17 * 60; m += 30) {
        const start = new Date(date.getFullYear(), date.getMonth(), date.getDate(), 0, m).getTime() / 1000;
        const taken = [...meetings.values()].some((x) => x.status === 'booked' && x.start === start);
        if (start >= now + NOTICE && !taken) out.push({ start, end: start + STEP });
      }
    }
    return out;
  };
  const answer = (status, body) => ({ status, body });
  return async (path, body) => {
    const [route] = path.split('?');
    if (route.endsWith('/meetings/slots')) return answer(200, { texts, slots: free(), length_minutes: 30 });
    if (route.endsWith('/meetings') && body) {
      if (!free().some((s) => s.start === body.start)) return answer(409, { error: 'taken', slots: free() });
      const id = `preview-${meetings.size + 1}`;
      const m = { id, token: 'preview', status: 'booked', start: body.start, end: body.start + STEP, host: 'Preview host', zone: body.zone };
      meetings.set(id, m);
      return answer(201, m);
    }
    const [, id, action] = route.match(/\/api\/meetings\/([^/]+)(?:\/(\w+))?$/) || [];
    const m = meetings.get(decodeURIComponent(id || ''));
    if (!m) return answer(404, { error: 'no such meeting' });
    if (action === 'cancel') m.status = 'cancelled';
    if (action === 'reschedule') {
      if (!free().some((s) => s.start === body.start)) return answer(409, { error: 'taken', slots: free() });
      Object.assign(m, { start: body.start, end: body.start + STEP });
    }
    return answer(200, { ...m });
  };
}
