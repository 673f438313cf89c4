import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { api, onSessionExpired } from './api/client.js';
import type { Me, ProviderReturn } from '@relais/wire';

export type SignOutReason = 'expired' | 'signed-out';

export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'anonymous'; readonly reason?: SignOutReason }
  | { readonly status: 'signed-in'; readonly me: Me };

export interface SessionApi {
  readonly state: SessionState;
  /** Local accounts: `POST /auth/token`, which sets the session cookie. */
  readonly signIn: (email: string, password: string) => Promise<void>;
  /** Back from the identity provider: `POST /auth/oidc` exchanges the code and sets the cookie. */
  readonly signInWithProvider: (back: ProviderReturn) => Promise<void>;
  readonly signOut: () => Promise<void>;
}

/**
 * Says to the other tabs that this browser signed in (when) or out (removed). It holds no
 * secret: the session itself is the HttpOnly cookie, which no script reads. A tab that loads
 * without it does not ask the API who is signed in.
 */
const SIGNED_IN = 'relais.signedIn';

function marked(): boolean {
  try {
    return localStorage.getItem(SIGNED_IN) !== null;
  } catch {
    return false;
  }
}

function mark(signedIn: boolean): void {
  try {
    if (signedIn) localStorage.setItem(SIGNED_IN, new Date().toISOString());
    else localStorage.removeItem(SIGNED_IN);
  } catch {
    // Storage refused (private mode): this tab's session still works, other tabs follow on a 401.
  }
}

const SessionContext = createContext<SessionApi | undefined>(undefined);

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [state, setState] = useState<SessionState>(() =>
    marked() ? { status: 'loading' } : { status: 'anonymous' },
  );

  const loadMe = useCallback(async () => {
    const me = await api<Me>('GET', '/me');
    setState({ status: 'signed-in', me });
  }, []);

  useEffect(() => {
    onSessionExpired(() => {
      mark(false);
      setState({ status: 'anonymous', reason: 'expired' });
    });
    if (marked()) loadMe().catch(() => setState({ status: 'anonymous', reason: 'expired' }));
    // Another tab signed in or out: this one follows.
    const follow = (event: StorageEvent) => {
      if (event.key !== SIGNED_IN && event.key !== null) return;
      if (marked()) loadMe().catch(() => setState({ status: 'anonymous', reason: 'expired' }));
      else setState({ status: 'anonymous', reason: 'signed-out' });
    };
    addEventListener('storage', follow);
    return () => removeEventListener('storage', follow);
  }, [loadMe]);

  const signedIn = useCallback(async () => {
    mark(true);
    await loadMe();
  }, [loadMe]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      await api('POST', '/auth/token', { body: { email, password } });
      await signedIn();
    },
    [signedIn],
  );

  const signInWithProvider = useCallback(
    async (back: ProviderReturn) => {
      await api('POST', '/auth/oidc', { body: back });
      await signedIn();
    },
    [signedIn],
  );

  const signOut = useCallback(async () => {
    mark(false);
    setState({ status: 'anonymous', reason: 'signed-out' });
    await api('POST', '/auth/sign-out').catch(() => undefined);
  }, []);

  const value = useMemo(
    () => ({ state, signIn, signInWithProvider, signOut }),
    [state, signIn, signInWithProvider, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in member of staff; only for pages behind the sign-in. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe before sign-in');
  return state.me;
}
