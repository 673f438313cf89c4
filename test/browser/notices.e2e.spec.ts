import { Browser } from 'playwright-core';
import { aCaseWithTheSaj, apiOf, Call, notificationIn } from '../support/api';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';
import { launchBrowser, openPage, screenshot, signIn, WatchedPage } from './support/browser';

jest.setTimeout(120_000);

/** Each person acts on what reaches them: a referral to answer, a move to take over, its answer. */
describe('notices people can act on, in the browser', () => {
  let relais: TestRelais;
  let browser: Browser;
  let call: Call;
  let asCiney: string;
  const pages: WatchedPage[] = [];

  beforeAll(async () => {
    [relais, browser] = await Promise.all([startTestRelais(), launchBrowser()]);
    call = apiOf(relais);
    asCiney = await relais.token('as@cpas-ciney.demo');
  });
  afterAll(async () => {
    await browser?.close();
    await relais?.close();
  });

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

  const referenceOf = async (caseId: string) =>
    (await call<{ reference: string }>('GET', `/api/v1/cases/${caseId}`, asCiney)).body.reference;

  /** A case of CPAS Ciney and the SAJ whose family moved to Rochefort, and CPAS Rochefort's notice. */
  async function aMoveToRochefort() {
    const caseId = await aCaseWithTheSaj(call, asCiney);
    const reference = await referenceOf(caseId);
    await call('POST', `/api/v1/cases/${caseId}/events`, asCiney, {
      type: 'FamilyRelocated',
      occurredOn: '2026-11-19',
      destinationCommune: '91114',
      effectiveOn: '2026-11-19',
    });
    const rochefort = await relais.token('as@cpas-rochefort.demo');
    const notice = await notificationIn(call, rochefort, caseId, 'cpas-family-relocated');
    return { caseId, reference, notice };
  }

  it('the SAJ delegate finds a referral in the cases list and the inbox, declines it, and CPAS Ciney reads the answer', async () => {
    const opened = await call<{ caseId: string }>('POST', '/api/v1/cases', asCiney, {
      occurredOn: '2026-11-02',
      residenceCommune: '91030',
      legalBasis: 'legal_obligation',
      familyMembers: [{ role: 'parent', firstName: 'Céline', lastName: 'Dumont' }],
    });
    const { caseId } = opened.body;
    const reference = await referenceOf(caseId);
    await call('POST', `/api/v1/cases/${caseId}/events`, asCiney, {
      type: 'ReferralSent',
      occurredOn: '2026-11-04',
      to: 'saj-dinant',
      reason: 'youth_aid_needed',
    });
    await eventually(async () => {
      const { body } = await call<{ caseId: string }[]>(
        'GET',
        '/api/v1/referrals',
        await relais.token('delegue1@saj-dinant.demo'),
      );
      return body.some((r) => r.caseId === caseId);
    });

    const { page } = await personAt('delegue1@saj-dinant.demo');
    await page.goto(`${relais.url}/cases`);
    const queue = page.getByRole('region', { name: 'Orientations à traiter' });
    await queue.getByRole('link', { name: `Dossier ${reference}` }).waitFor();
    const listed = await queue.innerText();
    expect(listed).toContain('CPAS de Ciney');
    expect(listed).toContain("Besoin d'aide à la jeunesse");
    expect(listed).toContain('04/11/2026');
    expect(listed).not.toContain('Dumont');
    await screenshot(page, '40-cases-with-referrals-to-answer');

    await page.getByRole('link', { name: 'Notifications reçues' }).click();
    const inInbox = page.getByRole('region', { name: 'Orientations à traiter' });
    await inInbox.getByRole('link', { name: `Dossier ${reference}` }).click();
    await page
      .getByRole('heading', { level: 1, name: `Orientation à examiner — ${reference}` })
      .waitFor();
    await page.getByRole('link', { name: 'Décliner' }).click();
    await page.getByLabel('Date des faits').fill('05/11/2026');
    await page.getByLabel('Motif').selectOption('no_capacity');
    await page.getByRole('button', { name: 'Vérifier et prévisualiser' }).click();
    await page.getByRole('button', { name: "Confirmer et enregistrer l'événement" }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes dossiers' }).waitFor();
    await page.getByText('Événement enregistré : Orientation refusée.').waitFor();

    const sender = (await personAt('as@cpas-ciney.demo')).page;
    await sender.goto(`${relais.url}/inbox`);
    const answers = sender.getByRole('region', { name: 'Vos orientations' });
    await answers.getByText(`Dossier ${reference}`).waitFor();
    await eventually(async () => (await answers.innerText()).includes('refusée le 05/11/2026'));
    expect(await answers.innerText()).toContain("Pas de capacité d'accueil");
    await screenshot(sender, '41-inbox-answers-to-referrals');
  });

  it('CPAS Rochefort reads the move with the reference and the Ciney worker to call, and takes the case over', async () => {
    const { caseId, reference } = await aMoveToRochefort();

    const { page } = await personAt('as@cpas-rochefort.demo');
    await page.goto(`${relais.url}/inbox`);
    const card = page.locator(`li.notification[data-case-id="${caseId}"]`);
    await card.getByRole('heading', { name: `Déménagement — Dossier ${reference}` }).waitFor();
    const text = await card.innerText();
    expect(text).not.toContain(caseId.slice(0, 8));
    expect(text).toContain('Assistant·e social·e, CPAS de Ciney');
    expect(text).toContain('as@cpas-ciney.demo');
    expect(text).toContain('Une orientation vous attend');
    await screenshot(page, '42-move-notice-to-the-new-cpas');

    await card.getByRole('link', { name: `Dossier ${reference}` }).click();
    await page
      .getByRole('heading', { level: 1, name: `Orientation à examiner — ${reference}` })
      .waitFor();
    expect(await page.locator('main').innerText()).toContain('Déménagement de la famille');
    await page.getByRole('link', { name: 'Accepter l’orientation' }).click();
    await page.getByLabel('Date des faits').fill('20/11/2026');
    await page.getByLabel('Base légale').selectOption('legal_obligation');
    await page.getByRole('button', { name: 'Vérifier et prévisualiser' }).click();
    await page.getByRole('button', { name: "Confirmer et enregistrer l'événement" }).click();
    await page.getByRole('heading', { level: 1, name: `Dossier ${reference}` }).waitFor();
    expect(await page.locator('main').innerText()).toContain('Dumont');
  });

  it('a notice about a case not shared with the recipient says so, and what to do', async () => {
    const { caseId, reference, notice } = await aMoveToRochefort();
    const rochefort = await relais.token('as@cpas-rochefort.demo');
    // Rochefort declines the take-over: the notice stays, the case is not shared with it.
    const { body: referrals } = await call<{ caseId: string; referralId: string }[]>(
      'GET',
      '/api/v1/referrals',
      rochefort,
    );
    const referralId = referrals.find((r) => r.caseId === caseId)?.referralId;
    expect(
      (
        await call('POST', `/api/v1/cases/${caseId}/events`, rochefort, {
          type: 'ReferralDeclined',
          occurredOn: '2026-11-20',
          referralId,
          reason: 'other',
        })
      ).status,
    ).toBe(201);
    await notificationIn(
      call,
      rochefort,
      caseId,
      'cpas-family-relocated',
      (n) => n.caseAccess === 'none',
    );

    const { page } = await personAt('as@cpas-rochefort.demo');
    await page.goto(`${relais.url}/inbox`);
    const card = page.locator(`li.notification[data-notification-id="${notice.id}"]`);
    await card.getByRole('heading', { name: `Déménagement — Dossier ${reference}` }).waitFor();
    expect(await card.getByRole('link', { name: `Dossier ${reference}` }).count()).toBe(0);
    expect(await card.innerText()).toContain(
      'Ce dossier n’est pas partagé avec votre organisation',
    );
    await screenshot(page, '43-notice-about-a-case-not-shared');
  });
});
