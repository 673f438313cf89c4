import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import {
  api,
  ApiError,
  clearSession,
  onSessionExpired,
  storedSession,
  storeSession,
  type Session as StoredSession,
} from './api/client.js';
import type { Me, TokenAnswer } from '@relais/wire';

export type SignOutReason = 'expired' | 'signed-out';

export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'anonymous'; readonly reason?: SignOutReason }
  | { readonly status: 'signed-in'; readonly me: Me };

export interface SessionApi {
  readonly state: SessionState;
  /** Local accounts: `POST /auth/token`. */
  readonly signIn: (email: string, password: string) => Promise<void>;
  /** A token an identity provider handed over (OIDC redirect): kept if the API accepts it. */
  readonly acceptToken: (session: StoredSession) => Promise<void>;
  readonly signOut: () => void;
}

const SessionContext = createContext<SessionApi | undefined>(undefined);

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [state, setState] = useState<SessionState>(() =>
    storedSession() ? { status: 'loading' } : { status: 'anonymous' },
  );

  const loadMe = useCallback(async () => {
    const me = await api<Me>('GET', '/me');
    setState({ status: 'signed-in', me });
  }, []);

  useEffect(() => {
    onSessionExpired(() => setState({ status: 'anonymous', reason: 'expired' }));
    if (storedSession()) {
      loadMe().catch(() => {
        clearSession();
        setState({ status: 'anonymous', reason: 'expired' });
      });
    }
  }, [loadMe]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const token = await api<TokenAnswer>('POST', '/auth/token', { body: { email, password } });
      storeSession({ accessToken: token.accessToken, expiresAt: token.expiresAt });
      await loadMe();
    },
    [loadMe],
  );

  const acceptToken = useCallback(
    async (session: StoredSession) => {
      storeSession(session);
      try {
        await loadMe();
      } catch (error) {
        clearSession();
        setState({ status: 'anonymous' });
        throw error instanceof ApiError ? error : new ApiError({ status: 0, code: 'NETWORK' });
      }
    },
    [loadMe],
  );

  const signOut = useCallback(() => {
    clearSession();
    setState({ status: 'anonymous', reason: 'signed-out' });
  }, []);

  const value = useMemo(
    () => ({ state, signIn, acceptToken, signOut }),
    [state, signIn, acceptToken, signOut],
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
