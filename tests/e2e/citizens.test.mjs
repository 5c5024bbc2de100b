// The citizen data hub's admin screens in a real browser: list and search, the create form
// with a message beside the field, the profile; axe on each; screenshots for the README.
import { expectAccessible, screenshot, assert, assertEqual, login } from './lib.mjs';

export const tests = [
  {
    name: 'list, search, create with a field error, profile',
    async run({ browser, town }) {
      const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await login(page, town);

      await page.getByRole('navigation').getByRole('link', { name: 'Bürgerinnen und Bürger' }).click();
      assertEqual(new URL(page.url()).pathname, '/admin/citizens', 'the list');
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Bürgerinnen und Bürger', 'list heading');
      assertEqual(await page.getByRole('navigation').getByRole('link', { name: 'Bürgerinnen und Bürger' }).getAttribute('aria-current'), 'page', 'nav highlights the list');
      const rows = await page.locator('table tbody tr').count();
      assert(rows > 0 && rows <= 50, `the demo town's people are listed (${rows})`);
      await expectAccessible(page, 'citizen list');
      await screenshot(page, 'admin-citizens');

      // Search by the start of an e-mail address taken from the list itself.
      const email = (await page.locator('table tbody tr').first().locator('td').nth(1).textContent()).trim();
      await page.getByLabel('Suche', { exact: true }).fill(email.slice(0, 6));
      await page.getByRole('button', { name: 'Suchen' }).click();
      assert(new URL(page.url()).searchParams.get('q') === email.slice(0, 6), 'the search is in the address');
      assert((await page.getByRole('cell', { name: email }).count()) === 1, 'the person is found');
      const found = await page.locator('table tbody tr').count();
      assert(found >= 1 && found <= rows, `the search narrows the list (${found})`);

      // Create: a year of birth out of range is refused beside the field, the values stay.
      await page.goto(`${town.base}/admin/citizens/new`);
      await expectAccessible(page, 'citizen form');
      await page.getByLabel('E-Mail-Adresse').fill('e2e.neu@example.org');
      await page.getByLabel('Vorname').fill('Erika');
      await page.getByLabel('Nachname').fill('Neumann');
      await page.getByLabel('Geburtsjahr').fill('1800');
      await page.getByRole('button', { name: 'Anlegen' }).click();
      const year = page.getByLabel('Geburtsjahr');
      assertEqual(await year.getAttribute('aria-invalid'), 'true', 'the field is marked invalid');
      const describedBy = await year.getAttribute('aria-describedby');
      assert(describedBy && (await page.locator(`#${describedBy}`).textContent()).includes('passt nicht'), 'the message is beside the field');
      assertEqual(await page.getByLabel('Vorname').inputValue(), 'Erika', 'typed values are kept');
      await expectAccessible(page, 'citizen form with an error');
      await year.fill('1984');
      await page.getByRole('button', { name: 'Anlegen' }).click();

      // The profile.
      assert(/^\/admin\/citizens\/\d+$/.test(new URL(page.url()).pathname), `on the profile, got ${page.url()}`);
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Erika Neumann', 'profile heading');
      assert(await page.getByText('Die Person wurde angelegt.').isVisible(), 'confirmation shown');
      assert(await page.getByRole('definition').filter({ hasText: '1984' }).count() >= 1, 'the year of birth is shown');
      assert(await page.getByRole('cell', { name: 'citizen.created' }).isVisible(), 'the timeline has the creation');
      assert(await page.getByRole('cell', { name: town.admin.email }).first().isVisible(), 'the timeline says who');
      await expectAccessible(page, 'citizen profile');
      await screenshot(page, 'admin-citizen-profile');
      await context.close();
    },
  },
];
