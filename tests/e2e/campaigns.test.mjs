// The campaign screens in a real browser: the demo campaign's page with its preview as a real
// subscriber, the editor with a message beside the field, the question before sending, and the
// report once it is sending; axe on each.
import { expectAccessible, screenshot, assert, assertEqual, login } from './lib.mjs';

export const tests = [
  {
    name: 'demo campaign: preview, editor error, send after a question, report',
    async run({ browser, town }) {
      const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await login(page, town);

      await page.getByRole('navigation').getByRole('link', { name: 'Kampagnen' }).click();
      assertEqual(new URL(page.url()).pathname, '/admin/campaigns', 'the list');
      await expectAccessible(page, 'campaign list');

      await page.getByRole('link', { name: 'Kampagne anlegen' }).click();
      await page.getByLabel('Betreff').fill('');
      await page.getByLabel('Text (Markdown)').fill('Dieser Text bleibt stehen.');
      await page.getByRole('button', { name: 'Speichern' }).click();
      assertEqual(await page.getByLabel('Betreff').getAttribute('aria-invalid'), 'true', 'the subject is marked');
      assertEqual(await page.getByLabel('Text (Markdown)').inputValue(), 'Dieser Text bleibt stehen.', 'typed text is kept');
      await expectAccessible(page, 'campaign editor with an error');

      await page.getByRole('link', { name: 'Zurück zu den Kampagnen' }).click();
      await page.getByRole('link', { name: 'Frühjahrsputz (Demo)' }).click();
      const frame = page.frameLocator('iframe.mail-preview');
      assert((await frame.locator('body').textContent()).includes('Frühjahrsputz'), 'the preview shows the message');
      await expectAccessible(page, 'campaign page with preview');
      await screenshot(page, 'admin-campaign');

      await page.getByRole('link', { name: 'Jetzt senden' }).click();
      assert((await page.locator('main p:not(.breadcrumb)').first().textContent()).includes('Personen'), 'the question names how many');
      await expectAccessible(page, 'send question');
      await page.getByRole('button', { name: 'Jetzt senden' }).click();
      assert(await page.getByText('Wird versendet').first().isVisible(), 'sending');
      assert(await page.getByRole('heading', { name: 'Bericht' }).isVisible(), 'the report is shown');
      await expectAccessible(page, 'campaign report');
      await context.close();
    },
  },
];
