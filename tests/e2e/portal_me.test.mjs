// The citizen portal in a real browser at phone width, one person's whole way through it:
// registration → the verification mail → log-out and log-in → profile edit (with a message
// beside a wrong value) → a profiling question answered and one declined → preferences → the
// data downloaded, a consent withdrawn → the account deleted; axe on every page.
import { readFileSync } from 'node:fs';
import { expectAccessible, screenshot, assert, assertEqual, lastMailTo, linkIn, noSideScroll } from './lib.mjs';

const EMAIL = 'erika.portal@musterstadt.example';
const PASSWORD = 'Pusteblume-2026';

export const tests = [
  {
    name: 'registration, verification, log-in, profile, questions, preferences, export and deletion at 375 px',
    async run({ browser, town }) {
      const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 375, height: 800 },
        acceptDownloads: true });
      const page = await context.newPage();

      // Registration and the verification link from the mail (which asks for the password again).
      await page.goto(`${town.base}/portal/register`);
      await page.getByLabel('E-Mail-Adresse').fill(EMAIL);
      await page.getByLabel('Passwort').fill(PASSWORD);
      await page.getByRole('button', { name: 'Konto anlegen' }).click();
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Bitte prüfen Sie Ihr Postfach', 'mail sent');
      await page.goto(linkIn(lastMailTo(town, EMAIL), '/portal/verify/'));
      await page.getByLabel('Passwort').fill(PASSWORD);
      await page.getByRole('button', { name: 'Konto bestätigen' }).click();
      assertEqual(new URL(page.url()).pathname, '/portal', 'signed in after verification');
      await page.getByRole('button', { name: 'Abmelden', exact: true }).click();
      assertEqual(new URL(page.url()).pathname, '/portal/login', 'signed out');

      await page.goto(`${town.base}/portal/login`);
      await page.getByLabel('E-Mail-Adresse').fill(EMAIL);
      await page.getByLabel('Passwort').fill(PASSWORD);
      await page.getByRole('button', { name: 'Anmelden' }).click();
      assertEqual(new URL(page.url()).pathname, '/portal', 'signed in');
      await expectAccessible(page, 'portal home');
      await screenshot(page, 'portal-home');
      await noSideScroll(page, 'home');

      // Points: balance and history, reached from the navigation (no JavaScript needed).
      await page.getByRole('navigation').getByRole('link', { name: 'Punkte' }).click();
      assertEqual(new URL(page.url()).pathname, '/portal/points', 'points page');
      assert(await page.getByRole('heading', { name: 'Meine Punkte' }).isVisible(), 'points heading');
      assert(await page.getByText('Noch keine Buchungen').isVisible(), 'empty history explained');
      await expectAccessible(page, 'points');
      await noSideScroll(page, 'points');

      // Profile: a wrong year is said beside the field, then the details are saved.
      await page.getByRole('navigation').getByRole('link', { name: 'Mein Profil' }).click();
      assertEqual(new URL(page.url()).pathname, '/portal/profile', 'profile page');
      await page.getByLabel('Vorname').fill('Erika');
      await page.getByLabel('Nachname').fill('Mustermann');
      await page.getByLabel('Ortsteil').fill('Nord');
      await page.getByLabel('Geburtsjahr').fill('1850');
      await page.getByRole('button', { name: 'Speichern' }).click();
      assertEqual(await page.getByLabel('Geburtsjahr').getAttribute('aria-invalid'), 'true', 'year marked');
      assert(await page.locator('#attr-birth_year-error').isVisible(), 'message beside the year');
      await expectAccessible(page, 'profile with an error');
      await page.getByLabel('Geburtsjahr').fill('');
      await page.getByRole('button', { name: 'Speichern' }).click();
      assert(await page.getByText('Ihre Angaben wurden gespeichert.').isVisible(), 'profile saved');
      assertEqual(await page.getByLabel('Vorname').inputValue(), 'Erika', 'first name kept');
      await expectAccessible(page, 'profile');
      await noSideScroll(page, 'profile');

      // Progressive profiling on the home page: one answered, the next declined.
      await page.getByRole('navigation').getByRole('link', { name: 'Start' }).click();
      assert(await page.getByText('Hallo Erika!').isVisible(), 'greeted by name');
      await page.getByLabel('Geburtsjahr').fill('1984');
      await page.getByRole('button', { name: 'Antwort speichern' }).click();
      assert(await page.getByText('Danke, Ihre Antwort wurde gespeichert.').isVisible(), 'answer saved');
      await expectAccessible(page, 'home after an answer');
      const next = await page.locator('input[name="field"]').getAttribute('value');
      assert(next && next !== 'birth_year', `the next question is another (${next})`);
      await page.getByRole('button', { name: 'Lieber nicht' }).click();
      assert(await page.getByText('wir fragen Sie danach längere Zeit nicht wieder').isVisible(), 'declined');
      const after = await page.locator('input[name="field"]').count()
        ? await page.locator('input[name="field"]').getAttribute('value') : '';
      assert(after !== next, 'the declined question is not asked again at once');
      await page.goto(`${town.base}/portal/questions`);
      await expectAccessible(page, 'questions');

      // Preferences: a newsletter and click tracking, by post.
      await page.getByRole('navigation').getByRole('link', { name: 'Newsletter und Einstellungen' }).click();
      await page.getByLabel('Kultur und Veranstaltungen').check();
      await page.getByLabel('Klicks auswerten (freiwillig)').check();
      await page.getByLabel('Per Post').check();
      await page.getByRole('button', { name: 'Einstellungen speichern' }).click();
      assert(await page.getByText('Ihre Einstellungen wurden gespeichert.').isVisible(), 'preferences saved');
      assert(await page.getByLabel('Kultur und Veranstaltungen').isChecked(), 'subscribed');
      assert(await page.getByLabel('Per Post').isChecked(), 'channel kept');
      await expectAccessible(page, 'preferences');
      await screenshot(page, 'portal-preferences');
      await noSideScroll(page, 'preferences');

      // My data: the download, the readable page, one consent withdrawn.
      await page.getByRole('navigation').getByRole('link', { name: 'Meine Daten' }).click();
      await expectAccessible(page, 'privacy');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Meine Daten herunterladen (JSON, maschinenlesbar)' }).click(),
      ]);
      const data = JSON.parse(readFileSync(await download.path(), 'utf8'));
      assertEqual(data.profile.email, EMAIL, 'the download is about me');
      assertEqual(data.profile.first_name, 'Erika', 'with my changes');
      assert(data.tables.consents.length >= 1, 'with my consents');
      await page.getByRole('link', { name: 'Meine Daten ansehen' }).click();
      assert(await page.getByText('Zugriffe der Stadtverwaltung auf Ihre Daten').isVisible(), 'readable export');
      await expectAccessible(page, 'readable export');
      await noSideScroll(page, 'readable export');
      await page.goto(`${town.base}/portal/privacy`);
      await page.getByRole('button', { name: 'Widerrufen: Kultur und Veranstaltungen' }).click();
      assert(await page.getByText('Die Einwilligung wurde widerrufen.').isVisible(), 'withdrawn');
      assertEqual(await page.getByRole('button', { name: 'Widerrufen: Kultur und Veranstaltungen' }).count(), 0,
        'the consent is no longer listed');

      // Deleting the account.
      await page.getByRole('link', { name: 'Konto und Daten löschen …' }).click();
      await expectAccessible(page, 'delete confirmation');
      await page.getByLabel('Ihr Passwort').fill(PASSWORD);
      await page.getByRole('button', { name: 'Endgültig löschen' }).click();
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Ihr Konto wurde gelöscht', 'goodbye');
      await expectAccessible(page, 'goodbye');
      await page.goto(`${town.base}/portal`);
      assertEqual(new URL(page.url()).pathname, '/portal/login', 'signed out for good');
      await context.close();
    },
  },
];
