// The offer shop and the Stadttaler in a real browser, with three people at once: the town's
// administrator (a partner, an offer, a desk top-up), a citizen at phone width (the shop, an
// offer redeemed for points, the voucher, its print page, "my vouchers", the wallet, a payment
// confirmed) and the partner's till (a voucher checked and redeemed once, a payment asked for).
// axe on every page of the shop, the wallet, the partner screens and the desk.
import { spawnSync } from 'node:child_process';
import { expectAccessible, assert, assertEqual, login, noSideScroll } from './lib.mjs';

const CITIZEN = { email: 'shop.e2e@musterstadt.example', password: 'Gutschein-2026-e2e' };
const PARTNER = { email: 'kasse@stadtbad.example', password: 'Kasse-Stadtbad-2026' };
const PARTNER_NAME = 'Stadtbad Musterstadt';
const OFFER = 'Tageskarte Freibad';

// One value from the town's SQLite file (read-only): ids the test needs and no page shows.
function sqlValue(town, sql) {
  const r = spawnSync('sqlite3', ['-readonly', town.dbFile, sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  return r.stdout.trim();
}

// Points for the citizen through the API, as another system of the town would award them.
async function awardPoints(town, citizenId, points) {
  const key = town.cli(['apikey', 'create', '--name', 'shop-e2e', '--role', 'admin']).trim().split('\n').pop();
  const r = await fetch(`${town.base}/api/v1/points/awards`, {
    method: 'POST',
    headers: { 'authorization': `Bearer ${key}`, 'content-type': 'application/json',
      'idempotency-key': `shop-e2e-${citizenId}` },
    body: JSON.stringify({ citizen_id: citizenId, points, reason: 'Mitmachen beim Stadtputz' }),
  });
  assertEqual(r.status, 201, `points awarded (${await r.text()})`);
}

async function portalLogin(page, town) {
  await page.goto(`${town.base}/portal/login`);
  await page.getByLabel('E-Mail-Adresse').fill(CITIZEN.email);
  await page.getByLabel('Passwort').fill(CITIZEN.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  assertEqual(new URL(page.url()).pathname, '/portal', 'citizen signed in');
}

export const tests = [
  {
    name: 'an offer redeemed for points, the voucher checked and redeemed once at the partner; Stadttaler topped up, paid and paid out',
    async run({ browser, town }) {
      // Set-up: a citizen with a portal account and a partner's till account.
      town.cli(['portal-account', 'add', '--email', CITIZEN.email], `${CITIZEN.password}\n`);
      town.cli(['user', 'add', '--email', PARTNER.email, '--role', 'partner', '--name', 'Kasse Stadtbad'],
        `${PARTNER.password}\n`);
      const citizenId = Number(sqlValue(town, `SELECT id FROM citizens WHERE email = '${CITIZEN.email}'`));
      const staffId = Number(sqlValue(town, `SELECT id FROM staff_users WHERE email = '${PARTNER.email}'`));
      assert(citizenId > 0 && staffId > 0, 'ids of the citizen and the till account');
      await awardPoints(town, citizenId, 50);

      // The administrator: a partner, the till account bound to it, an offer of the partner.
      const admin = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
      const adminPage = await admin.newPage();
      await login(adminPage, town);
      await adminPage.goto(`${town.base}/admin/offers/partners`);
      await adminPage.getByLabel('Name').fill(PARTNER_NAME);
      await adminPage.getByRole('button', { name: 'Speichern' }).click();
      assert(await adminPage.getByRole('cell', { name: PARTNER_NAME }).isVisible(), 'partner listed');
      await adminPage.getByLabel('Konto', { exact: true }).fill(`staff:${staffId}`);
      await adminPage.getByLabel('Partner', { exact: true }).selectOption({ label: PARTNER_NAME });
      await adminPage.getByRole('button', { name: 'Zuordnen' }).click();
      assert(await adminPage.getByText(`staff:${staffId}`).isVisible(), 'till account bound');
      await expectAccessible(adminPage, 'partners');

      await adminPage.goto(`${town.base}/admin/offers/new`);
      await expectAccessible(adminPage, 'offer form');
      await adminPage.getByLabel('Titel').fill(OFFER);
      await adminPage.getByLabel('Beschreibung').fill('Einmal ins Freibad, ganzer Tag.');
      await adminPage.getByLabel('Preis in Punkten').fill('20');
      await adminPage.getByLabel('Partner', { exact: true }).selectOption({ label: PARTNER_NAME });
      await adminPage.getByRole('button', { name: 'Speichern' }).click();
      assertEqual(new URL(adminPage.url()).pathname, '/admin/offers', 'offer saved');
      assert(await adminPage.getByRole('link', { name: OFFER }).isVisible(), 'offer listed');
      await expectAccessible(adminPage, 'offers list');

      // The citizen at phone width: the shop, the offer, redeeming it, the voucher.
      const citizen = await browser.newContext({ locale: 'de-DE', viewport: { width: 375, height: 800 } });
      const page = await citizen.newPage();
      await portalLogin(page, town);
      await page.getByRole('navigation').getByRole('link', { name: 'Angebotsshop' }).click();
      assertEqual(new URL(page.url()).pathname, '/portal/shop', 'the shop');
      assert((await page.locator('main').textContent()).includes('50'), 'the balance is shown');
      await expectAccessible(page, 'portal shop');
      await noSideScroll(page, 'shop');

      await page.getByRole('link', { name: OFFER }).click();
      assert(await page.getByRole('heading', { level: 1, name: OFFER }).isVisible(), 'offer page');
      await expectAccessible(page, 'offer page');
      await noSideScroll(page, 'offer');
      await page.getByRole('button', { name: 'Verbindlich einlösen' }).click();
      assert(await page.getByText('Ihr Gutschein ist da.').isVisible(), 'voucher issued');
      const code = (await page.locator('code.voucher-code').textContent()).trim();
      assert(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/.test(code), `a readable code (${code})`);
      assert(await page.getByRole('img', { name: 'QR-Code des Gutscheins' }).isVisible(), 'QR code');
      await expectAccessible(page, 'voucher');
      await noSideScroll(page, 'voucher');

      await page.getByRole('link', { name: 'Druckansicht' }).click();
      assert((await page.content()).includes(code), 'the code on the print page');
      await expectAccessible(page, 'voucher print page');

      await page.goto(`${town.base}/portal/vouchers`);
      const row = page.locator('table tbody tr').filter({ hasText: OFFER });
      assertEqual(await row.count(), 1, 'listed in my vouchers');
      assert((await row.textContent()).includes('gültig'), 'valid');
      await expectAccessible(page, 'my vouchers');
      await noSideScroll(page, 'my vouchers');
      await page.goto(`${town.base}/portal/shop`);
      assert((await page.locator('main').textContent()).includes('30'), '20 points spent');

      // The partner's till: the code typed in lower case with spaces, checked, redeemed once.
      const partner = await browser.newContext({ locale: 'de-DE', viewport: { width: 375, height: 800 } });
      const till = await partner.newPage();
      await login(till, town, PARTNER);
      await till.goto(`${town.base}/partner/vouchers`);
      await expectAccessible(till, 'partner screen');
      await till.getByLabel('Code').fill(code.toLowerCase().replaceAll('-', ' '));
      await till.getByRole('button', { name: 'Prüfen' }).click();
      assert(await till.getByRole('heading', { name: OFFER }).isVisible(), 'the voucher is found');
      await expectAccessible(till, 'partner screen with a voucher');
      await noSideScroll(till, 'partner screen');
      await till.getByRole('button', { name: 'Jetzt einlösen' }).click();
      assert(await till.getByText('Eingelöst. Der Gutschein ist damit verbraucht.').isVisible(), 'redeemed');
      await expectAccessible(till, 'partner screen, redeemed');
      await till.goto(`${town.base}/partner/vouchers?code=${encodeURIComponent(code)}`);
      assertEqual(await till.getByRole('button', { name: 'Jetzt einlösen' }).count(), 0, 'no second redemption offered');
      assert((await till.locator('main').textContent()).includes('eingelöst'), 'shown as redeemed');

      // Stadttaler: the wallet code, a top-up at the desk, a payment asked for and confirmed.
      await page.getByRole('navigation').getByRole('link', { name: 'Stadttaler' }).click();
      assertEqual(new URL(page.url()).pathname, '/portal/wallet', 'the wallet');
      const wallet = (await page.locator('code.voucher-code').textContent()).trim();
      await expectAccessible(page, 'wallet');
      await noSideScroll(page, 'wallet');

      await adminPage.goto(`${town.base}/admin/stadttaler`);
      await expectAccessible(adminPage, 'Stadttaler desk');
      await adminPage.getByLabel('Wallet-Code').fill(wallet);
      await adminPage.getByLabel('Betrag (Euro)').fill('20');
      await adminPage.getByRole('button', { name: 'Einzahlung buchen' }).click();
      assert(await adminPage.getByRole('heading', { name: 'Quittung Stadttaler-Einzahlung' }).isVisible(), 'receipt');
      assert((await adminPage.locator('main').textContent()).includes('20,00 €'), 'the amount on the receipt');
      await expectAccessible(adminPage, 'desk receipt');

      await till.goto(`${town.base}/partner/payments`);
      await expectAccessible(till, 'till');
      await till.getByLabel('Betrag (Euro)').fill('4,50');
      await till.getByLabel('Wallet-Code').fill(wallet);
      await till.getByLabel('Vermerk').fill('Pommes');
      await till.getByRole('button', { name: 'Zahlung anfordern' }).click();
      assert((await till.locator('main').textContent()).includes('wartet auf Bestätigung'), 'pending');
      await expectAccessible(till, 'till, waiting');
      const requestUrl = till.url();

      await page.reload();
      await expectAccessible(page, 'wallet with a payment to confirm');
      await page.getByRole('button', { name: /^Bezahlen/ }).click();
      assert(await page.getByText('Bezahlt.').isVisible(), 'paid');
      assert((await page.locator('main').textContent()).includes('15,50 €'), 'the balance after paying');
      await expectAccessible(page, 'wallet after paying');

      await till.goto(requestUrl);
      assert((await till.locator('main').textContent()).includes('bezahlt'), 'the till sees it paid');

      // The rest paid back at the desk (as before deleting the account): the whole balance.
      await adminPage.goto(`${town.base}/admin/stadttaler`);
      await adminPage.getByLabel('Code des Wallets').fill(wallet);
      await adminPage.getByRole('button', { name: 'Auszahlung buchen' }).click();
      assert(await adminPage.getByRole('heading', { name: 'Quittung Stadttaler-Auszahlung' }).isVisible(), 'pay-out receipt');
      assert((await adminPage.locator('main').textContent()).includes('15,50 €'), 'the whole balance paid out');
      await expectAccessible(adminPage, 'pay-out receipt');
      await page.reload();
      assertEqual((await page.locator('main p strong').first().textContent()).trim(), '0,00 €', 'the wallet is empty');
      await admin.close();
      await citizen.close();
      await partner.close();
    },
  },
];
