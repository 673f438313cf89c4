import type { ComponentChildren } from 'preact';
import { Page } from '../components/page.js';
import { SectionNav } from '../components/section-nav.js';
import { useI18n } from '../i18n/i18n.js';

/** The sections of the DPO's workspace, in the order of its second navigation. */
const SECTIONS = [
  { href: '/dpo', label: 'dpo.people' },
  { href: '/dpo/log', label: 'dpo.log' },
  { href: '/dpo/erasures', label: 'dpo.erasures' },
  { href: '/dpo/retention', label: 'dpo.retention' },
] as const;

export type DpoSection = (typeof SECTIONS)[number]['label'];

/** The DPO's workspace: its sections as a second navigation, then the section. */
export function DpoLayout({
  section,
  intro,
  children,
}: {
  section: DpoSection;
  intro: string;
  children: ComponentChildren;
}) {
  const { t } = useI18n();
  return (
    <Page title={`${t('dpo.title')} — ${t(section)}`} intro={intro}>
      <SectionNav
        label={t('dpo.sections')}
        sections={SECTIONS.map((s) => ({ href: s.href, label: t(s.label) }))}
      />
      {children}
    </Page>
  );
}
