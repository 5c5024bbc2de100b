// Events in a real browser: the organiser creates an event in the admin form; a citizen (phone
// width) registers in the portal and gets a ticket with a QR code and a calendar file; the
// organiser, on a phone, checks them in by typing the ticket code, sees "already checked in" on a
// second try and "unknown code" for a wrong one, and checks a second person in by name. axe on
// every page visited.
import { expectAccessible, assert, assertEqual, lastMailTo, linkIn, login, noSideScroll } from './lib.mjs';

const EMAIL = 'paula.events@musterstadt.example';
const PASSWORD = 'Gaensebluemchen-2026';
const TITLE = 'Frühjahrsputz im Stadtpark';

function localInput(ms) {
  // datetime-local value in Europe/Berlin (the form reads local time).
  const parts = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(ms));
  return parts.replace(' ', 'T');
}

export const tests = [
  {
    name: 'organiser creates an event, a citizen registers and gets a ticket, check-in by code and by name at 375 px',
    async run({ browser, town }) {
      // The organiser creates the event (no JavaScript needed for the form).
      const staff = await browser.newContext({ locale: 'de-DE' });
      const admin = await staff.newPage();
      await login(admin, town);
      await admin.goto(`${town.base}/admin/events/new`);
      await expectAccessible(admin, 'admin event form');
      const start = Date.now() + 10 * 24 * 3600 * 1000;
      await admin.getByLabel('Titel', { exact: true }).fill(TITLE);
      await admin.getByLabel('Ort', { exact: true }).fill('Stadtpark, Eingang Nord');
      await admin.getByLabel('Beginn', { exact: true }).fill(localInput(start));
      await admin.getByLabel('Ende', { exact: true }).fill(localInput(start + 3 * 3600 * 1000));
      await admin.getByLabel('Plätze', { exact: true }).fill('20');
      await admin.getByLabel('Veröffentlicht').check();
      await admin.getByRole('button', { name: 'Speichern' }).click();
      assert(await admin.getByText('Die Veranstaltung wurde gespeichert.').isVisible(), 'event saved');
      await expectAccessible(admin, 'admin event list');
      const href = await admin.getByRole('link', { name: TITLE, exact: true }).getAttribute('href');
      const eventId = Number(href.split('/').pop());
      assert(eventId > 0, `event id from ${href}`);

      // A citizen with a portal account, on a phone.
      const phone = await browser.newContext({ locale: 'de-DE', viewport: { width: 375, height: 800 } });
      const page = await phone.newPage();
      await page.goto(`${town.base}/portal/register`);
      await page.getByLabel('E-Mail-Adresse').fill(EMAIL);
      await page.getByLabel('Passwort').fill(PASSWORD);
      await page.getByRole('button', { name: 'Konto anlegen' }).click();
      await page.goto(linkIn(lastMailTo(town, EMAIL), '/portal/verify/'));
      await page.getByLabel('Passwort').fill(PASSWORD);
      await page.getByRole('button', { name: 'Konto bestätigen' }).click();
      assertEqual(new URL(page.url()).pathname, '/portal', 'signed in');

      await page.getByRole('navigation').getByRole('link', { name: 'Veranstaltungen' }).click();
      assertEqual(new URL(page.url()).pathname, '/portal/events', 'events page');
      await expectAccessible(page, 'portal events');
      await noSideScroll(page, 'portal events');
      await page.getByRole('link', { name: TITLE, exact: true }).click();
      assert(await page.getByText('20 Plätze frei').isVisible(), 'free places shown');
      await expectAccessible(page, 'portal event');
      await noSideScroll(page, 'portal event');
      await page.getByRole('button', { name: 'Verbindlich anmelden' }).click();
      assert(await page.getByText('Sie sind angemeldet.').isVisible(), 'registered');
      assert(await page.locator('.qr svg').isVisible(), 'QR code on the ticket');
      const code = (await page.locator('.ticket-code').textContent()).trim();
      assert(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/.test(code), `ticket code ${code}`);
      await expectAccessible(page, 'ticket');
      await noSideScroll(page, 'ticket');
      const ics = await page.request.get(await page.getByRole('link', { name: 'In den Kalender (.ics)' }).first().getAttribute('href')
        .then(h => new URL(h, town.base).href));
      assert(ics.ok() && (await ics.text()).includes('BEGIN:VEVENT\r\n'), 'calendar file');

      // A second person, registered through the API, for the check-in by name.
      const key = town.cli(['apikey', 'create', '--name', 'e2e-events', '--role', 'editor']).trim().split('\n').pop();
      const api = (path, init = {}) => fetch(`${town.base}${path}`, { ...init,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
      const people = await (await api('/api/v1/citizens?limit=5')).json();
      const other = people.items.find(p => p.email !== EMAIL && p.first_name);
      assert(other, 'a demo citizen');
      const reg = await api(`/api/v1/events/${eventId}/registrations`, { method: 'POST',
        body: JSON.stringify({ citizen_id: other.id }) });
      assertEqual(reg.status, 201, 'second registration');

      // The organiser at the door, on a phone: typing the code (as a scanner would).
      const door = await browser.newContext({ locale: 'de-DE', viewport: { width: 375, height: 800 } });
      const organiser = await door.newPage();
      await login(organiser, town);
      await organiser.goto(`${town.base}/admin/events/${eventId}/checkin`);
      assert(await organiser.getByText('0 von 2 eingecheckt').isVisible(), 'counts before');
      await expectAccessible(organiser, 'check-in screen');
      await noSideScroll(organiser, 'check-in screen');
      await organiser.getByLabel('Ticket-Code').fill(code.toLowerCase());
      await organiser.getByLabel('Ticket-Code').press('Enter');
      assert(await organiser.getByText('ist eingecheckt.').isVisible(), 'checked in by code');
      assert(await organiser.getByText('1 von 2 eingecheckt').isVisible(), 'counts after');
      await expectAccessible(organiser, 'check-in success');
      await organiser.getByLabel('Ticket-Code').fill(code);
      await organiser.getByLabel('Ticket-Code').press('Enter');
      assert(await organiser.getByText('war bereits eingecheckt').isVisible(), 'already checked in');
      await organiser.getByLabel('Ticket-Code').fill('AAAA-BBBB-CCCC-DDDD-EEEE');
      await organiser.getByLabel('Ticket-Code').press('Enter');
      assert(await organiser.getByText('Unbekannter Code').isVisible(), 'unknown code');
      await expectAccessible(organiser, 'check-in error');
      // By name: search, then the person's button.
      await organiser.getByLabel('Nach Namen suchen').fill(other.first_name);
      await organiser.getByRole('button', { name: 'Suchen' }).click();
      await organiser.getByRole('button', { name: `${other.first_name}`, exact: false }).first().click();
      assert(await organiser.getByText('2 von 2 eingecheckt').isVisible(), 'checked in by name');
      await noSideScroll(organiser, 'check-in after name');

      // The participants list and the cancellation in the portal.
      await admin.goto(`${town.base}/admin/events/${eventId}/participants`);
      await expectAccessible(admin, 'participants');
      // Cancelling the event would tell both registered people: the confirmation says so.
      await admin.goto(`${town.base}/admin/events/${eventId}/cancel`);
      assert(await admin.getByText('Alle 2 angemeldeten oder wartenden Personen erhalten eine E-Mail').isVisible(), 'who is told');
      await expectAccessible(admin, 'event cancel confirmation');
      await page.goto(`${town.base}/portal/events`);
      assert(await page.getByText('Meine Anmeldungen').isVisible(), 'my registrations');
      await Promise.all([staff.close(), phone.close(), door.close()]);
    },
  },
];
