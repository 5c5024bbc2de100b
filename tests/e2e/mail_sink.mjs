// A real SMTP server on loopback for browser tests: the integration tests' sink
// (tests/harness/smtp_sink.py, Debian's python3-aiosmtpd) as a child process, storing each
// accepted message once per recipient in a temporary folder. Messages are read with Python's
// strict `email` parser (default policy), which also decodes quoted-printable and base64.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceDir } from './lib.mjs';

const PARSE = `
import email, email.policy, json, sys
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
def part(kind):
    p = m.get_body(preferencelist=(kind,))
    return p.get_content() if p is not None else ''
print(json.dumps({'headers': {k.lower(): str(v) for k, v in m.items()}, 'text': part('plain'), 'html': part('html')}))
`;

function parse(file) {
  const r = spawnSync('/usr/bin/python3', ['-c', PARSE, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot parse ${file}:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

// Returns { url, messages(), waitFor(rcpt, predicate?, timeoutMs), stop() }.
export async function startMailSink() {
  const dir = mkdtempSync(join(tmpdir(), 'teilhabe-e2e-mail-'));
  const child = spawn('/usr/bin/python3', [join(sourceDir, 'tests/harness/smtp_sink.py'), '--port', '0', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the mail sink did not start:\n${output}`)), 10_000);
    child.stdout.on('data', d => {
      output += d;
      const m = /listening on (\d+)/.exec(output);
      if (m) { clearTimeout(timer); ok(Number(m[1])); }
    });
    child.stderr.on('data', d => { output += d; });
    child.once('exit', () => { clearTimeout(timer); fail(new Error(`the mail sink exited:\n${output}`)); });
  });
  const parsed = new Map();
  // Every stored message: { to, from, headers, text, html } (a visible .eml is complete).
  function messages() {
    return readdirSync(dir).filter(f => f.endsWith('.eml') && !f.startsWith('.')).sort().map(f => {
      if (!parsed.has(f)) {
        const meta = JSON.parse(readFileSync(join(dir, f.replace(/\.eml$/, '.json')), 'utf8'));
        parsed.set(f, { to: meta.rcpt_to, from: meta.mail_from, ...parse(join(dir, f)) });
      }
      return parsed.get(f);
    });
  }
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    // The first message to `rcpt` that `predicate` accepts; polls until `timeoutMs`.
    async waitFor(rcpt, predicate = () => true, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages().find(m => m.to === rcpt && predicate(m));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no mail to ${rcpt} within ${timeoutMs} ms (${messages().length} stored)`);
        await new Promise(r => setTimeout(r, 50));
      }
    },
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise(r => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
