// The citizen portal's accounts in a real browser at phone width, German: registration → the
// verification mail (read from the outbox) → confirmation → log-out → log-in → password reset
// → log-in with the new password → second factor set up and asked for; axe on every page.
import { createHmac } from 'node:crypto';
import { expectAccessible, assert, assertEqual, lastMailTo, linkIn, login, noSideScroll } from './lib.mjs';

const EMAIL = 'e2e.konto@musterstadt.example';

// RFC 6238 with SHA-1, 6 digits, 30 s: what an authenticator app shows.
function totp(base32, now = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/\s/g, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map(b => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 30000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const o = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

async function signIn(page, town, password) {
  await page.goto(`${town.base}/portal/login`);
  await page.getByLabel('E-Mail-Adresse').fill(EMAIL);
  await page.getByLabel('Passwort').fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
}

export const tests = [
  {
    name: 'register, verify by mail, log out and in, reset the password, second factor',
    async run({ browser, town }) {
      // No step needs JavaScript (the forms post plainly); axe itself runs through the DevTools
      // protocol, which needs it on.
      const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 375, height: 800 } });
      const page = await context.newPage();

      await page.goto(`${town.base}/portal/login`);
      await page.getByRole('link', { name: 'Noch kein Konto? Jetzt registrieren' }).click();
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Konto anlegen', 'registration page');
      await noSideScroll(page, 'registration');
      await expectAccessible(page, 'registration');
      await page.getByLabel('E-Mail-Adresse').fill(EMAIL);
      await page.getByLabel('Passwort').fill('passwort');
      await page.getByRole('button', { name: 'Konto anlegen' }).click();
      assert(await page.locator('#password-error').isVisible(), 'a common password is refused beside the field');
      await expectAccessible(page, 'registration with an error');
      await page.getByLabel('Passwort').fill('Am Stadtpark blühen Tulpen');
      await page.getByRole('button', { name: 'Konto anlegen' }).click();
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Bitte prüfen Sie Ihr Postfach', 'mail sent');
      await expectAccessible(page, 'registration sent');

      const verify = linkIn(lastMailTo(town, EMAIL), '/portal/verify/');
      await page.goto(verify);
      await expectAccessible(page, 'verification');
      await page.getByLabel('Passwort').fill('Am Stadtpark blühen Tulpen');
      await page.getByRole('button', { name: 'Konto bestätigen' }).click();
      assertEqual(new URL(page.url()).pathname, '/portal', 'signed in after verification');
      await expectAccessible(page, 'portal home');

      await page.getByRole('link', { name: 'Anmeldung und Sicherheit' }).click();
      await noSideScroll(page, 'security page');
      await expectAccessible(page, 'security page');
      await page.getByRole('button', { name: 'Abmelden', exact: true }).click();
      assertEqual(new URL(page.url()).pathname, '/portal/login', 'signed out');
      await expectAccessible(page, 'log-in');

      await signIn(page, town, 'falsch geraten');
      assert(await page.getByRole('alert').isVisible(), 'a wrong password is told');
      await expectAccessible(page, 'log-in with an error');
      await signIn(page, town, 'Am Stadtpark blühen Tulpen');
      assertEqual(new URL(page.url()).pathname, '/portal', 'signed in');
      await page.getByRole('button', { name: 'Abmelden', exact: true }).click();

      await page.getByRole('link', { name: 'Passwort vergessen?' }).click();
      await expectAccessible(page, 'forgotten password');
      await page.getByLabel('E-Mail-Adresse').fill(EMAIL);
      await page.getByRole('button', { name: 'Link anfordern' }).click();
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Bitte prüfen Sie Ihr Postfach', 'reset asked');
      const reset = linkIn(lastMailTo(town, EMAIL), '/portal/password/reset/');
      await page.goto(reset);
      await expectAccessible(page, 'new password');
      await page.getByLabel('Neues Passwort', { exact: true }).fill('Im Herbst fallen die Blätter');
      await page.getByRole('button', { name: 'Passwort speichern' }).click();
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Passwort geändert', 'password reset');
      await page.goto(reset);
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Link bereits verwendet', 'the link works once');
      await signIn(page, town, 'Am Stadtpark blühen Tulpen');
      assert(await page.getByRole('alert').isVisible(), 'the old password no longer works');
      await signIn(page, town, 'Im Herbst fallen die Blätter');
      assertEqual(new URL(page.url()).pathname, '/portal', 'signed in with the new password');

      // Second factor: set up with a code computed as an app would, then asked for at log-in.
      await page.goto(`${town.base}/portal/security`);
      await page.getByRole('link', { name: 'Authenticator-App einrichten' }).click();
      assert(await page.getByRole('img', { name: 'QR-Code zum Einrichten der Authenticator-App' }).isVisible(), 'QR code shown');
      await noSideScroll(page, 'second factor set-up');
      await expectAccessible(page, 'second factor set-up');
      const key = await page.locator('#totp-key').textContent();
      await page.getByLabel('Code', { exact: true }).fill(totp(key));
      await page.getByRole('button', { name: 'Einschalten' }).click();
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Ihre Wiederherstellungscodes', 'recovery codes');
      assertEqual(await page.locator('.recovery-codes li').count(), 10, 'ten recovery codes');
      await expectAccessible(page, 'recovery codes');
      const recovery = (await page.locator('.recovery-codes li').first().textContent()).trim();
      await page.getByRole('button', { name: 'Abmelden', exact: true }).click();
      await signIn(page, town, 'Im Herbst fallen die Blätter');
      assertEqual(await page.getByRole('heading', { level: 1 }).textContent(), 'Code eingeben', 'code asked');
      await expectAccessible(page, 'code step');
      await page.getByLabel('Code', { exact: true }).fill(recovery);
      await page.getByRole('button', { name: 'Anmelden' }).click();
      assertEqual(new URL(page.url()).pathname, '/portal', 'signed in with a recovery code');
      await context.close();
    },
  },
  {
    name: 'staff list with the second-factor switch and resets is accessible',
    async run({ browser, town }) {
      const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await login(page, town);
      await page.goto(`${town.base}/admin/staff`);
      assert(await page.getByRole('columnheader', { name: 'Zweiter Faktor' }).isVisible(), 'second factor column');
      assert(await page.getByLabel(/Für alle Mitarbeitenden verlangen/).isVisible(), 'the switch');
      await expectAccessible(page, 'staff list');
      await context.close();
    },
  },
];
