import { Browser } from 'playwright-core';
import { apiOf, Call } from '../support/api';
import { startTestRelais, TestRelais } from '../support/relais-app';
import { launchBrowser, openPage, screenshot, signIn, WatchedPage } from './support/browser';

jest.setTimeout(120_000);

const PILOT = `id: ciney-saj-pilote
title: Pilote CPAS de Ciney – SAJ de Dinant
version: 1
effectiveFrom: 2027-01-01
partners:
  - organisation: cpas-ciney
  - organisation: saj-dinant
rules:
  - id: pilote-ris-suppressed
    title: Le CPAS informe le SAJ de la suppression du RIS
    trigger: { event: RisSuppressed }
    obliged: { kind: CPAS }
    recipients:
      - partnersOfKind: SAJ
    deadline: { workingDays: 3 }
    acknowledgement: { workingDays: 3 }
    share: [occurredOn, reason]
    shareAssignedWorkerContact: false
    channels: [inbox]
    escalation: { unacknowledged: recipient_managers, loggedLate: obliged_managers }
`;

interface ProtocolView {
  id: string;
  versions: { version: number; status: string; signedBy: string[] }[];
}

describe('administration in the browser', () => {
  let relais: TestRelais;
  let browser: Browser;
  let call: Call;
  let admin: string;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    [relais, browser] = await Promise.all([startTestRelais(), launchBrowser()]);
    call = apiOf(relais);
    admin = await relais.token('admin@relais.demo');
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

  async function as(email: string, path: string) {
    const watched = await openPage(browser);
    opened.push(watched);
    await signIn(watched.page, relais.url, email);
    await watched.page.goto(`${relais.url}${path}`);
    return watched.page;
  }

  it('the coordinator uploads a protocol file; each signatory’s manager signs it until it is adopted', async () => {
    const coordinator = await as('coordination@relais.demo', '/admin/protocols');
    const file = coordinator.getByLabel('Fichier du protocole (YAML ou JSON)');

    await file.setInputFiles({
      name: 'broken.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from('id: ciney-saj-pilote\nversion: 0\n'),
    });
    await coordinator.getByRole('button', { name: 'Déposer' }).click();
    await coordinator.getByText('Le fichier contient des erreurs :').waitFor();
    expect(await file.getAttribute('aria-invalid')).toBe('true');
    expect(await coordinator.locator('#field-protocolFile-error li').count()).toBeGreaterThan(0);
    // In French, at their path and line: not the server's English.
    const problems = await coordinator.locator('#field-protocolFile-error li').allInnerTexts();
    expect(problems).toContain('version : Doit valoir au moins 1. (ligne 2)');
    expect(problems).toContainEqual('title : Ce champ est obligatoire. (ligne 1)');
    expect(problems.join('\n')).not.toMatch(/must|is required|line \d/);
    await screenshot(coordinator, '44-protocol-file-problems');

    await file.setInputFiles({
      name: 'pilote.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from(PILOT),
    });
    await coordinator.getByRole('button', { name: 'Déposer' }).click();
    await coordinator
      .getByText(
        'Version 1 de ciney-saj-pilote déposée ; elle attend la signature de 2 partenaires.',
      )
      .waitFor();
    await coordinator.getByRole('heading', { name: /Pilote CPAS de Ciney/ }).waitFor();

    const cineyManager = await as('chef@cpas-ciney.demo', '/admin/protocols');
    await cineyManager
      .getByRole('button', { name: 'Signer la version 1 pour CPAS de Ciney' })
      .click();
    await cineyManager.getByText('Version signée.', { exact: true }).waitFor();

    const sajManager = await as('chef@saj-dinant.demo', '/admin/protocols');
    await sajManager
      .getByRole('button', { name: 'Signer la version 1 pour SAJ de Dinant' })
      .click();
    await sajManager.getByText('Version signée : elle est adoptée.').waitFor();

    const protocol = await call<ProtocolView>('GET', '/api/v1/protocols/ciney-saj-pilote', admin);
    expect(protocol.body.versions[0]).toMatchObject({
      version: 1,
      status: 'adopted',
      signedBy: expect.arrayContaining(['cpas-ciney', 'saj-dinant']) as unknown,
    });
  });

  it('an administrator registers a member of staff; the form says what is missing first', async () => {
    const page = await as('admin@relais.demo', '/admin/staff');
    await page.getByRole('button', { name: 'Enregistrer un membre du personnel' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.getByLabel('Nom', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Organisations').selectOption('cpas-ciney');
    await page.getByLabel('Nom', { exact: true }).fill('Claire Martin');
    await page.getByLabel('E-mail', { exact: true }).fill('claire.martin@cpas-ciney.demo');
    await page.getByLabel('Assistant·e social·e').check();
    await page.getByRole('button', { name: 'Enregistrer un membre du personnel' }).click();
    await page.getByText('Claire Martin est enregistré·e.').waitFor();
    await page.getByRole('cell', { name: 'claire.martin@cpas-ciney.demo' }).waitFor();

    const staff = await call<{ email: string; roles: string[] }[]>(
      'GET',
      '/api/v1/staff?organisationId=cpas-ciney',
      admin,
    );
    expect(staff.body.find((s) => s.email === 'claire.martin@cpas-ciney.demo')?.roles).toEqual([
      'social_worker',
    ]);
  });

  it('an administrator giving a common password is told why at the field, in the API’s words', async () => {
    const page = await as('admin@relais.demo', '/admin/staff');
    await page.getByLabel('Organisations').selectOption('cpas-ciney');
    await page.getByLabel('Nom', { exact: true }).fill('Luc Renard');
    await page.getByLabel('E-mail', { exact: true }).fill('luc.renard@cpas-ciney.demo');
    await page.getByLabel('Assistant·e social·e').check();
    const password = page.getByLabel('Mot de passe (compte local)');
    await password.fill('azertyuiop');
    await page.getByRole('button', { name: 'Enregistrer un membre du personnel' }).click();
    const refused = await call<{ errors: { field: string; message: string }[] }>(
      'POST',
      '/api/v1/staff',
      admin,
      {
        organisationId: 'cpas-ciney',
        name: 'Luc Renard',
        email: 'luc.renard@cpas-ciney.demo',
        roles: ['social_worker'],
        password: 'azertyuiop',
      },
    );
    const message = refused.body.errors[0]?.message ?? '';
    expect(message).toMatch(/^password is too easy to guess/);
    await page.locator('.field-error', { hasText: message }).waitFor();
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await password.getAttribute('aria-describedby')) ?? '';
    const errorId = await page.locator('.field-error', { hasText: message }).getAttribute('id');
    expect(describedBy.split(' ')).toContain(errorId);

    await password.fill('renard-des-bois-en-hiver');
    await page.getByRole('button', { name: 'Enregistrer un membre du personnel' }).click();
    await page.getByText('Luc Renard est enregistré·e.').waitFor();
  });

  it('a manager is offered only the roles they may grant, and deactivates then reactivates a delegate', async () => {
    const page = await as('chef@saj-dinant.demo', '/admin/staff');
    const offered = page.locator('#field-roles label');
    await offered.first().waitFor();
    expect(await offered.allTextContents()).toEqual([
      'Assistant·e social·e',
      'Délégué·e SAJ',
      'Chef·fe de service',
    ]);

    const row = page.getByRole('row', { name: /Délégué·e 2, SAJ de Dinant/ });
    await row.getByRole('button', { name: 'Désactiver Délégué·e 2, SAJ de Dinant' }).click();
    await page
      .getByText('Délégué·e 2, SAJ de Dinant est désactivé·e : ses sessions sont fermées.')
      .waitFor();
    await row.getByRole('cell', { name: 'Désactivé', exact: true }).waitFor();
    await screenshot(page, '13-admin-staff-deactivated');

    const delegate = await openPage(browser);
    opened.push(delegate);
    await delegate.page.goto(`${relais.url}/login`);
    await delegate.page.getByLabel('Adresse e-mail').fill('delegue2@saj-dinant.demo');
    await delegate.page.getByLabel('Mot de passe').fill('relais-demo');
    await delegate.page.getByRole('button', { name: 'Se connecter' }).click();
    await delegate.page
      .getByText('Ce compte est désactivé : adressez-vous à votre administrateur.')
      .waitFor();

    await row.getByRole('button', { name: 'Réactiver Délégué·e 2, SAJ de Dinant' }).click();
    await row.getByRole('cell', { name: 'Actif', exact: true }).waitFor();
    await signIn(delegate.page, relais.url, 'delegue2@saj-dinant.demo');
  });

  it('a manager edits the roles of a member of their organisation', async () => {
    const page = await as('chef@saj-dinant.demo', '/admin/staff');
    await page.getByRole('button', { name: 'Modifier Délégué·e 1, SAJ de Dinant' }).click();
    const form = page.getByRole('region', { name: 'Modifier Délégué·e 1, SAJ de Dinant' });
    await form.getByLabel('Chef·fe de service').check();
    await form.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await page.getByText('Délégué·e 1, SAJ de Dinant est modifié·e.').waitFor();
    const staff = await call<{ email: string; roles: string[] }[]>(
      'GET',
      '/api/v1/staff?organisationId=saj-dinant',
      admin,
    );
    expect(staff.body.find((s) => s.email === 'delegue1@saj-dinant.demo')?.roles).toEqual([
      'saj_delegate',
      'manager',
    ]);
  });

  it('a manager gives a worker a professional phone: a number that is not Belgian is said at the field, one that is is shown', async () => {
    const page = await as('chef@cpas-ciney.demo', '/admin/staff');
    const name = 'Assistant·e social·e, CPAS de Ciney';
    await page.getByRole('button', { name: `Modifier ${name}` }).click();
    const form = page.getByRole('region', { name: `Modifier ${name}` });
    const phone = form.getByLabel('Téléphone professionnel');
    // Styled as the other text inputs (a type="tel" once showed as a bare line).
    expect((await phone.boundingBox())?.height).toBe(
      (await form.getByLabel('Nom', { exact: true }).boundingBox())?.height,
    );
    await phone.fill('+33 1 23 45 67 89');
    await form.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await form
      .getByText(
        'Indiquez un numéro de téléphone belge, par exemple 081 23 45 67 ou +32 470 12 34 56.',
      )
      .first()
      .waitFor();
    expect(await phone.getAttribute('aria-invalid')).toBe('true');
    await phone.fill('083/21.23.45');
    await form.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await page.getByText(`${name} est modifié·e.`).waitFor();
    await page.getByRole('cell', { name: '+32 83 21 23 45' }).waitFor();
    await screenshot(page, '61-admin-staff-phone');
    const staff = await call<{ email: string; phone: string | null }[]>(
      'GET',
      '/api/v1/staff?organisationId=cpas-ciney',
      admin,
    );
    expect(staff.body.find((s) => s.email === 'as@cpas-ciney.demo')?.phone).toBe('+3283212345');
  });

  it('a manager sets the webhook of their organisation, sees the secret once, and removes it', async () => {
    const page = await as('chef@saj-dinant.demo', '/admin/webhook');
    await page.getByText("Cette organisation n'a pas de webhook.").waitFor();
    await page.getByLabel('Adresse (https)').fill('http://127.0.0.1:9/relais/webhook');
    await page.getByRole('button', { name: 'Enregistrer le webhook' }).click();
    const saved = page.getByText('Webhook enregistré. Voici son secret, affiché une seule fois :', {
      exact: false,
    });
    await saved.waitFor();
    expect((await saved.innerText()).length).toBeGreaterThan(80);
    await page.getByText('http://127.0.0.1:9/relais/webhook').waitFor();
    await page.getByRole('button', { name: 'Supprimer le webhook' }).click();
    await page.getByText('Webhook supprimé.').waitFor();
    expect((await call('GET', '/api/v1/organisations/saj-dinant/webhook', admin)).status).toBe(404);
  });

  it('navigation shows only the workspaces the roles allow', async () => {
    const expected: [string, string[]][] = [
      ['as@cpas-ciney.demo', ['Dossiers', 'Notifications reçues', 'À transmettre', 'Coordination']],
      [
        'chef@saj-dinant.demo',
        [
          'Notifications reçues',
          'À transmettre',
          'Tableau de bord',
          'Coordination',
          'Administration',
        ],
      ],
      ['coordination@relais.demo', ['Tableau de bord', 'Coordination', 'Administration']],
      ['admin@relais.demo', ['Tableau de bord', 'Administration']],
      ['dpo@relais.demo', ['Protection des données']],
    ];
    for (const [email, workspaces] of expected) {
      const page = await as(email, '/');
      await page.locator('main h1').waitFor();
      const links = await page.locator('nav.workspaces a').allInnerTexts();
      expect([email, links]).toEqual([email, workspaces]);
    }
    const page = await as('as@cpas-ciney.demo', '/dashboard');
    await page
      .getByRole('heading', { level: 1, name: 'Votre rôle ne permet pas cette action.' })
      .waitFor();
  });

  it('the administrator sees and sets an organisation’s retention period, errors at the field', async () => {
    const page = await as('admin@relais.demo', '/admin');
    await page.getByRole('link', { name: 'Conservation des données' }).click();
    await page
      .getByRole('heading', { level: 1, name: 'Administration — Conservation des données' })
      .waitFor();
    await page.getByLabel('Organisation').selectOption({ label: 'CPAS de Ciney' });
    await page.getByRole('heading', { name: 'Durée actuelle : 10 ans.' }).waitFor();
    await page.getByText('C’est la durée par défaut de Relais').waitFor();

    const years = page.getByLabel('Durée de conservation (en années)');
    for (const typed of ['0', '31', 'dix', '']) {
      await years.fill(typed);
      await page.getByRole('button', { name: 'Enregistrer la durée' }).click();
      expect(await page.locator('#field-years-error').innerText()).toBe(
        'Indiquez un nombre entier d’années, de 1 à 30.',
      );
      expect(await years.getAttribute('aria-invalid')).toBe('true');
    }
    await screenshot(page, 'admin-retention-error');
    await years.fill('7');
    await page.getByRole('button', { name: 'Enregistrer la durée' }).click();
    await page.getByText('Durée de conservation enregistrée : 7 ans.').waitFor();
    await page.getByRole('heading', { name: 'Durée actuelle : 7 ans.' }).waitFor();
    await page.getByText('Fixée le 20/11/2026 10:00 par Administration Relais.').waitFor();
    await screenshot(page, 'admin-retention');
    const policy = await call<{ years: number; isDefault: boolean }>(
      'GET',
      '/api/v1/organisations/cpas-ciney/retention',
      admin,
    );
    expect(policy.body).toMatchObject({ years: 7, isDefault: false });

    // A manager does not set retention: the section is not offered, and its address refuses.
    const manager = await as('chef@cpas-ciney.demo', '/admin/retention');
    await manager
      .getByRole('heading', { level: 1, name: 'Votre rôle ne permet pas cette action.' })
      .waitFor();
    expect(await manager.locator('nav.subnav a').allInnerTexts()).not.toContain(
      'Conservation des données',
    );
  });
});
