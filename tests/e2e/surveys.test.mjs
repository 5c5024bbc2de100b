// Surveys in a real browser: a staff member builds a small survey with the builder (no
// JavaScript needed: every button posts the form) and opens it; a citizen registers in the
// portal, answers it at phone width with one error round (a required answer missing), sees the
// thank-you page and the survey marked answered; the results page shows the answer. axe on the
// builder, the portal form (also with its errors) and the results.
import { expectAccessible, assert, assertEqual, lastMailTo, linkIn, login, noSideScroll } from './lib.mjs';

const EMAIL = 'umfrage.portal@musterstadt.example';
const PASSWORD = 'Gänseblümchen-2026';
const TITLE = 'Wie gefällt Ihnen der Stadtpark?';

async function buildSurvey(browser, town) {
  const context = await browser.newContext({ locale: 'de-DE' });
  const page = await context.newPage();
  await login(page, town);
  await page.goto(`${town.base}/admin/surveys`);
  await expectAccessible(page, 'survey list');
  await page.getByRole('link', { name: 'Neue Umfrage' }).first().click();
  await page.getByLabel('Titel').fill(TITLE);
  await page.getByLabel('Fragetext').fill('Wie oft sind Sie im Park?');
  await page.getByLabel('Art der Frage').selectOption('single_choice');
  await page.getByLabel('Antwortmöglichkeiten').fill('täglich\nwöchentlich\nselten');
  await page.getByLabel('Pflichtfrage').check();
  await page.getByRole('button', { name: 'Frage hinzufügen' }).click();
  assertEqual(await page.getByLabel('Titel').inputValue(), TITLE, 'the title stays after adding a question');
  await page.locator('#q2_text').fill('Wie sauber ist der Park?');
  await page.locator('#q2_kind').selectOption('rating');
  await page.locator('#q2_required').check();
  await expectAccessible(page, 'survey builder');
  await page.getByRole('button', { name: 'Umfrage speichern' }).last().click();
  assert(await page.getByText('Die Umfrage wurde gespeichert.').isVisible(), 'saved');
  const link = await page.getByLabel('Link zur Umfrage im Bürgerportal (für eine Kampagne)').inputValue();
  assert(/\/portal\/surveys\/\d+$/.test(link), `portal link shown (${link})`);
  await page.getByRole('button', { name: 'Umfrage öffnen' }).click();
  assert(await page.getByText('Die Umfrage ist jetzt geöffnet.').isVisible(), 'opened');
  await context.close();
  return new URL(link).pathname;
}

async function registerCitizen(page, town) {
  await page.goto(`${town.base}/portal/register`);
  await page.getByLabel('E-Mail-Adresse').fill(EMAIL);
  await page.getByLabel('Passwort').fill(PASSWORD);
  await page.getByRole('button', { name: 'Konto anlegen' }).click();
  await page.goto(linkIn(lastMailTo(town, EMAIL), '/portal/verify/'));
  await page.getByLabel('Passwort').fill(PASSWORD);
  await page.getByRole('button', { name: 'Konto bestätigen' }).click();
  assertEqual(new URL(page.url()).pathname, '/portal', 'signed in after verification');
}

export const tests = [
  {
    name: 'staff builds a survey, a citizen answers it after one error round, results show it',
    async run({ browser, town }) {
      const path = await buildSurvey(browser, town);

      const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 375, height: 800 } });
      const page = await context.newPage();
      await registerCitizen(page, town);
      await page.getByRole('navigation').getByRole('link', { name: 'Umfragen' }).click();
      assertEqual(new URL(page.url()).pathname, '/portal/surveys', 'surveys page');
      await expectAccessible(page, 'portal survey list');
      await page.getByRole('link', { name: TITLE }).click();
      assertEqual(new URL(page.url()).pathname, path, 'the survey form');
      await expectAccessible(page, 'portal survey form');
      await noSideScroll(page, 'survey form');

      // One error round: the rating is left out.
      await page.getByRole('group', { name: /Wie oft sind Sie im Park/ }).getByLabel('wöchentlich').check();
      await page.getByRole('button', { name: 'Antworten absenden' }).click();
      assert(await page.getByRole('alert').getByText('Frage 2: Bitte beantworten Sie diese Frage.').isVisible(), 'error summary');
      assert(await page.locator('#q2-error').isVisible(), 'message beside the question');
      assert(await page.getByLabel('wöchentlich').isChecked(), 'the given answer is kept');
      await expectAccessible(page, 'portal survey form with errors');
      await page.getByRole('group', { name: /Wie sauber/ }).getByLabel('4').check();
      await page.getByRole('button', { name: 'Antworten absenden' }).click();
      assertEqual(new URL(page.url()).pathname, `${path}/thanks`, 'thank-you page');
      assert(await page.getByRole('heading', { name: 'Vielen Dank!' }).isVisible(), 'thanked');
      assert(await page.getByText(/Aktivpunkte/).first().isVisible(), 'points mentioned');
      await expectAccessible(page, 'portal survey thanks');

      await page.goto(`${town.base}/portal/surveys`);
      assert(await page.getByText('Bereits beantwortet').isVisible(), 'listed as answered');
      await page.goto(`${town.base}${path}`);
      assert(await page.getByText('Sie haben diese Umfrage bereits beantwortet.').isVisible(), 'already answered state');
      await context.close();

      // The results, with a chart and the downloads.
      const staff = await browser.newContext({ locale: 'de-DE' });
      const admin = await staff.newPage();
      await login(admin, town);
      await admin.goto(`${town.base}/admin${path.replace('/portal', '')}/results`);
      assert(await admin.getByRole('heading', { level: 1 }).textContent().then(t => t.includes(TITLE)), 'results heading');
      assert(await admin.locator('svg.chart').count() >= 2, 'charts drawn');
      assert(await admin.getByRole('link', { name: 'Antworten als CSV herunterladen' }).isVisible(), 'CSV link');
      assert(await admin.getByRole('link', { name: 'Antworten als Excel (XLSX) herunterladen' }).isVisible(), 'XLSX link');
      await expectAccessible(admin, 'survey results');
      const csv = await admin.request.get(`${town.base}/admin${path.replace('/portal', '')}/results.csv`);
      assertEqual(csv.status(), 200, 'CSV download');
      assert((await csv.text()).includes('wöchentlich'), 'the answer is in the CSV');
      await staff.close();
    },
  },
];
