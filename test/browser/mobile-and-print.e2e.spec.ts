import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { readPdf } from '../support/pdf-text';
import {
  aRisSuppressionForTheSaj,
  apiOf,
  Call,
  notificationIn,
  theDemoYouthGroup,
} from '../support/api';
import { startTestRelais, TestRelais } from '../support/relais-app';
import {
  ARTIFACTS,
  DEMO_PASSWORD,
  expectNoSeriousViolations,
  launchBrowser,
  screenshot,
  until,
} from './support/browser';

jest.setTimeout(180_000);

const PHONE = { width: 375, height: 812 };

/**
 * Issue 12: at 375 px no page is wider than the screen and the header leaves the screen to the
 * page; a case's timeline prints without the application around it; and each workspace's code
 * comes only when it is opened.
 */
describe('on a phone, on paper, and code per workspace', () => {
  let relais: TestRelais;
  let browser: Browser;
  let call: Call;
  let caseId: string;
  let youth: { bodyId: string; meetingIds: string[] };

  beforeAll(async () => {
    [relais, browser] = await Promise.all([startTestRelais(), launchBrowser()]);
    call = apiOf(relais);
    const as = await relais.token('as@cpas-ciney.demo');
    caseId = await aRisSuppressionForTheSaj(call, as);
    await notificationIn(
      call,
      await relais.token('delegue1@saj-dinant.demo'),
      caseId,
      'cpas-ris-suppressed',
    );
    youth = await theDemoYouthGroup(call, await relais.token('coordination@relais.demo'));
  });
  afterAll(async () => {
    await browser?.close();
    await relais?.close();
  });

  async function phone(options: { bypassCSP?: boolean } = {}) {
    const context = await browser.newContext({
      viewport: PHONE,
      deviceScaleFactor: 1,
      isMobile: true,
      hasTouch: true,
      locale: 'fr-BE',
      timezoneId: 'Europe/Brussels',
      ...options,
    });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    return { context, page, errors };
  }

  async function signInOnPhone(page: Page, email: string) {
    await page.goto(`${relais.url}/login`);
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL((url) => url.pathname !== '/login');
    await settled(page);
  }

  /** The page has drawn its heading and nothing is still loading. */
  const settled = (page: Page) =>
    until(
      page,
      "document.querySelector('main h1') !== null && document.querySelector('main h1').textContent !== 'Chargement…' && document.querySelector('.loading') === null",
    );

  const measure = (page: Page) =>
    page.evaluate<{
      scrollWidth: number;
      mainTop: number;
      heading: string;
      overflowing: string[];
      brokenLabels: string[];
    }>(`({
      scrollWidth: document.documentElement.scrollWidth,
      mainTop: document.getElementById('main').getBoundingClientRect().top,
      heading: document.querySelector('main h1')?.textContent ?? '',
      // The innermost elements past the right edge, to say what to fix.
      overflowing: [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > ${PHONE.width + 0.5})
        .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right > ${PHONE.width + 0.5}))
        .slice(0, 5)
        .map((e) => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' ' + Math.round(e.getBoundingClientRect().right)),
      // A card's label whose longest word is wider than its column, so it breaks inside a word.
      brokenLabels: (() => {
        const context = document.createElement('canvas').getContext('2d');
        return [...document.querySelectorAll('table.data [data-label]')].filter((cell) => {
          const column = parseFloat(getComputedStyle(cell).gridTemplateColumns.split(' ')[0]);
          context.font = getComputedStyle(cell, '::before').font;
          const widest = Math.max(...cell.dataset.label.split(/\\s+/).map((w) => context.measureText(w).width));
          return widest > column + 0.5;
        }).map((cell) => cell.dataset.label).filter((l, i, all) => all.indexOf(l) === i);
      })(),
    })`);

  const ROLES: Readonly<Record<string, () => readonly string[]>> = {
    'as@cpas-ciney.demo': () => [
      '/cases',
      '/cases/new',
      `/cases/${caseId}`,
      `/cases/${caseId}/events/new?type=RisSuppressed`,
      '/inbox',
      '/outgoing',
    ],
    'delegue1@saj-dinant.demo': () => [
      '/cases',
      `/cases/${caseId}`,
      '/inbox',
      '/outgoing',
      '/coordination/bodies',
      '/coordination/minutes',
      `/coordination/meetings/${youth.meetingIds.at(-1) ?? ''}`,
    ],
    'coordination@relais.demo': () => [
      '/coordination/members',
      '/coordination/bodies',
      `/coordination/bodies/${youth.bodyId}`,
      `/coordination/meetings/${youth.meetingIds[0] ?? ''}`,
      `/coordination/meetings/${youth.meetingIds.at(-1) ?? ''}`,
    ],
    'chef@saj-dinant.demo': () => [
      '/inbox',
      '/outgoing',
      '/dashboard',
      '/admin/organisations',
      '/admin/staff',
      '/admin/protocols',
      '/admin/webhook',
    ],
    'dpo@relais.demo': () => ['/dpo', '/dpo/log', '/dpo/erasures', '/dpo/retention'],
    'admin@relais.demo': () => [
      '/dashboard',
      '/admin/organisations',
      '/admin/staff',
      '/admin/protocols',
      '/admin/webhook',
      '/admin/retention',
    ],
  };

  it('at 375 px the login page fits the screen, and its header is small', async () => {
    const { context, page, errors } = await phone({ bypassCSP: true });
    await page.goto(`${relais.url}/login`);
    await settled(page);
    const { scrollWidth, mainTop } = await measure(page);
    expect(scrollWidth).toBeLessThanOrEqual(PHONE.width);
    expect(mainTop).toBeLessThanOrEqual(PHONE.height * 0.2);
    await screenshot(page, '50-mobile-login');
    await expectNoSeriousViolations(page, 'login at 375 px');
    await context.close();
    expect(errors).toEqual([]);
  });

  it.each(Object.keys(ROLES))(
    'at 375 px every workspace page of %s fits the screen under a small header',
    async (email) => {
      const { context, page, errors } = await phone();
      await signInOnPhone(page, email);
      const tooWide: string[] = [];
      for (const path of (ROLES[email] as () => readonly string[])()) {
        await page.goto(`${relais.url}${path}`);
        await settled(page);
        const { scrollWidth, mainTop, heading, overflowing, brokenLabels } = await measure(page);
        expect([path, heading]).not.toEqual([path, 'Connexion']);
        if (brokenLabels.length)
          tooWide.push(`${path}: labels broken in a word: ${brokenLabels.join(', ')}`);
        if (scrollWidth > PHONE.width || mainTop > PHONE.height * 0.2) {
          tooWide.push(
            `${path}: ${scrollWidth} px wide (${overflowing.join(', ')}), the page starts at ${mainTop} px`,
          );
          await screenshot(
            page,
            `mobile-too-wide-${email.split('@')[0]}-${path.replace(/\W+/g, '_')}`,
          );
        }
      }
      await context.close();
      expect(tooWide).toEqual([]);
      expect(errors).toEqual([]);
    },
  );

  it('at 375 px the menu opens the workspaces, the language and the sign-out, from the keyboard too', async () => {
    const { context, page, errors } = await phone({ bypassCSP: true });
    await signInOnPhone(page, 'as@cpas-ciney.demo');
    await page.goto(`${relais.url}/cases/${caseId}`);
    await settled(page);
    const menu = page.getByRole('button', { name: 'Menu' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByRole('button', { name: 'Se déconnecter' }).isVisible()).toBe(false);
    await screenshot(page, '51-mobile-case', { fullPage: false });
    await screenshot(page, '52-mobile-case-full');
    await expectNoSeriousViolations(page, 'case page at 375 px');
    await menu.focus();
    await page.keyboard.press('Enter');
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    await screenshot(page, '53-mobile-menu-open', { fullPage: false });
    await expectNoSeriousViolations(page, 'menu open at 375 px');
    await page
      .getByRole('navigation', { name: 'Espaces de travail' })
      .getByRole('link', { name: 'Notifications reçues' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Notifications reçues' }).waitFor();
    // Following a link closes the menu.
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await settled(page);
    await screenshot(page, '54-mobile-inbox');
    await page.goto(`${relais.url}/cases`);
    await settled(page);
    await screenshot(page, '55-mobile-cases');
    await context.close();
    expect(errors).toEqual([]);
  });

  it('a case’s timeline prints without navigation or buttons, black on white, no event cut by a page break', async () => {
    const context = await browser.newContext({ locale: 'fr-BE', timezoneId: 'Europe/Brussels' });
    const page = await context.newPage();
    await page.goto(`${relais.url}/login`);
    await page.getByLabel('Adresse e-mail').fill('as@cpas-ciney.demo');
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    await page.goto(`${relais.url}/cases/${caseId}`);
    await page.locator('.timeline-item[data-event-type="RisSuppressed"]').waitFor();
    await settled(page);
    await page.emulateMedia({ media: 'print' });

    const seen = await page.evaluate<{
      header: number;
      buttons: string[];
      heading: boolean;
      items: number;
      itemsVisible: number;
      breakInside: string[];
      color: string;
      background: string;
      mutedColor: string;
    }>(`(() => {
      const visible = (e) => {
        const box = e.getBoundingClientRect();
        return getComputedStyle(e).visibility !== 'hidden' && box.width > 0 && box.height > 0;
      };
      const items = [...document.querySelectorAll('.timeline-item')];
      const body = getComputedStyle(document.body);
      return {
        header: [...document.querySelectorAll('header.site-header, nav, .skip-link')].filter(visible).length,
        buttons: [...document.querySelectorAll('button, a.button, select')].filter(visible).map((e) => e.textContent),
        heading: visible(document.querySelector('main h1')),
        items: items.length,
        itemsVisible: items.filter(visible).length,
        breakInside: items.map((e) => getComputedStyle(e).breakInside),
        color: body.color,
        background: body.backgroundColor,
        mutedColor: getComputedStyle(document.querySelector('.timeline-item .meta')).color,
      };
    })()`);
    expect(seen.header).toBe(0);
    expect(seen.buttons).toEqual([]);
    expect(seen.heading).toBe(true);
    expect(seen.items).toBeGreaterThanOrEqual(3);
    expect(seen.itemsVisible).toBe(seen.items);
    expect(new Set(seen.breakInside)).toEqual(new Set(['avoid']));
    expect(seen.color).toBe('rgb(0, 0, 0)');
    expect(seen.background).toBe('rgb(255, 255, 255)');
    expect(seen.mutedColor).toBe('rgb(0, 0, 0)');
    await screenshot(page, '56-case-print');

    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    writeFileSync(join(ARTIFACTS, '56-case-print.pdf'), pdf);
    const { text } = readPdf(pdf);
    expect(text).toContain('Dossier');
    expect(text).toContain('Suppression du RIS');
    expect(text).not.toContain('Se déconnecter');
    expect(text).not.toContain('Consigner un événement');
    await context.close();
  });

  it('each workspace’s code comes when it is opened, not with the login page', async () => {
    const context = await browser.newContext({ locale: 'fr-BE' });
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    await page.goto(`${relais.url}/login`);
    await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(scripts.filter((s) => s.includes('workspace'))).toEqual([]);
    await page.getByLabel('Adresse e-mail').fill('chef@saj-dinant.demo');
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { level: 1, name: 'Notifications reçues' }).waitFor();
    await page.waitForLoadState('networkidle');
    const workspaces = () =>
      scripts
        .filter((s) => s.includes('workspace'))
        .map((s) => /\/assets\/([a-z]+)-workspace/.exec(s)?.[1]);
    expect(workspaces()).toEqual(['inbox']);
    await page.getByRole('link', { name: 'Tableau de bord' }).click();
    await page.locator('[data-indicator], .notice').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect(workspaces()).toEqual(['inbox', 'dashboard']);
    await context.close();
  });
});
