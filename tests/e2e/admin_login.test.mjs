// Staff log-in in the real admin pages: German by default, English by the browser or choice,
// the same message for a wrong password and an unknown account, log-out, CSRF, accessibility.
import { expectAccessible, screenshot, assert, assertEqual } from './lib.mjs';

async function login(page, town, email, password) {
  await page.goto(`${town.base}/admin/login`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
}

export const tests = [
  {
    name: 'the log-in page is German, accessible, and /admin leads to it',
    async run({ browser, town }) {
      const context = await browser.newContext({ locale: 'de-DE' });
      const page = await context.newPage();
      await page.goto(`${town.base}/admin`);
      assert(new URL(page.url()).pathname === '/admin/login', `redirected to log-in, got ${page.url()}`);
      assertEqual(await page.locator('html').getAttribute('lang'), 'de', 'page language');
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Anmeldung für Mitarbeitende', 'heading');
      await expectAccessible(page, 'log-in page');
      await screenshot(page, 'admin-login');
      await context.close();
    },
  },
  {
    name: 'a wrong password and an unknown account get the same answer',
    async run({ browser, town }) {
      const context = await browser.newContext({ locale: 'de-DE' });
      const page = await context.newPage();
      await login(page, town, town.admin.email, 'falsches Passwort 123');
      const wrong = await page.getByRole('alert').textContent();
      assertEqual(wrong.trim(), 'E-Mail-Adresse oder Passwort ist falsch.', 'message for a wrong password');
      assertEqual(await page.getByLabel('E-Mail-Adresse').inputValue(), town.admin.email, 'e-mail kept in the form');
      await expectAccessible(page, 'log-in page with error');
      await login(page, town, 'niemand@musterstadt.example', 'falsches Passwort 123');
      assertEqual((await page.getByRole('alert').textContent()).trim(), wrong.trim(), 'message for an unknown account');
      await context.close();
    },
  },
  {
    name: 'log-in shows the overview, log-out ends the session',
    async run({ browser, town }) {
      const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${town.base}/admin/login`);
      const before = (await context.cookies()).find(c => c.name.endsWith('th_session'));
      await login(page, town, town.admin.email, town.admin.password);
      assertEqual(new URL(page.url()).pathname, '/admin', 'landed on the overview');
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Übersicht', 'overview heading');
      assert(await page.getByRole('navigation').getByRole('link', { name: 'Kampagnen' }).isVisible(), 'navigation lists the capabilities');
      const session = (await context.cookies()).find(c => c.name.endsWith('th_session'));
      assert(session, 'a session cookie is set');
      assert(session.httpOnly, 'session cookie is HttpOnly');
      assertEqual(session.sameSite, 'Lax', 'session cookie SameSite');
      assert(!before || before.value !== session.value, 'the session id is renewed at log-in');
      await expectAccessible(page, 'overview');
      await screenshot(page, 'admin-dashboard');
      await page.getByRole('button', { name: 'Abmelden' }).click();
      assertEqual(new URL(page.url()).pathname, '/admin/login', 'back at the log-in after log-out');
      await page.goto(`${town.base}/admin/staff`);
      assertEqual(new URL(page.url()).pathname, '/admin/login', 'the old session no longer works');
      await context.close();
    },
  },
  {
    name: 'English from the browser, and the language switch',
    async run({ browser, town }) {
      const context = await browser.newContext({ locale: 'en-GB' });
      const page = await context.newPage();
      await page.goto(`${town.base}/admin/login`);
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Staff sign-in', 'English heading');
      await page.getByRole('button', { name: 'Deutsch' }).click();
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Anmeldung für Mitarbeitende', 'switched to German');
      assertEqual(await page.locator('html').getAttribute('lang'), 'de', 'page language after the switch');
      await context.close();
    },
  },
  {
    name: 'a log-in form posted without its CSRF token is refused',
    async run({ browser, town }) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${town.base}/admin/login`);
      const r = await page.request.post(`${town.base}/admin/login`, {
        form: { email: town.admin.email, password: town.admin.password }, maxRedirects: 0,
      });
      assertEqual(r.status(), 403, 'status without CSRF token');
      await context.close();
    },
  },
];
