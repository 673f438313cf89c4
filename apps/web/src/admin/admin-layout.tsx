import type { ComponentChildren } from 'preact';
import { Page } from '../components/page.js';
import { SectionNav } from '../components/section-nav.js';
import { useI18n } from '../i18n/i18n.js';
import { useMe } from '../session.js';
import { adminSectionsFor, type AdminSection } from '../workspaces.js';

/** The administration workspace: its sections as a second navigation, then the section. */
export function AdminLayout({
  section,
  children,
}: {
  section: AdminSection;
  children: ComponentChildren;
}) {
  const { t } = useI18n();
  const me = useMe();
  return (
    <Page title={`${t('admin.title')} — ${t(`admin.${section}`)}`}>
      <SectionNav
        label={t('admin.sections')}
        sections={adminSectionsFor(me.roles).map((s) => ({
          href: `/admin/${s}`,
          label: t(`admin.${s}`),
        }))}
      />
      {children}
    </Page>
  );
}
