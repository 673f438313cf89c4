import { useEffect } from 'preact/hooks';
import { forgetReference } from './api/reference.js';
import { Layout } from './components/layout.js';
import { Lazy } from './components/lazy.js';
import { Loading } from './components/page.js';
import { I18nProvider } from './i18n/i18n.js';
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
  type AdminSection,
  type Workspace,
} from './workspaces.js';
import type { Me } from '@relais/wire';
import type { ComponentChildren } from 'preact';

/** Moves to another path once rendered (a redirect must not happen during a render). */
function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return <Loading />;
}

const cases = () => import('./cases/cases-workspace.js');
const inbox = () => import('./inbox/inbox-workspace.js');
const dashboard = () => import('./dashboard/dashboard-workspace.js');
const admin = () => import('./admin/admin-workspace.js');
const dpo = () => import('./dpo/dpo-workspace.js');
const coordination = () => import('./coordination/coordination-workspace.js');

/** An administration section not every role of the workspace opens: refused within its layout. */
function restricted(
  me: Me,
  section: AdminSection,
  page: (m: Awaited<ReturnType<typeof admin>>) => ComponentChildren,
) {
  return (
    <Lazy
      load={admin}
      render={(m) =>
        adminSectionsFor(me.roles).includes(section) ? (
          page(m)
        ) : (
          <m.AdminLayout section={section}>
            <ForbiddenPage />
          </m.AdminLayout>
        )
      }
    />
  );
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
  {
    pattern: '/cases',
    workspace: 'cases',
    render: () => <Lazy load={cases} render={(m) => <m.CasesPage />} />,
  },
  {
    pattern: '/cases/new',
    workspace: 'cases',
    render: () => <Lazy load={cases} render={(m) => <m.OpenCasePage />} />,
  },
  {
    pattern: '/cases/:id',
    workspace: 'cases',
    render: ({ id = '' }) => <Lazy load={cases} render={(m) => <m.CasePage key={id} id={id} />} />,
  },
  {
    pattern: '/cases/:id/events/new',
    workspace: 'cases',
    render: ({ id = '' }) => (
      <Lazy load={cases} render={(m) => <m.EventFormPage key={id} id={id} />} />
    ),
  },
  {
    pattern: '/inbox',
    workspace: 'inbox',
    render: () => <Lazy load={inbox} render={(m) => <m.InboxPage />} />,
  },
  {
    pattern: '/outgoing',
    workspace: 'outgoing',
    render: () => <Lazy load={inbox} render={(m) => <m.OutgoingPage />} />,
  },
  {
    pattern: '/dashboard',
    workspace: 'dashboard',
    render: () => <Lazy load={dashboard} render={(m) => <m.DashboardPage />} />,
  },
  {
    pattern: '/admin',
    workspace: 'admin',
    render: (_, me) => (
      <Redirect to={`/admin/${adminSectionsFor(me.roles)[0] ?? 'organisations'}`} />
    ),
  },
  {
    pattern: '/coordination',
    workspace: 'coordination',
    render: (_, me) => (
      <Redirect
        to={me.roles.includes('coordinator') ? '/coordination/members' : '/coordination/bodies'}
      />
    ),
  },
  {
    pattern: '/coordination/members',
    workspace: 'coordination',
    render: () => <Lazy load={coordination} render={(m) => <m.MembersPage />} />,
  },
  {
    pattern: '/coordination/bodies',
    workspace: 'coordination',
    render: () => <Lazy load={coordination} render={(m) => <m.BodiesPage />} />,
  },
  {
    pattern: '/coordination/bodies/:id',
    workspace: 'coordination',
    render: ({ id = '' }) => (
      <Lazy load={coordination} render={(m) => <m.BodyPage key={id} id={id} />} />
    ),
  },
  {
    pattern: '/coordination/meetings/:id',
    workspace: 'coordination',
    render: ({ id = '' }) => (
      <Lazy load={coordination} render={(m) => <m.MeetingPage key={id} id={id} />} />
    ),
  },
  {
    pattern: '/coordination/minutes',
    workspace: 'coordination',
    render: () => <Lazy load={coordination} render={(m) => <m.MinutesPage />} />,
  },
  {
    pattern: '/dpo',
    workspace: 'dpo',
    render: () => <Lazy load={dpo} render={(m) => <m.PeoplePage />} />,
  },
  {
    pattern: '/dpo/log',
    workspace: 'dpo',
    render: () => <Lazy load={dpo} render={(m) => <m.AccessLogPage />} />,
  },
  {
    pattern: '/dpo/erasures',
    workspace: 'dpo',
    render: () => <Lazy load={dpo} render={(m) => <m.ErasuresPage />} />,
  },
  {
    pattern: '/dpo/retention',
    workspace: 'dpo',
    render: () => <Lazy load={dpo} render={(m) => <m.RetentionPage />} />,
  },
  {
    pattern: '/admin/organisations',
    workspace: 'admin',
    render: () => <Lazy load={admin} render={(m) => <m.OrganisationsPage />} />,
  },
  {
    pattern: '/admin/staff',
    workspace: 'admin',
    render: () => <Lazy load={admin} render={(m) => <m.StaffPage />} />,
  },
  {
    pattern: '/admin/protocols',
    workspace: 'admin',
    render: () => <Lazy load={admin} render={(m) => <m.ProtocolsPage />} />,
  },
  {
    pattern: '/admin/webhook',
    workspace: 'admin',
    render: (_, me) => restricted(me, 'webhook', (m) => <m.WebhookPage />),
  },
  {
    pattern: '/admin/retention',
    workspace: 'admin',
    render: (_, me) => restricted(me, 'retention', (m) => <m.RetentionPage />),
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
