// Journeys in a real browser: the ready-made welcome journey is listed switched off, its steps
// show as boxes and arrows (no script), the editor puts a definition's error beside the field,
// and switching on asks first. axe on the list, the diagram and the form with an error.
import { expectAccessible, assert, assertEqual, login } from './lib.mjs';

export const tests = [
  {
    name: 'an editor opens the ready-made welcome journey, sees its steps and switches it on and off',
    async run({ browser, town }) {
      const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await login(page, town, town.admin);
      await page.getByRole('navigation').getByRole('link', { name: 'Journeys' }).click();
      assertEqual(new URL(page.url()).pathname, '/admin/journeys', 'the list');
      const row = page.locator('table tbody tr').filter({ hasText: 'Willkommens-E-Mail' });
      assertEqual(await row.count(), 1, 'the ready-made welcome journey is listed');
      assert((await row.textContent()).includes('ausgeschaltet'), 'switched off by default');
      await expectAccessible(page, 'journeys list');

      await row.getByRole('link').click();
      const detail = page.url();
      const steps = page.getByRole('list', { name: 'Ablauf' }).locator('li.journey-step');
      assertEqual(await steps.count(), 2, 'two steps in the diagram');
      assert((await steps.nth(0).textContent()).includes('09:00'), 'the wait until the morning');
      assert((await steps.nth(1).textContent()).includes('E-Mail senden'), 'then the mail');
      await expectAccessible(page, 'journey diagram');

      await page.getByRole('link', { name: 'Bearbeiten' }).click();
      await page.getByLabel('Definition (JSON)').fill('{"trigger": {"type": "activity", "activity": "newsletter.confirmed"}, "steps": [{"type": "wait", "duration": "bald"}]}');
      await page.getByRole('button', { name: 'Speichern' }).click();
      const error = page.locator('#definition-error');
      assert((await error.textContent()).includes('steps[0].duration'), 'the error names the part');
      assertEqual(await page.getByLabel('Definition (JSON)').getAttribute('aria-invalid'), 'true', 'the field is marked');
      await expectAccessible(page, 'journey form with an error');

      await page.goto(detail);
      await page.getByRole('link', { name: 'Einschalten' }).click();
      await page.getByRole('button', { name: 'Einschalten' }).click();
      assert((await page.locator('main').textContent()).includes('eingeschaltet'), 'switched on');
      await page.getByRole('link', { name: 'Ausschalten' }).click();
      await page.getByRole('button', { name: 'Ausschalten' }).click();
      assert((await page.locator('main').textContent()).includes('ausgeschaltet'), 'switched off again');
      await context.close();
    },
  },
];
