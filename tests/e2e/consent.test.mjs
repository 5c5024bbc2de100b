// Newsletters in a real browser: the topic screens (empty error, saved, snippet, delete with
// confirmation), the public sign-up page at phone width with the topic preselected, and the
// friendly pages for unknown confirmation and unsubscribe links; axe on each.
// The whole walk with real mail (sign-up → confirmation mail → confirm → campaign mail →
// unsubscribe) is newsletter_mail.test.mjs, against its own town and SMTP sink.
import { expectAccessible, assert, assertEqual, login } from './lib.mjs';

export const tests = [
  {
    name: 'topic screens: field error, save, snippet, delete with confirmation',
    async run({ browser, town }) {
      const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await login(page, town);
      await page.getByRole('navigation').getByRole('link', { name: 'Themen und Newsletter' }).click();
      assertEqual(new URL(page.url()).pathname, '/admin/topics', 'the list');
      assert(await page.getByRole('cell', { name: 'Umwelt und Klima', exact: true }).isVisible(), 'demo topics listed');
      await expectAccessible(page, 'topic list');

      await page.getByRole('link', { name: 'Neues Thema' }).click();
      await page.getByLabel('Schlüssel').fill('Wald!');
      await page.getByLabel('Name (Deutsch)').fill('Stadtwald');
      await page.getByRole('button', { name: 'Speichern' }).click();
      assertEqual(await page.getByLabel('Schlüssel').getAttribute('aria-invalid'), 'true', 'key marked invalid');
      assert(await page.locator('#key-error').isVisible(), 'message beside the key');
      await expectAccessible(page, 'topic form with an error');
      await page.getByLabel('Schlüssel').fill('stadtwald');
      await page.getByRole('button', { name: 'Speichern' }).click();
      assert(await page.getByText('Das Thema wurde gespeichert.').isVisible(), 'saved');
      assert(await page.getByRole('cell', { name: 'Stadtwald', exact: true }).isVisible(), 'listed');

      await page.getByRole('link', { name: 'Anmeldeformular für die Website' }).click();
      const snippet = await page.getByLabel('HTML-Code zum Kopieren').inputValue();
      assert(snippet.includes(`action="${town.base}/subscribe"`), 'snippet posts to the town');
      assert(snippet.includes('value="stadtwald"'), 'snippet offers the new topic');
      await expectAccessible(page, 'embed snippet');

      await page.goto(`${town.base}/admin/topics`);
      await page.getByRole('link', { name: 'Löschen Stadtwald' }).click();
      await expectAccessible(page, 'delete confirmation');
      await page.getByRole('button', { name: 'Löschen' }).click();
      assert(await page.getByText('Das Thema wurde gelöscht.').isVisible(), 'deleted');
      await context.close();
    },
  },
  {
    name: 'public sign-up page at 375 px, unknown links explained',
    async run({ browser, town }) {
      const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 375, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${town.base}/subscribe?topic=kultur`);
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Newsletter abonnieren', 'heading');
      assert(await page.getByLabel('Kultur und Veranstaltungen').isChecked(), 'topic preselected');
      assert(!(await page.getByLabel('Umwelt und Klima').isChecked()), 'others not');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(width <= 375, `no horizontal scrolling at 375 px (${width})`);
      await expectAccessible(page, 'sign-up form');

      await page.goto(`${town.base}/confirm/unknown-token`);
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Link unbekannt', 'unknown confirm link');
      assert(await page.getByRole('link', { name: 'Zur Anmeldung' }).isVisible(), 'a way back to the sign-up');
      await expectAccessible(page, 'unknown confirmation link');

      await page.goto(`${town.base}/unsubscribe/1.0..deadbeef`);
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Link ungültig', 'invalid unsubscribe link');
      await expectAccessible(page, 'invalid unsubscribe link');
      await context.close();
    },
  },
];
