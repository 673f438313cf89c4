import { CoordinationRuleViolation, refuseCaseContent } from './coordination';

describe('refuseCaseContent: services, never families', () => {
  it.each([
    'Situation de la famille 85073003328',
    'NISS 85.07.30-033.28 à vérifier',
    'Voir le dossier CIN-2026-0A1F avec le SAJ',
  ])('refuses %p', (text) => {
    expect(() => refuseCaseContent(text, 'text')).toThrow(CoordinationRuleViolation);
    expect(() => refuseCaseContent(text, 'text')).toThrow(
      expect.objectContaining({ code: 'CASE_CONTENT_REFUSED', field: 'text' }) as Error,
    );
  });

  it.each([
    'Réunion du 15/10/2026, 14 h, 12 participants',
    'Permanence au 082 21 47 50',
    'Budget 2026 : 12345678901 euros', // 11 digits whose checksum does not hold
    'Protocole CPAS-SAJ 2026',
  ])('lets %p through', (text) => {
    expect(() => refuseCaseContent(text, 'text')).not.toThrow();
  });
});
