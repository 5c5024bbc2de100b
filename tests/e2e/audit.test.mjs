// The data-protection officer's audit screen in a real browser: an administrator reads a
// profile; the DPO filters the log by that person's e-mail address and sees the read (who, from
// where), narrows it by action, downloads the entries as CSV (the download is itself logged);
// axe on the screen, filtered, empty and with a message beside a filter.
import { expectAccessible, screenshot, assert, assertEqual, login } from './lib.mjs';

const DPO = { email: 'datenschutz@musterstadt.example', password: 'Datenschutz-Rathaus-2026' };

export const tests = [
  {
    name: 'the DPO filters by a person and sees who read the profile',
    async run({ browser, town }) {
      // An administrator opens a profile: an audited read.
      const adminContext = await browser.newContext({ locale: 'de-DE' });
      const admin = await adminContext.newPage();
      await login(admin, town, town.admin);
      await admin.goto(`${town.base}/admin/citizens`);
      const row = admin.locator('table tbody tr').nth(2);
      const email = (await row.locator('td').nth(1).textContent()).trim();
      await row.getByRole('link').click();
      const id = /\/admin\/citizens\/(\d+)$/.exec(new URL(admin.url()).pathname)?.[1];
      assert(id, `on a profile, got ${admin.url()}`);
      await adminContext.close();

      town.cli(['user', 'add', '--email', DPO.email, '--role', 'dpo', '--name', 'Datenschutz'], `${DPO.password}\n`);
      const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await login(page, town, DPO);
      await page.getByRole('navigation').getByRole('link', { name: 'Protokoll' }).click();
      assertEqual(new URL(page.url()).pathname, '/admin/audit', 'the audit screen');
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Protokoll', 'heading');
      assert(await page.getByRole('table', { name: 'Protokolleinträge, neueste zuerst' }).isVisible(), 'the table has its caption');
      await expectAccessible(page, 'audit log');

      // Everything about the person, found by e-mail address.
      await page.getByLabel('Betrifft', { exact: true }).fill(email);
      await page.getByRole('button', { name: 'Filtern' }).click();
      assertEqual(new URL(page.url()).searchParams.get('subject'), email, 'the filter is in the address');
      const rows = page.locator('table tbody tr');
      const n = await rows.count();
      assert(n >= 1, `entries about the person (${n})`);
      for (let i = 0; i < n; i++)
        assertEqual((await rows.nth(i).locator('td').nth(3).textContent()).trim(), `citizen:${id}`, `row ${i} concerns the person`);
      const read = rows.filter({ hasText: 'citizen.read' }).filter({ hasText: town.admin.email });
      assert(await read.count() >= 1, 'the administrator\'s read of the profile is listed');
      assertEqual((await read.first().locator('td').nth(5).textContent()).trim(), '127.0.0.1', 'from where');
      assertEqual(await page.getByLabel('Betrifft', { exact: true }).inputValue(), email, 'the filter stays in the form');
      await expectAccessible(page, 'audit log filtered by a person');
      await screenshot(page, 'admin-audit');

      // Narrowed by action, from the list of actions that occur.
      await page.getByLabel('Aktion').selectOption('citizen.read');
      await page.getByRole('button', { name: 'Filtern' }).click();
      const reads = await rows.count();
      assert(reads >= 1 && reads <= n, `only reads (${reads} of ${n})`);
      for (let i = 0; i < reads; i++)
        assert((await rows.nth(i).textContent()).includes('Profil gelesen'), `row ${i} is a read`);

      // The download holds the same entries and is itself logged.
      const href = await page.getByRole('link', { name: 'Gefilterte Einträge als CSV herunterladen' }).getAttribute('href');
      const csv = await context.request.get(`${town.base}${href}`);
      assertEqual(csv.status(), 200, 'download status');
      assert(csv.headers()['content-type'].startsWith('text/csv'), 'a CSV file');
      const lines = (await csv.text()).trim().split('\r\n');
      assertEqual(lines.length, reads + 1, 'header and the filtered entries');
      assert(lines.slice(1).every(l => l.includes(`,citizen.read,citizen:${id},`)), 'only the reads of the person');
      await page.goto(`${town.base}/admin/audit?action=audit.exported`);
      const logged = page.locator('table tbody tr').filter({ hasText: DPO.email });
      assert(await logged.count() >= 1, 'the download is in the log');

      // Nothing matches; a filter that cannot be used is said beside it.
      await page.goto(`${town.base}/admin/audit?subject=citizen%3A999999`);
      assert(await page.getByText('Keine Einträge passen zu diesen Filtern.').isVisible(), 'empty state');
      await expectAccessible(page, 'audit log without matches');
      await page.getByLabel('IP-Adresse').fill('kein Netz');
      await page.getByRole('button', { name: 'Filtern' }).click();
      const ip = page.getByLabel('IP-Adresse');
      assertEqual(await ip.getAttribute('aria-invalid'), 'true', 'the filter is marked invalid');
      assert((await ip.getAttribute('aria-describedby')).includes('ip-error'), 'the message is tied to it');
      await expectAccessible(page, 'audit log with a wrong filter');
      await context.close();
    },
  },
];
