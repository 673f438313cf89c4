import { useEffect } from 'preact/hooks';
import { forgetReference } from './api/reference.js';
import { AdminLayout } from './admin/admin-layout.js';
import { OrganisationsPage } from './admin/organisations-page.js';
import { ProtocolsPage } from './admin/protocols-page.js';
import { RetentionPage } from './admin/retention-page.js';
import { StaffPage } from './admin/staff-page.js';
import { WebhookPage } from './admin/webhook-page.js';
import { CasePage } from './cases/case-page.js';
import { CasesPage } from './cases/cases-page.js';
import { EventFormPage } from './cases/event-form-page.js';
import { OpenCasePage } from './cases/open-case-page.js';
import { Layout } from './components/layout.js';
import { Loading } from './components/page.js';
import { DashboardPage } from './dashboard/dashboard-page.js';
import { AccessLogPage } from './dpo/access-log-page.js';
import { ErasuresPage } from './dpo/erasures-page.js';
import { PeoplePage } from './dpo/people-page.js';
import { RetentionPage as DpoRetentionPage } from './dpo/retention-page.js';
import { I18nProvider } from './i18n/i18n.js';
import { InboxPage } from './inbox/inbox-page.js';
import { OutgoingPage } from './inbox/outgoing-page.js';
import { LoginPage, OIDC_CALLBACK_PATH, safeNext } from './pages/login.js';
import { ForbiddenPage, NotFoundPage, NoWorkspacePage } from './pages/not-found.js';
import { OidcCallbackPage } from './pages/oidc-callback.js';
import { matchPath, navigate, useLocation } from './router.js';
import { SessionProvider, useSession } from './session.js';
import {
  adminSectionsFor,
  mayUse,
  WORKSPACE_PATHS,
  workspacesFor,
  type Workspace,
} from './workspaces.js';
import type { Me } from '@relais/wire';
import type { ComponentChildren } from 'preact';

/** Moves to another path once rendered (a redirect must not happen during a render). */
function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return <Loading />;
}

interface Route {
  readonly pattern: string;
  readonly workspace?: Workspace;
  readonly render: (params: Record<string, string>, me: Me) => ComponentChildren;
}

const ROUTES: readonly Route[] = [
  {
    pattern: '/',
    render: (_, me) => {
      const first = workspacesFor(me.roles)[0];
      return first ? <Redirect to={WORKSPACE_PATHS[first]} /> : <NoWorkspacePage />;
    },
  },
  { pattern: '/cases', workspace: 'cases', render: () => <CasesPage /> },
  { pattern: '/cases/new', workspace: 'cases', render: () => <OpenCasePage /> },
  {
    pattern: '/cases/:id',
    workspace: 'cases',
    render: ({ id = '' }) => <CasePage key={id} id={id} />,
  },
  {
    pattern: '/cases/:id/events/new',
    workspace: 'cases',
    render: ({ id = '' }) => <EventFormPage key={id} id={id} />,
  },
  { pattern: '/inbox', workspace: 'inbox', render: () => <InboxPage /> },
  { pattern: '/outgoing', workspace: 'outgoing', render: () => <OutgoingPage /> },
  { pattern: '/dashboard', workspace: 'dashboard', render: () => <DashboardPage /> },
  {
    pattern: '/admin',
    workspace: 'admin',
    render: (_, me) => (
      <Redirect to={`/admin/${adminSectionsFor(me.roles)[0] ?? 'organisations'}`} />
    ),
  },
  { pattern: '/dpo', workspace: 'dpo', render: () => <PeoplePage /> },
  { pattern: '/dpo/log', workspace: 'dpo', render: () => <AccessLogPage /> },
  { pattern: '/dpo/erasures', workspace: 'dpo', render: () => <ErasuresPage /> },
  { pattern: '/dpo/retention', workspace: 'dpo', render: () => <DpoRetentionPage /> },
  { pattern: '/admin/organisations', workspace: 'admin', render: () => <OrganisationsPage /> },
  { pattern: '/admin/staff', workspace: 'admin', render: () => <StaffPage /> },
  { pattern: '/admin/protocols', workspace: 'admin', render: () => <ProtocolsPage /> },
  {
    pattern: '/admin/webhook',
    workspace: 'admin',
    render: (_, me) =>
      adminSectionsFor(me.roles).includes('webhook') ? (
        <WebhookPage />
      ) : (
        <AdminLayout section="webhook">
          <ForbiddenPage />
        </AdminLayout>
      ),
  },
  {
    pattern: '/admin/retention',
    workspace: 'admin',
    render: (_, me) =>
      adminSectionsFor(me.roles).includes('retention') ? (
        <RetentionPage />
      ) : (
        <AdminLayout section="retention">
          <ForbiddenPage />
        </AdminLayout>
      ),
  },
];

function Routes() {
  const { state } = useSession();
  const { path, query } = useLocation();
  useEffect(() => {
    if (state.status === 'anonymous') forgetReference();
  }, [state.status]);

  if (path === OIDC_CALLBACK_PATH) return <OidcCallbackPage />;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'anonymous') return <LoginPage reason={state.reason} />;
  if (path === '/login') return <Redirect to={safeNext(query.get('next'))} />;
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, path);
    if (!params) continue;
    if (route.workspace && !mayUse(state.me.roles, route.workspace)) return <ForbiddenPage />;
    return <>{route.render(params, state.me)}</>;
  }
  return <NotFoundPage />;
}

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <Layout>
          <Routes />
        </Layout>
      </SessionProvider>
    </I18nProvider>
  );
}
