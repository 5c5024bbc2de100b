// Merging two profiles of one person in the admin, in a real browser: the hint on the profile,
// the search for the duplicate, the side-by-side comparison with a choice (axe on it), the
// confirmation, and the survivor with the duplicate's history.
import { expectAccessible, screenshot, assert, assertEqual, login } from './lib.mjs';

async function createPerson(page, town, { email, year, district, tags }) {
  await page.goto(`${town.base}/admin/citizens/new`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Vorname').fill('Merle');
  await page.getByLabel('Nachname').fill('Zusammenführ');
  if (district) await page.getByLabel('Ortsteil').fill(district);
  if (tags) await page.getByLabel('Schlagwörter').fill(tags);
  await page.getByLabel('Geburtsjahr').fill(year);
  await page.getByRole('button', { name: 'Anlegen' }).click();
  const path = new URL(page.url()).pathname;
  assert(/^\/admin\/citizens\/\d+$/.test(path), `created ${email}, got ${page.url()}`);
  return path;
}

export const tests = [
  {
    name: 'merge a duplicate into a profile through the comparison',
    async run({ browser, town }) {
      const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await login(page, town);
      const survivor = await createPerson(page, town, { email: 'merle.e2e@example.org', year: '1990', tags: 'presse' });
      const duplicate = await createPerson(page, town, { email: 'm.zusammen@example.org', year: '1991', district: 'Nord', tags: 'vhs' });

      // The survivor's profile names the same-named profile and offers the merge.
      await page.goto(`${town.base}${survivor}`);
      assert(await page.getByRole('heading', { name: 'Mögliche Duplikate' }).isVisible(), 'the hint is shown');
      assert(await page.getByRole('link', { name: /m\.zusammen@example\.org/ }).isVisible(), 'the hint names the other profile');
      await expectAccessible(page, 'profile with a duplicate hint');
      await page.getByRole('link', { name: 'Mit Duplikat zusammenführen' }).click();

      // Choose the duplicate by searching for its address.
      assertEqual(new URL(page.url()).pathname, `${survivor}/merge`, 'the choice of the duplicate');
      await page.getByLabel('Suche', { exact: true }).fill('m.zusammen');
      await page.getByRole('button', { name: 'Suchen' }).click();
      await expectAccessible(page, 'merge: choose the duplicate');
      await page.getByRole('link', { name: /Vergleichen m\.zusammen@example\.org/ }).click();

      // The comparison: one choice (the year of birth), the district filled, tags united.
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Profile vergleichen und zusammenführen', 'comparison heading');
      const mine = page.getByRole('radio', { name: /^1990/ });
      const theirs = page.getByRole('radio', { name: /^1991/ });
      assert(await mine.isChecked(), "the survivor's value is chosen by default");
      assert(await page.getByRole('cell', { name: 'presse, vhs' }).isVisible(), 'tags are united');
      await expectAccessible(page, 'merge: comparison');
      await screenshot(page, 'admin-citizen-merge');
      await theirs.check();
      await page.getByRole('button', { name: 'Weiter zur Bestätigung' }).click();

      // The confirmation, then the survivor with the merged data and history.
      assert(await page.getByText('Soll Merle Zusammenführ (m.zusammen@example.org) in Merle Zusammenführ (merle.e2e@example.org) zusammengeführt werden?').isVisible(), 'the question names both');
      await expectAccessible(page, 'merge: confirmation');
      await page.getByRole('button', { name: 'Ja, zusammenführen' }).click();
      assertEqual(new URL(page.url()).pathname, survivor, 'back on the survivor');
      assert(await page.getByText('Die Profile wurden zusammengeführt.').isVisible(), 'the flash message');
      assert(await page.getByRole('definition').filter({ hasText: '1991' }).count() >= 1, 'the chosen year of birth');
      assert(await page.getByRole('definition').filter({ hasText: 'Nord' }).count() >= 1, 'the district was filled');
      assert(await page.getByRole('cell', { name: 'citizen.merged' }).isVisible(), 'the merge is in the timeline');
      assertEqual(await page.getByRole('cell', { name: 'citizen.created' }).count(), 2, "the duplicate's history moved along");
      await expectAccessible(page, 'profile after the merge');

      const gone = await page.goto(`${town.base}${duplicate}`);
      assertEqual(gone.status(), 404, 'the duplicate is gone');
      await context.close();
    },
  },
];
