import { Browser, Page } from 'playwright-core';
import {
  aCaseWhoseSajLostItsLegalBasis as aCaseWithoutLegalBasis,
  aCaseWithTheSaj,
  apiOf,
  Call,
  notificationIn,
  theDemoYouthGroup,
} from '../support/api';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';
import {
  expectNoSeriousViolations,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  until,
  WatchedPage,
} from './support/browser';

jest.setTimeout(120_000);

/**
 * Every page of the web app, as the person who uses it sees it: axe-core finds no serious or
 * critical violation, and a screenshot of each is kept under test/browser/artifacts/.
 */
describe('every page is accessible', () => {
  let relais: TestRelais;
  let browser: Browser;
  let call: Call;
  let as: string;
  let caseId: string;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    [relais, browser] = await Promise.all([startTestRelais(), launchBrowser()]);
    call = apiOf(relais);
    as = await relais.token('as@cpas-ciney.demo');
    const delegue = await relais.token('delegue1@saj-dinant.demo');
    caseId = await aCaseWithTheSaj(call, as);
    await call('POST', `/api/v1/cases/${caseId}/events`, as, {
      type: 'RisSuppressed',
      occurredOn: '2026-11-20',
      reason: 'resources_above_threshold',
      effectiveOn: '2026-12-01',
    });
    await notificationIn(call, delegue, caseId, 'cpas-ris-suppressed');
  });
  afterAll(async () => {
    await browser?.close();
    await relais?.close();
  });
  afterEach(async () => {
    const errors = opened.flatMap((p) => p.errors);
    await Promise.all(opened.splice(0).map((p) => p.close()));
    expect(errors).toEqual([]);
  });

  /** A page as `email` sees it (anonymous without), once `ready` says it has loaded. */
  async function visit(
    email: string | undefined,
    path: string,
    ready: (page: Page) => Promise<unknown>,
  ) {
    const watched = await openPage(browser, { bypassCSP: true });
    opened.push(watched);
    if (email) await signIn(watched.page, relais.url, email);
    await watched.page.goto(`${relais.url}${path}`);
    await ready(watched.page);
    return watched.page;
  }

  async function check(page: Page, name: string, fullPage = true) {
    await expectNoSeriousViolations(page, name);
    await screenshot(page, name, { fullPage });
  }

  const heading = (page: Page, name: string | RegExp) =>
    page.getByRole('heading', { level: 1, name }).waitFor();

  it('login', async () => {
    const page = await visit(undefined, '/login', (p) => heading(p, 'Connexion'));
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await check(page, '01-login');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.locator('#field-email-error').waitFor();
    await expectNoSeriousViolations(page, 'login with errors');
  });

  it('the identity provider’s return page', async () => {
    const page = await visit(undefined, '/auth/callback', (p) =>
      p.getByText('Aucune réponse du fournisseur', { exact: false }).waitFor(),
    );
    await expectNoSeriousViolations(page, 'OIDC callback');
  });

  it('cases list', async () => {
    const page = await visit('as@cpas-ciney.demo', '/cases', (p) =>
      p.locator(`a[href="/cases/${caseId}"]`).waitFor(),
    );
    await check(page, '02-cases');
  });

  it('opening a case, with its field errors', async () => {
    const page = await visit('as@cpas-ciney.demo', '/cases/new', (p) =>
      heading(p, 'Ouvrir un dossier'),
    );
    await expectNoSeriousViolations(page, 'open case form');
    await page.getByRole('button', { name: 'Ouvrir le dossier' }).click();
    await page.locator('.error-summary').waitFor();
    await check(page, '03-open-case-errors');
  });

  it('case page with its timeline', async () => {
    const page = await visit('as@cpas-ciney.demo', `/cases/${caseId}`, (p) =>
      p
        .locator('.timeline-item[data-event-type="RisSuppressed"] [data-recipient="saj-dinant"]')
        .waitFor(),
    );
    await check(page, '04-case');
  });

  it('event form with its preview', async () => {
    const page = await visit(
      'as@cpas-ciney.demo',
      `/cases/${caseId}/events/new?type=FamilyRelocated`,
      (p) => heading(p, 'Consigner un événement'),
    );
    await page.getByLabel('Date des faits').fill('19/11/2026');
    await page.getByLabel('Nouvelle commune').selectOption('91114');
    await page.getByLabel("Date d'effet").fill('19/11/2026');
    await page.getByRole('button', { name: 'Vérifier et prévisualiser' }).click();
    await page.locator('.preview li[data-recipient="cpas-rochefort"]').waitFor();
    await check(page, '05-event-form-preview');
  });

  it('inbox', async () => {
    const page = await visit('delegue1@saj-dinant.demo', '/inbox', (p) =>
      p.locator(`li[data-case-id="${caseId}"]`).waitFor(),
    );
    await check(page, '06-inbox');
    await page.getByLabel('mes dossiers').check();
    await page.waitForURL(/scope=mine/);
    await expectNoSeriousViolations(page, 'inbox, my cases');
  });

  it('referrals to answer, in the cases list and the inbox, and a move notice with its referral', async () => {
    // The demo's Dinant family was referred to the SAJ, and its Ciney family moved to Rochefort.
    const cases = await visit('delegue1@saj-dinant.demo', '/cases', (p) =>
      p.getByRole('region', { name: 'Orientations à traiter' }).waitFor(),
    );
    await check(cases, '44-cases-referrals-to-answer');
    const inbox = await visit('as@cpas-rochefort.demo', '/inbox', (p) =>
      p.getByText('Une orientation vous attend', { exact: false }).first().waitFor(),
    );
    await check(inbox, '45-inbox-move-with-referral');
    const sender = await visit('as@cpas-ciney.demo', '/inbox', (p) =>
      p.getByRole('region', { name: 'Vos orientations' }).waitFor(),
    );
    await expectNoSeriousViolations(sender, 'inbox, answers to referrals');
  });

  it('outgoing, where an obligation blocked for want of a legal basis stands out', async () => {
    const blockedCase = await aCaseWhoseSajLostItsLegalBasis();
    const page = await visit('as@cpas-ciney.demo', '/outgoing', (p) =>
      p.locator('tr.blocked').first().waitFor(),
    );
    expect(await page.locator('.notice-warning').innerText()).toMatch(
      /^\d+ obligations? bloquées? faute de base légale\./,
    );
    const row = page.locator('tr.blocked', {
      has: page.locator(`a[href="/cases/${blockedCase}"]`),
    });
    expect(await row.innerText()).toContain('Bloquée : pas de base légale');
    await check(page, '07-outgoing');
  });

  it('dashboard', async () => {
    const page = await visit('chef@saj-dinant.demo', '/dashboard', (p) =>
      p.locator('[data-indicator], .notice').first().waitFor(),
    );
    // The indicators and both lists load separately: wait until none is still loading.
    await until(page, "document.querySelector('.loading') === null");
    // Chart.js comes in a chunk of its own when the first chart is drawn: both charts have pixels.
    await until(
      page,
      `(() => {
        const canvases = [...document.querySelectorAll('.chart canvas')];
        return canvases.length === 2 && canvases.every((c) =>
          c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v) => v !== 0));
      })()`,
    );
    await check(page, '08-dashboard');
    const [report] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger le PDF' }).click(),
    ]);
    expect(report.suggestedFilename()).toMatch(/\.pdf$/);
    await page.getByText('Rapport téléchargé :', { exact: false }).waitFor();
  });

  it.each([
    ['organisations', '09-admin-organisations', 'CPAS de Ciney', false],
    ['staff', '10-admin-staff', 'Enregistrer un membre du personnel', true],
    ['protocols', '11-admin-protocols', 'dinant-cpas-saj', true],
    ['webhook', '12-admin-webhook', 'Envois', true],
    ['retention', '15-admin-retention', 'Durée actuelle : 10 ans.', true],
  ])('administration: %s', async (section, name, text, fullPage) => {
    const page = await visit('admin@relais.demo', `/admin/${section}`, (p) =>
      p.getByText(text, { exact: true }).first().waitFor(),
    );
    await check(page, name, fullPage);
  });

  it('coordination: the directory, the bodies, a body and its meetings, a meeting at each step, and a member’s bodies and minutes', async () => {
    const youth = await theDemoYouthGroup(call, await relais.token('coordination@relais.demo'));
    const [drafted, approved] = [youth.meetingIds[0] ?? '', youth.meetingIds.at(-1) ?? ''];
    const pages: [string | undefined, string, string, string][] = [
      [
        'coordination@relais.demo',
        '/coordination/members',
        'Inscrire un service membre',
        '60-coordination-members',
      ],
      [
        'coordination@relais.demo',
        '/coordination/bodies',
        'Groupe de travail Jeunesse',
        '61-coordination-bodies',
      ],
      [
        'coordination@relais.demo',
        `/coordination/bodies/${youth.bodyId}`,
        'Convoquer une réunion',
        '62-coordination-body',
      ],
      [
        'coordination@relais.demo',
        `/coordination/meetings/${drafted}`,
        'Enregistrer les présences',
        '63-coordination-meeting-drafted',
      ],
      [
        'coordination@relais.demo',
        `/coordination/meetings/${approved}`,
        'Diffuser le procès-verbal',
        '64-coordination-meeting-approved',
      ],
      [
        'delegue1@saj-dinant.demo',
        '/coordination/bodies',
        'Groupe de travail Jeunesse',
        '65-coordination-member-bodies',
      ],
      [
        'delegue1@saj-dinant.demo',
        '/coordination/minutes',
        'Aucun procès-verbal ne vous a encore été diffusé.',
        '66-coordination-member-minutes',
      ],
      [
        'delegue1@saj-dinant.demo',
        `/coordination/meetings/${approved}`,
        'Télécharger le procès-verbal (PDF)',
        '67-coordination-member-meeting',
      ],
    ];
    for (const [email, path, text, name] of pages) {
      const page = await visit(email, path, (p) =>
        p.getByText(text, { exact: true }).first().waitFor(),
      );
      await check(page, name);
    }
  });

  it('data protection: a person found, with the errors of a search, and the access log', async () => {
    const page = await visit('dpo@relais.demo', '/dpo', (p) =>
      heading(p, 'Protection des données — Personnes'),
    );
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.locator('#field-niss-error').waitFor();
    await expectNoSeriousViolations(page, 'DPO search with errors');
    await page.getByLabel('nom et prénom').check();
    await page.getByLabel('Prénom et nom').fill('Céline Dumont');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.locator(`tr[data-case-id="${caseId}"]`).waitFor();
    await check(page, '13-dpo-people');
    // Other tests' families bear the same name: this one is the person of this case.
    await page
      .locator('article', { has: page.locator(`tr[data-case-id="${caseId}"]`) })
      .getByRole('link', { name: 'Voir qui a consulté ses dossiers' })
      .click();
    await page.locator('table.data tbody tr').first().waitFor();
    await check(page, '14-dpo-access-log');
  });

  it('data protection: what expires in the next 30 days, the steps of an erasure, and the erasures done', async () => {
    const admin = await relais.token('admin@relais.demo');
    const opening = await call<{ caseId: string }>('POST', '/api/v1/cases', as, {
      occurredOn: '2026-11-20',
      residenceCommune: '91030',
      legalBasis: 'legal_obligation',
      familyMembers: [{ role: 'parent', firstName: 'Armand', lastName: 'Échéance' }],
    });
    expect(opening.status).toBe(201);
    const ended = opening.body.caseId;
    const closed = await call('POST', `/api/v1/cases/${ended}/events`, as, {
      type: 'CaseClosed',
      occurredOn: '2026-11-20',
      reason: 'objectives_reached',
    });
    expect(closed.status).toBe(201);
    const set = await call('PUT', '/api/v1/organisations/cpas-ciney/retention', admin, {
      years: 1,
    });
    expect(set.status).toBe(200);
    const now = relais.clock.now();
    // Two weeks before the year runs out: the case is in the next 30 days' list.
    relais.clock.set(new Date('2027-11-06T10:00:00+01:00'));
    try {
      const dpo = await relais.token('dpo@relais.demo');
      await eventually(async () => {
        const expiring = await call<{ items: { caseId: string }[] }>(
          'GET',
          '/api/v1/retention/expiring',
          dpo,
        );
        return expiring.body.items.some((c) => c.caseId === ended);
      });
      const page = await visit('dpo@relais.demo', '/dpo/retention', (p) =>
        p.locator(`tr[data-case-id="${ended}"]`).waitFor(),
      );
      expect(await page.locator(`tr[data-case-id="${ended}"]`).innerText()).toMatch(
        /20\/11\/2026\s+20\/11\/2027\s+1 an\s+CPAS de Ciney\s+1 personne/,
      );
      await check(page, '16-dpo-retention');

      await page.getByRole('link', { name: 'Personnes' }).click();
      await page.getByLabel('nom et prénom').check();
      await page.getByLabel('Prénom et nom').fill('Armand Échéance');
      await page.getByRole('button', { name: 'Rechercher' }).click();
      await page.getByRole('button', { name: 'Effacer les données de cette personne' }).click();
      await page.getByRole('button', { name: 'Continuer' }).click();
      await page.locator('#field-reason-1-error').waitFor();
      await check(page, '17-dpo-erase-reason');
      await page.getByLabel('Motif de l’effacement').selectOption('no_longer_necessary');
      await page.getByRole('button', { name: 'Continuer' }).click();
      await page.getByRole('heading', { name: 'Confirmer l’effacement' }).waitFor();
      await check(page, '18-dpo-erase-confirm');
      await page.getByRole('button', { name: 'Confirmer l’effacement' }).click();
      await page.getByText('Données effacées le 06/11/2027 10:00.', { exact: false }).waitFor();
      await check(page, '19-dpo-erased');
      await page.getByRole('link', { name: 'Effacements' }).click();
      await page.locator('table.data tbody tr').first().waitFor();
      await check(page, '20-dpo-erasures');
    } finally {
      relais.clock.set(now);
    }
  });

  it('a page that does not exist', async () => {
    const page = await visit('as@cpas-ciney.demo', '/nowhere', (p) =>
      heading(p, 'Page introuvable'),
    );
    await expectNoSeriousViolations(page, 'not found');
  });

  it('in Dutch and English too, remembered across reloads, with the page language following', async () => {
    const page = await visit('delegue1@saj-dinant.demo', '/inbox', (p) =>
      p.locator(`li[data-case-id="${caseId}"]`).waitFor(),
    );
    await page.getByLabel('Langue').selectOption('nl');
    await page.getByRole('link', { name: 'Ontvangen meldingen' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    await page.reload();
    await page.locator(`li[data-case-id="${caseId}"]`).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    expect(await page.locator(`li[data-case-id="${caseId}"]`).innerText()).toContain(
      'Stopzetting van het leefloon',
    );
    await expectNoSeriousViolations(page, 'inbox in Dutch');
    await page.getByLabel('Taal').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Notifications received' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator(`li[data-case-id="${caseId}"]`).innerText()).toContain('20/11/2026');
  });

  /** A consent the SAJ joined on, then withdrawn: the RIS suppression can reach no one. */
  async function aCaseWhoseSajLostItsLegalBasis(): Promise<string> {
    const id = await aCaseWithoutLegalBasis(call, as);
    const log = async (event: Record<string, unknown>) => {
      const answer = await call('POST', `/api/v1/cases/${id}/events`, as, event);
      if (answer.status !== 201) throw new Error(`${String(event.type)} answered ${answer.status}`);
    };
    await log({
      type: 'RisSuppressed',
      occurredOn: '2026-11-19',
      reason: 'other',
      effectiveOn: '2026-11-19',
    });
    await eventually(async () => {
      const outgoing = await call<{ caseId: string; status: string }[]>(
        'GET',
        '/api/v1/outgoing',
        as,
      );
      return outgoing.body.some((o) => o.caseId === id && o.status === 'blocked_no_legal_basis');
    });
    return id;
  }
});
