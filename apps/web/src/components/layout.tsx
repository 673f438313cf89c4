import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { LANGUAGE_NAMES, LANGUAGES, useI18n, type Language } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/fr.js';
import { Link, useLocation } from '../router.js';
import { useSession } from '../session.js';
import { WORKSPACE_PATHS, workspacesFor, type Workspace } from '../workspaces.js';
import { labelTableCells } from './table-cards.js';

const WORKSPACE_LABELS: Readonly<Record<Workspace, MessageKey>> = {
  cases: 'nav.cases',
  inbox: 'nav.inbox',
  outgoing: 'nav.outgoing',
  dashboard: 'nav.dashboard',
  coordination: 'nav.coordination',
  admin: 'nav.admin',
  dpo: 'nav.dpo',
};

function LanguageSwitcher() {
  const { t, language, setLanguage } = useI18n();
  return (
    <div class="language">
      <label for="language">{t('app.language')}</label>
      <select
        id="language"
        value={language}
        onChange={(event) => setLanguage(event.currentTarget.value as Language)}
      >
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LANGUAGE_NAMES[code]}
          </option>
        ))}
      </select>
    </div>
  );
}

function SkipLink() {
  const { t } = useI18n();
  return (
    <a
      class="skip-link"
      href="#main"
      onClick={(event) => {
        event.preventDefault();
        document.getElementById('main')?.focus();
      }}
    >
      {t('app.skipToContent')}
    </a>
  );
}

/**
 * Every page: skip link, who is signed in, the language, the workspaces the roles allow. On a
 * phone all but the name fold behind a menu button, so that the page starts near the top.
 */
export function Layout({ children }: { children: ComponentChildren }) {
  const { t } = useI18n();
  const { state, signOut } = useSession();
  const { path, key } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const main = useRef<HTMLElement>(null);
  const me = state.status === 'signed-in' ? state.me : undefined;
  const workspaces = me ? workspacesFor(me.roles) : [];
  useEffect(() => setMenuOpen(false), [key, state.status]);
  useEffect(() => {
    const root = main.current;
    if (!root) return undefined;
    labelTableCells(root);
    const observer = new MutationObserver(() => labelTableCells(root));
    observer.observe(root, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, []);
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !menuOpen) return;
    setMenuOpen(false);
    menuButton.current?.focus();
  };
  return (
    <>
      <SkipLink />
      <div class={menuOpen ? 'chrome menu-open' : 'chrome'} onKeyDown={closeOnEscape}>
        <header class="site-header">
          <div class="brand">
            <Link href="/" class="brand-name">
              {t('app.name')}
            </Link>
            <span class="tagline">{t('app.tagline')}</span>
          </div>
          <button
            type="button"
            class="menu-button"
            ref={menuButton}
            aria-expanded={menuOpen ? 'true' : 'false'}
            aria-controls={workspaces.length > 0 ? 'site-tools site-nav' : 'site-tools'}
            onClick={() => setMenuOpen(!menuOpen)}
          >
            <span class="menu-icon" aria-hidden="true" />
            {t('app.menu')}
          </button>
          <div class="header-tools" id="site-tools">
            <LanguageSwitcher />
            {me && (
              <div class="who">
                <span>
                  {t('app.signedInAs', {
                    name: me.name ?? me.email,
                    organisation: me.organisation?.name ?? me.organisationId,
                  })}
                </span>
                <button type="button" class="link-button" onClick={() => void signOut()}>
                  {t('app.signOut')}
                </button>
              </div>
            )}
          </div>
        </header>
        {workspaces.length > 0 && (
          <nav class="workspaces" id="site-nav" aria-label={t('app.workspaces')}>
            <ul>
              {workspaces.map((workspace) => {
                const href = WORKSPACE_PATHS[workspace];
                const current = path === href || path.startsWith(`${href}/`);
                return (
                  <li key={workspace}>
                    <Link href={href} aria-current={current ? 'page' : undefined}>
                      {t(WORKSPACE_LABELS[workspace])}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
        )}
      </div>
      <main id="main" tabIndex={-1} ref={main}>
        {children}
      </main>
    </>
  );
}
