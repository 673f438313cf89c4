import { Browser, Page } from 'playwright-core';
import type { Notification } from '@relais/wire';
import { aCaseWithTheSaj, apiOf, Call, notificationIn } from '../support/api';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';
import {
  focusedId,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  tabTo,
  until,
  WatchedPage,
} from './support/browser';

jest.setTimeout(120_000);

interface TimelineEntry {
  type: string;
}

async function indicator(page: Page, key: string): Promise<number> {
  const text = await page.locator(`[data-indicator="${key}"] dd`).innerText();
  return Number(text.replace(/\D/g, ''));
}

describe('case work in the browser', () => {
  let relais: TestRelais;
  let browser: Browser;
  let call: Call;
  let as: string;
  let delegue: string;
  let asDinant: string;
  let delegueId: string;
  const pages: WatchedPage[] = [];

  beforeAll(async () => {
    [relais, browser] = await Promise.all([startTestRelais(), launchBrowser()]);
    call = apiOf(relais);
    as = await relais.token('as@cpas-ciney.demo');
    delegue = await relais.token('delegue1@saj-dinant.demo');
    asDinant = await relais.token('as@cpas-dinant.demo');
    delegueId = (await call<{ staffId: string }>('GET', '/api/v1/me', delegue)).body.staffId;
  });
  afterAll(async () => {
    await browser?.close();
    await relais?.close();
  });

  /** A fresh browser context per person; each test checks its pages raised no error. */
  async function personAt(email: string): Promise<WatchedPage> {
    const watched = await openPage(browser);
    pages.push(watched);
    await signIn(watched.page, relais.url, email);
    return watched;
  }
  afterEach(async () => {
    const errors = pages.flatMap((p) => p.errors);
    await Promise.all(pages.splice(0).map((p) => p.close()));
    expect(errors).toEqual([]);
  });

  const timelineOf = async (caseId: string) =>
    (await call<TimelineEntry[]>('GET', `/api/v1/cases/${caseId}/timeline`, as)).body;

  it('the loop: CPAS Ciney logs a RIS suppression, the SAJ delegate sees it arrive without reloading and acknowledges it, the SAJ dashboard counts it on time', async () => {
    const social = await personAt('as@cpas-ciney.demo');
    const delegate = await personAt('delegue1@saj-dinant.demo');
    const manager = await personAt('chef@saj-dinant.demo');

    // The social worker opens a case in the web app…
    const sw = social.page;
    await sw.getByRole('link', { name: 'Ouvrir un dossier' }).click();
    await sw.getByLabel("Date d'ouverture").fill('02/11/2026');
    await sw.getByLabel('Prénom').fill('Céline');
    await sw.getByLabel('Nom', { exact: true }).fill('Dumont');
    await sw.getByRole('button', { name: 'Ouvrir le dossier' }).click();
    await sw.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    const caseId = sw.url().split('/').pop() ?? '';
    await sw.getByRole('heading', { level: 1, name: /^Dossier / }).waitFor();

    // …invites the SAJ of Dinant to follow the family with it…
    await sw.getByRole('link', { name: 'Consigner un événement' }).click();
    await sw.getByLabel("Type d'événement").selectOption('ReferralSent');
    await sw.getByLabel('Date des faits').fill('03/11/2026');
    await sw.getByLabel('Destinataire').selectOption('saj-dinant');
    await sw.getByLabel('Motif').selectOption('joint_follow_up');
    await sw.getByRole('button', { name: 'Vérifier et prévisualiser' }).click();
    await sw.getByRole('heading', { name: 'Aperçu : qui sera informé, et pour quand' }).waitFor();
    await sw.getByRole('button', { name: "Confirmer et enregistrer l'événement" }).click();
    await sw.getByText('Événement enregistré : Orientation vers un service.').waitFor();

    // …and the delegate, who sees who asks and why but not who the family is, accepts on the
    // SAJ's own legal basis, assigning themself.
    const sajSide = delegate.page;
    await sajSide.goto(`${relais.url}/cases/${caseId}`);
    await sajSide.getByRole('heading', { level: 1, name: /^Orientation à examiner/ }).waitFor();
    expect(await sajSide.locator('main').innerText()).not.toContain('Dumont');
    expect(await sajSide.locator('main').innerText()).toContain('Suivi conjoint');
    await screenshot(sajSide, '14-referral-to-answer');
    await sajSide.getByRole('link', { name: 'Accepter l’orientation' }).click();
    await sajSide.getByLabel('Date des faits').fill('04/11/2026');
    await sajSide.getByLabel('Orientation', { exact: true }).selectOption({
      label: 'CPAS de Ciney — Suivi conjoint (invitation à rejoindre le dossier)',
    });
    await sajSide.getByLabel('Base légale').selectOption('judicial_mandate');
    await sajSide.getByLabel(/Délégué·e 1, SAJ de Dinant/).check();
    await sajSide.getByRole('button', { name: 'Vérifier et prévisualiser' }).click();
    await sajSide.getByRole('button', { name: "Confirmer et enregistrer l'événement" }).click();
    await sajSide.getByText('Événement enregistré : Orientation acceptée.').waitFor();
    await sajSide.getByRole('heading', { level: 1, name: /^Dossier / }).waitFor();
    expect(await sajSide.locator('main').innerText()).toContain('Dumont');

    // …while the delegate's inbox is open, and the manager's dashboard shows the count before.
    const inbox = delegate.page;
    await inbox.getByRole('link', { name: 'Notifications reçues' }).click();
    await inbox.getByRole('heading', { level: 1, name: 'Notifications reçues' }).waitFor();
    await inbox.evaluate('window.__sameDocument = true');
    expect(await inbox.locator(`li[data-case-id="${caseId}"]`).count()).toBe(0);
    const dashboard = manager.page;
    await dashboard.getByRole('link', { name: 'Tableau de bord' }).click();
    await dashboard.locator('[data-indicator="acknowledgedOnTime"]').waitFor();
    const onTimeBefore = await indicator(dashboard, 'acknowledgedOnTime');

    // The RIS suppression, with the dry run saying who will be told and by when.
    await sw.getByRole('link', { name: 'Consigner un événement' }).click();
    await sw.getByLabel("Type d'événement").selectOption('RisSuppressed');
    await sw.getByLabel('Date des faits').fill('20/11/2026');
    await sw.getByLabel('Motif').selectOption('resources_above_threshold');
    await sw.getByLabel("Date d'effet").fill('01/12/2026');
    await sw.getByRole('button', { name: 'Vérifier et prévisualiser' }).click();
    const toSaj = sw.locator('.preview li[data-recipient="saj-dinant"]');
    await toSaj.waitFor();
    expect(await toSaj.innerText()).toContain('SAJ de Dinant — au plus tard le 27/11/2026');
    await sw.getByRole('button', { name: "Confirmer et enregistrer l'événement" }).click();
    await sw.getByText('Événement enregistré : Suppression du RIS.').waitFor();
    expect((await timelineOf(caseId)).map((e) => e.type)).toContain('RisSuppressed');

    // The notification arrives in the open inbox without a reload, and is acknowledged there.
    const item = inbox.locator(`li[data-case-id="${caseId}"]`);
    await item.waitFor({ timeout: 15_000 });
    expect(await inbox.evaluate('window.__sameDocument')).toBe(true);
    expect(await item.innerText()).toContain('Suppression du RIS');
    expect(await item.innerText()).toContain(
      'Votre accusé de réception est attendu au plus tard le 27/11/2026',
    );
    // The rule shares the assigned social worker’s professional contact, never the family’s.
    const contacts = item.getByRole('region', { name: 'Personne de contact' });
    expect(await contacts.getByRole('listitem').allInnerTexts()).toEqual([
      'Assistant·e social·e, CPAS de Ciney — as@cpas-ciney.demo — +32 83 21 00 01',
    ]);
    expect(
      await contacts.getByRole('link', { name: 'as@cpas-ciney.demo' }).getAttribute('href'),
    ).toBe('mailto:as@cpas-ciney.demo');
    expect(await contacts.innerText()).not.toContain('Dumont');
    // The SAJ holds the case on its own legal basis since it accepted: the card names the family.
    expect(await item.innerText()).toContain('Famille : Céline Dumont');
    await item.getByRole('button', { name: 'Accuser réception' }).click();
    await item.getByText('Accusé de réception envoyé.').waitFor();
    const acknowledged = await notificationIn(
      call,
      delegue,
      caseId,
      'cpas-ris-suppressed',
      (n) => n.status === 'acknowledged',
    );
    expect(acknowledged.status).toBe('acknowledged');

    // The social worker's case page says who was told and that they acknowledged.
    await eventually(async () => {
      await sw.reload();
      const told = sw.locator(
        '.timeline-item[data-event-type="RisSuppressed"] [data-recipient="saj-dinant"]',
      );
      await told.waitFor();
      return (await told.innerText()).includes('Accusé de réception');
    });

    // The SAJ manager's dashboard counts it as acknowledged on time.
    await eventually(async () => {
      await dashboard.getByRole('button', { name: 'Actualiser' }).click();
      await dashboard.waitForTimeout(300);
      return (await indicator(dashboard, 'acknowledgedOnTime')) === onTimeBefore + 1;
    }, 20_000);
  });

  it('a text longer than its field takes: a paste is cut at the limit, and a longer value says "too long", never "required"', async () => {
    const { page } = await personAt('as@cpas-ciney.demo');
    await page.goto(`${relais.url}/cases/new`);
    const firstName = page.getByLabel('Prénom');
    expect(await firstName.getAttribute('maxlength')).toBe('100');
    const started = Date.now();
    await firstName.fill('x'.repeat(1_000_000));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await firstName.inputValue()).length).toBe(100);

    // A value set around the limit (a script, an old browser) is refused by the form itself.
    await page.evaluate(`(() => {
      const input = document.getElementById('field-familyMembers-0-firstName');
      const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      set.call(input, 'y'.repeat(101));
      input.dispatchEvent(new Event('input', { bubbles: true }));
    })()`);
    await page.getByLabel("Date d'ouverture").fill('02/11/2026');
    await page.getByLabel('Nom', { exact: true }).fill('Dumont');
    await page.getByRole('button', { name: 'Ouvrir le dossier' }).click();
    await page.getByText('Ce champ ne peut dépasser 100 caractères.').first().waitFor();
    expect(await page.locator('main').innerText()).not.toContain('Ce champ est obligatoire');
    await screenshot(page, '15-open-case-too-long');
    expect(page.url()).toContain('/cases/new');
  });

  it('a malformed or future date is refused at the field, and nothing is written', async () => {
    const caseId = await aCaseWithTheSaj(call, as);
    const before = await timelineOf(caseId);
    const { page } = await personAt('as@cpas-ciney.demo');
    await page.goto(`${relais.url}/cases/${caseId}/events/new?type=RisSuppressed`);
    await page.getByLabel('Motif').selectOption('other');
    await page.getByLabel("Date d'effet").fill('20/11/2026');
    const date = page.getByLabel('Date des faits');

    await date.fill('31/02/2026');
    await page.getByRole('button', { name: 'Vérifier et prévisualiser' }).click();
    await page.locator('#field-occurredOn-error').waitFor();
    expect(await date.getAttribute('aria-invalid')).toBe('true');
    expect(await date.getAttribute('aria-describedby')).toContain('field-occurredOn-error');
    expect(await page.locator('#field-occurredOn-error').innerText()).toContain('Date invalide');
    expect(await page.getByRole('alert').first().innerText()).toContain('Date des faits');
    expect(await page.locator('.preview').count()).toBe(0);

    // The day after the server's today: the preview already refuses it (422), as the write
    // would, and the answer lands on the field; nothing is offered to confirm.
    await date.fill('21/11/2026');
    await page.getByRole('button', { name: 'Vérifier et prévisualiser' }).click();
    await page
      .getByText('La date ne peut pas être dans le futur.', { exact: false })
      .first()
      .waitFor();
    expect(await page.locator('#field-occurredOn-error').innerText()).toBe(
      'La date ne peut pas être dans le futur.',
    );
    expect(await date.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.preview').count()).toBe(0);
    expect(
      await page.getByRole('button', { name: "Confirmer et enregistrer l'événement" }).count(),
    ).toBe(0);
    expect(page.url()).toContain('/events/new');

    // Before the case opened (2 November): refused before anything is sent.
    await date.fill('01/11/2026');
    await page.getByRole('button', { name: 'Vérifier et prévisualiser' }).click();
    await page
      .getByText('La date ne peut pas précéder l’ouverture du dossier (02/11/2026).')
      .first()
      .waitFor();

    expect(await timelineOf(caseId)).toEqual(before);
  });

  it('a social worker of another CPAS cannot open the case: not found or not accessible', async () => {
    const caseId = await aCaseWithTheSaj(call, as);
    expect((await call('GET', `/api/v1/cases/${caseId}`, asDinant)).status).toBe(404);
    const { page } = await personAt('as@cpas-dinant.demo');
    await page.goto(`${relais.url}/cases/${caseId}`);
    await page
      .getByRole('heading', { level: 1, name: 'Dossier introuvable ou inaccessible' })
      .waitFor();
    expect(await page.locator('main').innerText()).not.toContain('Céline');
    await page.goto(`${relais.url}/cases/${caseId}/events/new`);
    await page
      .getByRole('heading', { level: 1, name: 'Dossier introuvable ou inaccessible' })
      .waitFor();
    await page.goto(`${relais.url}/cases?status=all`);
    await page.getByRole('heading', { level: 1, name: 'Mes dossiers' }).waitFor();
    expect(await page.locator(`a[href="/cases/${caseId}"]`).count()).toBe(0);
  });

  it('keyboard only: signing in and acknowledging a notification', async () => {
    const caseId = await aCaseWithTheSaj(call, as, [delegueId]);
    await call('POST', `/api/v1/cases/${caseId}/events`, as, {
      type: 'RisSuppressed',
      occurredOn: '2026-11-20',
      reason: 'sanction',
      effectiveOn: '2026-11-20',
    });
    const notification: Notification = await notificationIn(
      call,
      delegue,
      caseId,
      'cpas-ris-suppressed',
    );

    const watched = await openPage(browser);
    pages.push(watched);
    const { page } = watched;
    await page.goto(`${relais.url}/login`);
    await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();

    // The skip link comes first, and takes the focus to the content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe(
      'Aller au contenu principal',
    );
    await page.keyboard.press('Enter');
    expect(await focusedId(page)).toBe('main');

    await tabTo(page, 'field-email');
    await page.keyboard.type('delegue1@saj-dinant.demo');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('field-password');
    await page.keyboard.type('relais-demo');
    await page.keyboard.press('Enter');

    // Signed in, the first workspace opens with the focus on its heading.
    await page.getByRole('heading', { level: 1, name: 'Mes dossiers' }).waitFor();
    await until(page, 'document.activeElement.tagName === "H1"');
    await tabToLink(page, 'Notifications reçues');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Notifications reçues' }).waitFor();
    await until(page, 'document.activeElement.tagName === "H1"');
    await page.locator(`#acknowledge-${notification.id}`).waitFor();
    await tabTo(page, `acknowledge-${notification.id}`);
    await page.keyboard.press('Enter');
    const confirmation = page.locator(
      `li[data-notification-id="${notification.id}"] .confirmation`,
    );
    await confirmation.waitFor();
    expect(await confirmation.innerText()).toBe('Accusé de réception envoyé.');
    await until(page, 'document.activeElement.className === "confirmation"');
    await notificationIn(
      call,
      delegue,
      caseId,
      'cpas-ris-suppressed',
      (n) => n.status === 'acknowledged',
    );
  });
});

/** Tabs (forwards, wrapping) to the navigation link with this text. */
async function tabToLink(page: Page, text: string): Promise<void> {
  for (let i = 0; i < 60; i += 1) {
    const focused = await page.evaluate(
      'document.activeElement && document.activeElement.tagName === "A" ? document.activeElement.textContent : ""',
    );
    if (focused === text) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`The link "${text}" never got the focus`);
}
