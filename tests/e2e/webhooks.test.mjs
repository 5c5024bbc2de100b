// The webhook screens in a real browser: empty list, a refused URL beside its field, the secret
// shown once, the test ping, deleting with confirmation; axe on each.
import { expectAccessible, assert, assertEqual, login } from './lib.mjs';

export const tests = [
  {
    name: 'create with a field error, the secret once, test ping, delete',
    async run({ browser, town }) {
      const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await login(page, town);

      await page.getByRole('navigation').getByRole('link', { name: 'Webhooks' }).click();
      assertEqual(new URL(page.url()).pathname, '/admin/webhooks', 'the list');
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Webhooks', 'list heading');
      assert(await page.getByText('Noch keine Webhooks.').isVisible(), 'empty state');
      await expectAccessible(page, 'webhook list, empty');

      await page.getByRole('link', { name: 'Webhook anlegen' }).first().click();
      await expectAccessible(page, 'webhook form');
      await page.getByLabel('Adresse (URL)').fill('ftp://dateien.musterstadt.example/ablage');
      await page.getByLabel('Aktivitätsarten').fill('library.loan\npool.*');
      await page.getByRole('button', { name: 'Webhook anlegen' }).click();
      const url = page.getByLabel('Adresse (URL)');
      assertEqual(await url.getAttribute('aria-invalid'), 'true', 'the field is marked invalid');
      assert((await page.locator('#url-error').textContent()).includes('http:// oder https://'), 'the message is beside the field');
      assertEqual(await page.getByLabel('Aktivitätsarten').inputValue(), 'library.loan\npool.*', 'typed values are kept');
      await expectAccessible(page, 'webhook form with an error');

      await url.fill('http://127.0.0.1:9/teilhabe');
      await page.getByRole('button', { name: 'Webhook anlegen' }).click();
      const secret = await page.getByRole('textbox', { name: 'Geheimnis zum Prüfen der Signatur' }).inputValue();
      assert(/^whsec_[A-Za-z0-9+/]{43}=$/.test(secret), `the secret is shown: ${secret}`);
      await expectAccessible(page, 'webhook created');

      await page.getByRole('link', { name: 'Zum Webhook' }).click();
      assert(!(await page.content()).includes(secret), 'the secret is not shown again');
      await page.getByRole('button', { name: 'Testnachricht senden' }).click();
      assert(await page.getByText('Die Testnachricht (webhook.ping) wurde in die Warteschlange gestellt.').isVisible(), 'ping queued');
      assert(await page.getByRole('cell', { name: 'webhook.ping' }).isVisible(), 'the ping is listed');
      await expectAccessible(page, 'webhook deliveries');

      await page.getByRole('link', { name: 'Löschen' }).click();
      await expectAccessible(page, 'webhook delete confirmation');
      await page.getByRole('button', { name: 'Endgültig löschen' }).click();
      assertEqual(new URL(page.url()).pathname, '/admin/webhooks', 'back at the list');
      assert(await page.getByText('Der Webhook wurde gelöscht.').isVisible(), 'deleted');
      assert(await page.getByText('Noch keine Webhooks.').isVisible(), 'empty again');
      await context.close();
    },
  },
];
