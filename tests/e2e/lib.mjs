// Browser-test harness: the real `teilhabe` binary with a demo town on a fresh SQLite file,
// Debian's Chromium driven by playwright-core (never a downloaded browser), axe-core checks.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
export const sourceDir = process.env.TEILHABE_SOURCE_DIR ?? resolve(import.meta.dirname, '../..');
const binary = process.env.TEILHABE_BINARY ?? join(sourceDir, 'build/bin/teilhabe');

// Flags that keep Chromium off the network and quiet (DESIGN.md "Known recipes").
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

async function waitForHealth(base, child, output) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`teilhabe serve exited:\n${output.join('')}`);
    try { if ((await fetch(`${base}/healthz`)).ok) return; } catch { /* not up yet */ }
    await new Promise(r => setTimeout(r, 20));
  }
  throw new Error(`teilhabe serve did not become ready:\n${output.join('')}`);
}

// A demo town and a running server. Returns { base, admin: {email, password}, cli(), stop() };
// cli(args, input) runs the `teilhabe` command line on the same database (e.g. `user add`).
// `env` adds settings (TEILHABE_SMTP for a test with its own mail sink, tests/e2e/mail_sink.mjs).
export async function startTown({ env: extra = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'teilhabe-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, TEILHABE_DATABASE: `sqlite:${dir}/town.db`,
    TEILHABE_LISTEN: `127.0.0.1:${port}`, TEILHABE_BASE_URL: base, ...extra };
  const demo = spawnSync(binary, ['demo', '--citizens', '40'], { env, encoding: 'utf8' });
  if (demo.status !== 0) throw new Error(`teilhabe demo failed:\n${demo.stdout}${demo.stderr}`);
  const m = /E-Mail (\S+)\s+Passwort (\S+)/.exec(demo.stdout);
  if (!m) throw new Error(`no admin log-in printed:\n${demo.stdout}`);
  const output = [];
  const child = spawn(binary, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', d => output.push(String(d)));
  child.stderr.on('data', d => output.push(String(d)));
  await waitForHealth(base, child, output);
  return {
    base, admin: { email: m[1], password: m[2] }, output, dbFile: `${dir}/town.db`,
    cli(args, input = '') {
      const r = spawnSync(binary, args, { env, input, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`teilhabe ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
      return r.stdout;
    },
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise(r => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The last e-mail queued for `email` (no SMTP server runs in the browser tests, so mails stay
// in the outbox of the town's SQLite file), as text with quoted-printable decoded.
export function lastMailTo(town, email) {
  if (!/^[a-z0-9.@+-]+$/.test(email)) throw new Error(`unexpected address ${email}`);
  const r = spawnSync('sqlite3', ['-readonly', town.dbFile,
    `SELECT payload FROM outbox WHERE email = '${email}' ORDER BY id DESC LIMIT 1`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  return r.stdout.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

// The first link to `path` (followed by a token) in a mail's text.
export function linkIn(mail, path) {
  const m = new RegExp(`https?://[^\\s"<>]+${path}[A-Za-z0-9_-]+`).exec(mail);
  if (!m) throw new Error(`no ${path} link in the mail:\n${mail.slice(0, 2000)}`);
  return m[0];
}

// Pages must fit a phone of 375 px without sideways scrolling (WCAG 1.4.10 reflow).
export async function noSideScroll(page, label) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(width <= 375, `no horizontal scrolling at 375 px on ${label} (${width})`);
}

export function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

let axeCache;
function axeSource() {
  axeCache ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeCache;
}

// axe-core on the current page: fails on any serious or critical violation.
export async function expectAccessible(page, label) {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
  // govern: the CSP stays on while the tests run, so they would notice an inline script of ours.
  await page.evaluate(axeSource());
  const result = await page.evaluate(() => globalThis.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  const bad = result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    const text = bad.map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`);
    throw new Error(`axe on ${label}:\n  ${text.join('\n  ')}`);
  }
}

// Screenshots for the README, only when asked for (TEILHABE_SCREENSHOTS=1).
export async function screenshot(page, name) {
  if (process.env.TEILHABE_SCREENSHOTS !== '1') return;
  const dir = join(sourceDir, 'docs/screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: false });
}

export function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

export function assertEqual(actual, expected, message) {
  if (actual !== expected) throw new Error(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

// Logs a staff account (the town's administrator unless `who` is given) in through the German
// log-in form, with the same steps as a person.
export async function login(page, town, who = town.admin) {
  await page.goto(`${town.base}/admin/login`);
  await page.getByLabel('E-Mail-Adresse').fill(who.email);
  await page.getByLabel('Passwort').fill(who.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  assertEqual(new URL(page.url()).pathname, '/admin', `${who.email} logged in`);
}
