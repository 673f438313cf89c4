import { en } from './en';
import { fr } from './fr';
import { interpolate } from './interpolate';
import { nl } from './nl';

const DICTIONARIES = { fr, nl, en } as const;
const LOCALES = { fr: 'fr-BE', nl: 'nl-BE', en: 'en-BE' } as const;

describe('counted words agree with their number', () => {
  const t = (key: keyof typeof fr, params: Record<string, string | number>) =>
    interpolate(fr[key], params, 'fr-BE');

  it('says “1 jour ouvrable” and “3 jours ouvrables”, “1,5 jour ouvrable” as French writes it', () => {
    expect(t('app.workingDays', { n: 1 })).toBe('1 jour ouvrable');
    expect(t('app.workingDays', { n: 3 })).toBe('3 jours ouvrables');
    expect(t('app.workingDays', { n: 1.5 })).toBe('1,5 jour ouvrable');
    expect(t('event.previewAck', { n: 1 })).toBe(
      'accusé de réception attendu dans 1 jour ouvrable',
    );
  });

  it('counts the errors of a form, the blocked obligations and the new notifications', () => {
    expect(t('validation.summary', { n: 1 })).toBe('Le formulaire contient 1 erreur :');
    expect(t('validation.summary', { n: 3 })).toBe('Le formulaire contient 3 erreurs :');
    expect(t('outgoing.blockedCount', { n: 1 })).toBe('1 obligation bloquée faute de base légale.');
    expect(t('inbox.newArrived', { n: 2 })).toBe('2 nouvelles notifications.');
    expect(t('admin.uploaded', { version: 2, id: 'dinant', n: 1 })).toBe(
      'Version 2 de dinant déposée ; elle attend la signature de 1 partenaire.',
    );
  });

  it('in Dutch and English too', () => {
    expect(interpolate(nl['validation.summary'], { n: 1 }, 'nl-BE')).toBe(
      'Het formulier bevat 1 fout:',
    );
    expect(interpolate(en['validation.summary'], { n: 3 }, 'en-BE')).toBe('The form has 3 errors:');
    expect(interpolate(en['app.workingDays'], { n: 1 }, 'en-BE')).toBe('1 working day');
  });

  it.each(Object.keys(DICTIONARIES) as (keyof typeof DICTIONARIES)[])(
    'leaves no “(s)” in %s: every count chooses its form, with an “other” form',
    (language) => {
      const messages: Record<string, string> = DICTIONARIES[language];
      const hedged = Object.entries(messages).filter(([, text]) =>
        /\w\((s|es|e|en|x)\)|\w\/\w+en\b/.test(text),
      );
      expect(hedged).toEqual([]);
      for (const [key, text] of Object.entries(messages)) {
        if (!text.includes(', plural,')) continue;
        expect([key, text]).toEqual([key, expect.stringMatching(/other \{/)]);
        for (const n of [0, 1, 2, 5])
          expect(interpolate(text, { n, version: 1, id: 'x' }, LOCALES[language])).not.toMatch(
            /plural|[{}]/,
          );
      }
    },
  );
});
