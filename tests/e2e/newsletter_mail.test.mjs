// A person's whole newsletter walk in a real browser, with the mails a real SMTP server on
// loopback received (tests/e2e/mail_sink.mjs): sign up on the public form, the confirmation
// mail, its link (a page with a button: the GET changes nothing), confirmed; then a campaign to
// the topic, its unsubscribe link (and the RFC 8058 headers), the button, unsubscribed. axe on
// each page. This test runs its own town, configured to send to its own sink.
import { startTown, expectAccessible, assert, assertEqual } from './lib.mjs';
import { startMailSink } from './mail_sink.mjs';

const ADDRESS = 'walk.e2e@example.org';

async function heading(page) {
  return (await page.getByRole('heading', { level: 1 }).textContent()).trim();
}

function linkIn(text, path) {
  const m = new RegExp(`https?://\\S+/${path}/[^\\s<>"]+`).exec(text);
  assert(m, `a /${path}/ link in:\n${text}`);
  return m[0];
}

export const tests = [
  {
    name: 'sign-up, confirmation mail, confirm, campaign mail, unsubscribe',
    async run({ browser }) {
      const sink = await startMailSink();
      let town;
      try {
        town = await startTown({ env: { TEILHABE_SMTP: sink.url, TEILHABE_SMTP_CONNECTIONS: '1',
          TEILHABE_MAIL_FROM: 'Stadt Musterstadt <newsletter@musterstadt.example>' } });
        const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
        const page = await context.newPage();

        // Sign up for one topic.
        await page.goto(`${town.base}/subscribe?topic=kultur`);
        await page.getByLabel('E-Mail-Adresse').fill(ADDRESS);
        assert(await page.getByLabel('Kultur und Veranstaltungen').isChecked(), 'topic preselected');
        await expectAccessible(page, 'sign-up form');
        // The form refuses what is sent faster than a person types (consent/form_guard.h,
        // 2 s) and wants the browser's proof of work: wait for both, as a person would.
        await page.waitForFunction(() => document.querySelector('#subscribe-form input[name=pow]').value !== ''
          && performance.now() > 2_200, null, { timeout: 15_000 });
        await page.getByRole('button', { name: 'Anmelden' }).click();
        assertEqual(await heading(page), 'Fast geschafft', 'the sign-up was taken');
        await expectAccessible(page, 'sign-up sent');

        // The confirmation mail, and its link: a page with a button.
        const confirmation = await sink.waitFor(ADDRESS, m => m.text.includes('/confirm/'));
        const confirmLink = linkIn(confirmation.text, 'confirm');
        assert(confirmLink.startsWith(town.base), `the link leads to the town (${confirmLink})`);
        await page.goto(confirmLink);
        assertEqual(await heading(page), 'Anmeldung bestätigen', 'the confirmation page');
        assert(await page.getByText('Kultur und Veranstaltungen').isVisible(), 'names the topic');
        await expectAccessible(page, 'confirmation page');
        await page.getByRole('button', { name: 'Ja, Anmeldung bestätigen' }).click();
        assertEqual(await heading(page), 'Vielen Dank!', 'confirmed');
        assert(await page.getByText('Ihre Anmeldung ist bestätigt').isVisible(), 'the page says so');
        assert(await page.getByText('Kultur und Veranstaltungen').isVisible(), 'for the topic');
        await expectAccessible(page, 'confirmed');

        // A campaign to the topic (through the API, as an editor's tool would).
        const key = town.cli(['apikey', 'create', '--name', 'e2e-mail', '--role', 'editor']).trim().split('\n').pop();
        const api = (path, body) => fetch(`${town.base}${path}`, {
          method: 'POST', body: JSON.stringify(body ?? {}),
          headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        });
        const made = await api('/api/v1/campaigns', { name: 'Kultur im Dezember', subject: 'Kultur im Dezember',
          body_markdown: 'Hallo,\n\ndas Programm für Dezember ist da.', topics: ['kultur'] });
        assertEqual(made.status, 201, 'campaign created');
        const campaign = await made.json();
        assertEqual((await api(`/api/v1/campaigns/${campaign.id}/send`)).status, 202, 'campaign sent');

        const mail = await sink.waitFor(ADDRESS, m => m.headers.subject === 'Kultur im Dezember');
        assertEqual(mail.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click', 'RFC 8058 header');
        const oneClick = /<([^>]+)>/.exec(mail.headers['list-unsubscribe'] ?? '');
        assert(oneClick && oneClick[1].startsWith(`${town.base}/unsubscribe/`), `List-Unsubscribe: ${mail.headers['list-unsubscribe']}`);
        const unsubscribeLink = linkIn(mail.text, 'unsubscribe');

        // The unsubscribe link: the page shows the topic as subscribed, the button ends it.
        await page.goto(unsubscribeLink);
        assertEqual(await heading(page), 'Abmelden und Einstellungen', 'the unsubscribe page');
        assert(await page.getByRole('checkbox', { name: 'Kultur und Veranstaltungen' }).isChecked(),
          'the confirmed subscription is shown');
        await expectAccessible(page, 'unsubscribe page');
        await page.getByRole('button', { name: 'Davon abmelden' }).click();
        assert(await page.getByText('Sie wurden abgemeldet.').isVisible(), 'unsubscribed');
        assert(!(await page.getByRole('checkbox', { name: 'Kultur und Veranstaltungen' }).isChecked()),
          'no longer subscribed');
        await expectAccessible(page, 'unsubscribed');

        // The one-click POST of the header works without cookie or session (and again: no error).
        const posted = await fetch(oneClick[1], { method: 'POST', body: 'List-Unsubscribe=One-Click',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
        assert(posted.status < 300, `one-click POST answered ${posted.status}`);
        await context.close();
      } finally {
        await town?.stop();
        await sink.stop();
      }
    },
  },
];
