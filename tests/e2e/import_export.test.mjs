// Import and export in a real browser: an import handed to the worker, followed by htmx until
// its report appears (the page is never reloaded by hand); the export buttons of the citizens
// list download a dated file with the list's filters; axe on each page.
import { expectAccessible, assert, assertEqual, login } from './lib.mjs';

export const tests = [
  {
    name: 'an import runs in the background and its report appears',
    async run({ browser, town }) {
      const context = await browser.newContext({ locale: 'de-DE' });
      const page = await context.newPage();
      await login(page, town);
      await page.goto(`${town.base}/admin/import`);
      const rows = ['E-Mail;Vorname;Newsletter'];
      for (let i = 0; i < 30; i++) rows.push(`e2e.import${i}@example.org;Person ${i};ja`);
      await page.getByLabel('CSV-Datei').setInputFiles({
        name: 'buerger.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\r\n') + '\r\n') });
      await page.getByLabel('Importieren', { exact: true }).check();
      await page.getByRole('button', { name: 'Datei prüfen bzw. importieren' }).click();
      const runPath = new URL(page.url()).pathname;
      assert(/^\/admin\/imports\/\d+$/.test(runPath), `on the run's page, got ${page.url()}`);
      await expectAccessible(page, 'import run');
      // htmx swaps the report in when the worker is done.
      await page.getByText('Der Import wurde gespeichert.').waitFor({ timeout: 20_000 });
      assertEqual(new URL(page.url()).pathname, runPath, 'still the same page');
      assert(await page.getByRole('definition').filter({ hasText: /^30$/ }).count() >= 1, '30 created');
      assert(await page.getByText('not imported: a consent to newsletters').isVisible(), 'the consent note');
      assertEqual(await page.locator('[hx-trigger]').count(), 0, 'polling has stopped');
      await expectAccessible(page, 'import report');
      await context.close();
    },
  },
  {
    name: 'the export buttons download the filtered list',
    async run({ browser, town }) {
      const context = await browser.newContext({ locale: 'de-DE', acceptDownloads: true });
      const page = await context.newPage();
      await login(page, town);
      await page.goto(`${town.base}/admin/citizens?q=e2e.import1`);
      await expectAccessible(page, 'citizen list with export buttons');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Exportieren (CSV)' }).click(),
      ]);
      assert(/^personen-\d{4}-\d{2}-\d{2}\.csv$/.test(download.suggestedFilename()), `file name ${download.suggestedFilename()}`);
      const chunks = [];
      for await (const c of await download.createReadStream()) chunks.push(c);
      const csv = Buffer.concat(chunks).toString('utf8');
      assert(csv.startsWith('\uFEFFid;email;'), 'UTF-8 with BOM, ; as separator');
      assert(csv.includes(';e2e.import1@example.org;'), 'the filtered person is in it');
      assert(!csv.includes(';e2e.import2@example.org;'), 'others are not');
      const [xlsx] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Exportieren (XLSX)' }).click(),
      ]);
      assert(xlsx.suggestedFilename().endsWith('.xlsx'), `file name ${xlsx.suggestedFilename()}`);
      await context.close();
    },
  },
];
