// Real services for the meetings tests, on free loopback ports, stopped after: Radicale
// (CalDAV) and aiosmtpd (SMTP) from Debian (scripts/install.sh installs both).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Never a port handed out before in this process: the kernel may offer a released
// port again, and two services would then race for it.
const given = new Set();
const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => (given.has(port) ? freePort().then(resolve) : (given.add(port), resolve(port))));
    });
  });

async function listening(port, what) {
  for (let i = 0; i < 200; i++) {
    const up = await new Promise((r) => connect(port, '127.0.0.1').on('connect', function () { this.end(); r(true); }).on('error', () => r(false)));
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start on ${port}`);
}

/** Radicale with `users` ({ name: password }); `calendar(user)` makes /user/work/. */
export async function startRadicale(users) {
  const dir = mkdtempSync(join(tmpdir(), 'chinwag-radicale-'));
  writeFileSync(join(dir, 'users'), Object.entries(users).map(([u, p]) => `${u}:${p}\n`).join(''));
  const port = await freePort();
  const child = spawn('radicale', ['--config', '', `--storage-filesystem-folder=${dir}/store`, `--server-hosts=127.0.0.1:${port}`,
    '--auth-type=htpasswd', '--auth-htpasswd-encryption=plain', `--auth-htpasswd-filename=${dir}/users`], { stdio: 'ignore' });
  await listening(port, 'Radicale');
  const base = `http://127.0.0.1:${port}`;
  const auth = (user) => ({ authorization: `Basic ${Buffer.from(`${user}:${users[user]}`).toString('base64')}` });
  return {
    async calendar(user) {
      const url = `${base}/${user}/work/`;
      const r = await fetch(url, { method: 'MKCALENDAR', headers: auth(user) });
      if (!r.ok) throw new Error(`MKCALENDAR ${r.status}`);
      return url;
    },
    /** The text of an event in a user's calendar, or null. */
    async event(user, url) {
      const r = await fetch(url, { headers: auth(user) });
      return r.ok ? r.text() : null;
    },
    stop: () => child.kill(),
  };
}

/** aiosmtpd keeping messages in a maildir; `messages()` reads them, oldest first. */
export async function startSmtp() {
  const dir = mkdtempSync(join(tmpdir(), 'chinwag-smtp-'));
  const port = await freePort();
  const child = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', join(dir, 'mail')], { stdio: 'ignore' });
  await listening(port, 'aiosmtpd');
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages() {
      const box = join(dir, 'mail/new');
      let files = [];
      try {
        files = readdirSync(box);
      } catch (_) {}
      return files.map((f) => readFileSync(join(box, f), 'utf8'));
    },
    stop: () => child.kill(),
  };
}
