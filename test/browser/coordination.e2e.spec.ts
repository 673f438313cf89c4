import { Browser, Page } from 'playwright-core';
import { decoded, ReceivedMail, SmtpReceiver, startSmtpReceiver } from '../support/receivers';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';
import {
  expectNoSeriousViolations,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  WatchedPage,
} from './support/browser';

jest.setTimeout(180_000);

/** The window as a phone shows it, then back to the desktop: a screenshot of each. */
async function bothSizes(page: Page, name: string) {
  await screenshot(page, `${name}-desktop`);
  await page.setViewportSize({ width: 375, height: 812 });
  await screenshot(page, `${name}-375`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('the coordination workspace in the browser', () => {
  const received: ReceivedMail[] = [];
  let smtp: SmtpReceiver;
  let relais: TestRelais;
  let browser: Browser;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    smtp = await startSmtpReceiver(0, received);
    [relais, browser] = await Promise.all([
      startTestRelais({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://relais.example.be' }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await relais?.close();
    await smtp?.close();
  });
  afterEach(async () => {
    const errors = opened.flatMap((p) => p.errors);
    await Promise.all(opened.splice(0).map((p) => p.close()));
    expect(errors).toEqual([]);
  });

  async function as(email: string, path: string) {
    const watched = await openPage(browser, { bypassCSP: true });
    opened.push(watched);
    await signIn(watched.page, relais.url, email);
    await watched.page.goto(`${relais.url}${path}`);
    return watched.page;
  }

  it('the coordinator registers a member service, takes a working group’s meeting from its agenda to its distributed minutes, and a member reads them', async () => {
    const page = await as('coordination@relais.demo', '/coordination');
    await page.getByRole('heading', { level: 1, name: /Annuaire des membres/ }).waitFor();
    await page.getByRole('rowheader', { name: 'AMO Les Passerelles (démo)' }).waitFor();

    // What is missing or wrong is said at its field, in French, before anything is sent.
    const register = page.getByRole('button', { name: 'Inscrire un service membre' });
    await page.getByLabel('Code postal').fill('55');
    await register.click();
    await page.locator('.error-summary').waitFor();
    expect(await page.getByLabel('Nom', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#field-address-postalCode-error').innerText()).toBe(
      'Un code postal belge : 4 chiffres.',
    );
    expect(await page.locator('#field-fields-error').count()).toBe(1);
    expect(await page.locator('.error-summary').innerText()).not.toMatch(/must|should/);
    await bothSizes(page, '70-coordination-member-errors');

    await page.getByLabel('Nom', { exact: true }).fill('AMO Le Cercle');
    await page.getByLabel('Éducation').check();
    await page.getByLabel('Social').check();
    await page.getByLabel('Rue et numéro').fill('Rue Grande 12');
    await page.getByLabel('Code postal').fill('5500');
    await page.getByLabel('Localité').fill('Dinant');
    await page.getByLabel('E-mail de contact').fill('contact@amo-le-cercle.demo');
    await page.getByLabel(/^Téléphone/).fill('+32 82 22 33 44');
    await page.getByLabel(/^Charte signée le/).fill('01/03/2025');
    // The API's refusal of the second service lands at the services, in French.
    const services = page.getByLabel(/^Services proposés/);
    await services.fill('Accueil des jeunes\nSuivi du dossier CIN-2026-0A1F');
    await register.click();
    await page.locator('#field-servicesOffered-error').waitFor();
    expect(await page.locator('#field-servicesOffered-error').innerText()).toMatch(
      /^La coordination parle des services, jamais des familles/,
    );
    expect(await services.getAttribute('aria-invalid')).toBe('true');
    await services.fill('Accueil des jeunes\nSoutien scolaire');
    await register.click();
    await page.getByText('AMO Le Cercle est inscrit à l’annuaire.').waitFor();
    const row = page.getByRole('row', { name: /AMO Le Cercle/ });
    await row.waitFor();
    expect(await row.innerText()).toContain('01/03/2025');
    await expectNoSeriousViolations(page, 'coordination directory');

    // The bodies, with their members; the youth group convenes two meetings.
    await page.getByRole('link', { name: 'Instances' }).click();
    await page.getByRole('link', { name: 'Groupe de travail Jeunesse' }).click();
    await page.getByRole('heading', { level: 1, name: /Groupe de travail Jeunesse/ }).waitFor();
    await page.getByText('Délégué·e 1, SAJ de Dinant (Personne)').waitFor();
    await expectNoSeriousViolations(page, 'coordination body');
    const convene = async (date: string) => {
      await page.getByLabel('Date', { exact: true }).fill(date);
      await page.getByLabel('Lieu').fill('CPAS de Dinant, salle du conseil');
      await page
        .getByLabel(/^Ordre du jour/)
        .fill('Approbation du PV précédent\nCollaboration CPAS–SAJ');
      await page.getByRole('button', { name: 'Convoquer une réunion' }).click();
      await page.getByText(`Réunion du ${date} convoquée.`).waitFor();
      await page.getByRole('link', { name: `Réunion du ${date}` }).waitFor();
    };
    await convene('13/11/2026');
    await convene('20/11/2026');
    await bothSizes(page, '71-coordination-body');

    // The first meeting: attendance, minutes refused while they name a case, then drafted.
    await page.getByRole('link', { name: 'Réunion du 13/11/2026' }).click();
    await page.getByRole('heading', { level: 1, name: /Réunion du 13\/11\/2026/ }).waitFor();
    await page.getByLabel(/^Présence de CPAS de Dinant/).selectOption('present');
    await page.getByLabel(/^Présence de AMO Les Passerelles/).selectOption('present');
    await page.getByLabel(/^Présence de Délégué·e 1/).selectOption('excused');
    await page.getByRole('button', { name: 'Enregistrer les présences' }).click();
    await page.getByText('Présences enregistrées.').waitFor();

    const minutes = page.getByLabel('Texte du procès-verbal');
    await minutes.fill('Le dossier CIN-2026-0A1F est évoqué.');
    await page.getByRole('button', { name: 'Enregistrer le projet de procès-verbal' }).click();
    await page.locator('#field-text-error').waitFor();
    expect(await page.locator('#field-text-error').innerText()).toMatch(
      /^La coordination parle des services, jamais des familles/,
    );
    expect(await minutes.getAttribute('aria-invalid')).toBe('true');
    await minutes.fill(
      'Les services présentent leurs actions jeunesse. Proposition : un protocole CPAS–SAJ.',
    );
    await page.getByRole('button', { name: 'Enregistrer le projet de procès-verbal' }).click();
    await page.getByText('Projet de procès-verbal enregistré.').waitFor();
    await page.getByRole('button', { name: 'Télécharger le procès-verbal (PDF)' }).waitFor();
    await expectNoSeriousViolations(page, 'coordination meeting, minutes drafted');
    await bothSizes(page, '72-coordination-meeting-drafted');

    // Approved at the next meeting, then distributed; each delivery is shown.
    await page.getByLabel('Réunion qui l’approuve').selectOption({
      label: 'Réunion du 20/11/2026 : CPAS de Dinant, salle du conseil',
    });
    await page.getByRole('button', { name: 'Approuver le procès-verbal' }).click();
    await page.getByText('Procès-verbal approuvé.').waitFor();
    await page.getByText('Approuvé le 20/11/2026, à la réunion du 20/11/2026.').waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Télécharger le procès-verbal (PDF)' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.pdf$/);
    await page.getByRole('button', { name: 'Diffuser le procès-verbal' }).click();
    await page.getByText('Procès-verbal diffusé.').waitFor();
    await page.getByRole('rowheader', { name: 'presidence@cpas-dinant.demo' }).waitFor();
    await page.getByRole('rowheader', { name: 'Délégué·e 1, SAJ de Dinant' }).waitFor();
    await eventually(async () => {
      await page.getByRole('button', { name: 'Actualiser' }).click();
      return (await page.getByRole('cell', { name: 'Remis', exact: true }).count()) > 0;
    });
    await expectNoSeriousViolations(page, 'coordination meeting, minutes distributed');
    await bothSizes(page, '73-coordination-meeting-distributed');

    // An e-mail reaches a member service and a political official on the loopback SMTP server.
    const meetingId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    for (const address of ['accueil@amo-passerelles.demo', 'presidence@cpas-dinant.demo']) {
      await eventually(() =>
        Promise.resolve(
          received.some((m) => m.to.includes(address) && decoded(m.raw).includes(meetingId)),
        ),
      );
      const mail = decoded(
        received.find((m) => m.to.includes(address) && decoded(m.raw).includes(meetingId))?.raw ??
          '',
      );
      expect(mail).toContain('Proposition : un protocole CPAS–SAJ.');
      expect(mail).toContain(`https://relais.example.be/coordination/meetings/${meetingId}`);
    }

    // The member with an account sees the bodies they sit in and the minutes they received.
    const member = await as('delegue1@saj-dinant.demo', '/coordination');
    await member.getByRole('heading', { level: 1, name: /Instances/ }).waitFor();
    await member.getByRole('link', { name: 'Groupe de travail Jeunesse' }).waitFor();
    expect(await member.getByRole('button', { name: 'Inscrire un service membre' }).count()).toBe(
      0,
    );
    await expectNoSeriousViolations(member, 'coordination bodies of a member');
    await member.getByRole('link', { name: 'Procès-verbaux reçus' }).click();
    await member.getByRole('link', { name: 'Réunion du 13/11/2026' }).click();
    await member
      .getByText(
        'Les services présentent leurs actions jeunesse. Proposition : un protocole CPAS–SAJ.',
      )
      .waitFor();
    await member.getByText('Délégué·e 1, SAJ de Dinant : Excusé·e').waitFor();
    expect(await member.getByRole('button', { name: 'Diffuser le procès-verbal' }).count()).toBe(0);
    await expectNoSeriousViolations(member, 'coordination minutes of a member');
    await bothSizes(member, '74-coordination-member-minutes');
  });
});
