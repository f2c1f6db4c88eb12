import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';

// Authorization code + PKCE against the realm's public client "marketops-console"
// (deploy/local/keycloak/marketops-realm.json). Tokens live in sessionStorage: they survive a
// page refresh but not the browser tab, and no secret exists in the browser.
const origin = window.location.origin;
export const KEYCLOAK_URL: string = import.meta.env.VITE_KEYCLOAK_URL ?? 'http://127.0.0.1:8180/realms/marketops';

export const userManager = new UserManager({
  authority: KEYCLOAK_URL,
  client_id: 'marketops-console',
  redirect_uri: `${origin}/callback`,
  post_logout_redirect_uri: `${origin}/`,
  response_type: 'code',
  scope: 'openid',
  // Renews with the refresh token a minute before the access token expires.
  automaticSilentRenew: true,
  accessTokenExpiringNotificationTimeInSeconds: 60,
  userStore: new WebStorageStateStore({ store: window.sessionStorage }),
});

export type Role = 'operator' | 'auditor' | 'merchant' | 'admin' | 'risk_control' | 'supplier_admin';

export interface Session {
  user: User;
  roles: Role[];
  uid: string;
  merchantId: string | null;
  name: string;
}

function claims(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
}

export function sessionOf(user: User): Session {
  const c = claims(user.access_token);
  const groups = (c.groups as string[] | undefined) ?? [];
  return {
    user,
    roles: groups as Role[],
    uid: c.uid === undefined ? '' : String(c.uid),
    merchantId: c.merchant_id === undefined || c.merchant_id === null ? null : String(c.merchant_id),
    name: String(c.preferred_username ?? c.sub ?? ''),
  };
}

const AuthContext = createContext<Session | null>(null);
export const useSession = (): Session => {
  const s = useContext(AuthContext);
  if (!s) throw new Error('no session');
  return s;
};
export const hasRole = (s: Session, ...roles: Role[]) => roles.some((r) => s.roles.includes(r));

let current: User | null = null;
export const accessToken = () => current?.access_token ?? null;

/** Renders children once a user is logged in; sends everyone else to Keycloak. */
export function AuthGate({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    const adopt = (u: User | null) => {
      current = u;
      if (!cancelled) setUser(u);
    };
    (async () => {
      try {
        if (window.location.pathname === '/callback') {
          const u = await userManager.signinRedirectCallback();
          const back = typeof u.state === 'string' && u.state.startsWith('/') ? u.state : '/';
          window.history.replaceState(null, '', back);
          adopt(u);
          return;
        }
        let u = await userManager.getUser();
        if (u && u.expired) {
          u = await userManager.signinSilent().catch(() => null);
        }
        if (!u) {
          await userManager.signinRedirect({ state: window.location.pathname + window.location.search });
          return;
        }
        adopt(u);
      } catch (e) {
        setError(String(e));
      }
    })();
    const loaded = (u: User) => adopt(u);
    const failed = () => userManager.signinRedirect({ state: window.location.pathname + window.location.search });
    userManager.events.addUserLoaded(loaded);
    userManager.events.addSilentRenewError(failed);
    return () => {
      cancelled = true;
      userManager.events.removeUserLoaded(loaded);
      userManager.events.removeSilentRenewError(failed);
    };
  }, []);

  if (error) return <pre role="alert">Login failed: {error}</pre>;
  if (!user) return null;
  return <AuthContext.Provider value={sessionOf(user)}>{children}</AuthContext.Provider>;
}

export const logout = () => userManager.signoutRedirect({ id_token_hint: current?.id_token });
