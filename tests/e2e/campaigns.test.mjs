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
  {
    name: 'a campaign to a segment: the choice with its size, the audience rule, the question names the combination',
    async run({ browser, town }) {
      const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await login(page, town);

      await page.goto(`${town.base}/admin/segments/new`);
      await page.getByLabel('Name').fill('Nordstadt');
      await page.getByLabel('Schlüssel').fill('nordstadt');
      await page.getByLabel('Regel').fill('district = "Nord"');
      await page.getByRole('button', { name: 'Speichern' }).click();

      await page.goto(`${town.base}/admin/campaigns/new`);
      const choice = page.getByLabel('Segment');
      const option = choice.locator('option', { hasText: 'Nordstadt' });
      assertEqual(await option.count(), 1, 'the segment is offered');
      assert(/\(\d+ Mitglieder\)/.test(await option.textContent()), 'with its live size');
      assertEqual(await choice.inputValue(), '', 'no segment by default');

      await page.getByLabel('Betreff').fill('Neues aus dem Norden');
      await page.getByLabel('Text (Markdown)').fill('Liebe Nachbarinnen und Nachbarn im Norden.');
      await page.getByRole('button', { name: 'Speichern' }).click();
      assert((await page.locator('#topics-error').textContent()).includes('Newsletter oder ein Segment'),
        'neither topics nor a segment: the message beside the topics');
      await expectAccessible(page, 'campaign editor without an audience');

      await page.getByLabel('Segment').selectOption({ label: await option.textContent() });
      await page.getByRole('button', { name: 'Speichern' }).click();
      assert((await page.locator('dl.facts').textContent()).includes('Nordstadt'), 'the campaign names its segment');
      await page.getByRole('link', { name: 'Jetzt senden' }).click();
      const facts = await page.locator('dl.facts').textContent();
      assert(facts.includes('Segment') && facts.includes('Nordstadt'), 'the question names the segment');
      assert(/an \d+ Personen/.test(await page.locator('main p:not(.breadcrumb)').first().textContent()),
        'and the size of the audience');
      await expectAccessible(page, 'send question for a segment');
      await context.close();
    },
  },
];
