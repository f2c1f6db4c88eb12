import { AppShell, Badge, Button, Group, NavLink, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { hasRole, logout, useSession, type Role, type Session } from './auth';
import { useI18n } from './i18n';

// Menus by role, following platform's Permission table: a menu entry appears only for the
// roles whose permissions its API allows (the API decides anyway).
type Entry = { to: string; label: 'nav.products' | 'nav.listings' | 'nav.newListing' | 'nav.reviews' | 'nav.batches' | 'nav.categories' | 'nav.auditMatrix' | 'nav.deadLetters' | 'nav.operations' | 'nav.suppliers'; roles: Role[] };
const MENU: Entry[] = [
  { to: '/products', label: 'nav.products', roles: ['operator', 'auditor', 'merchant', 'admin', 'risk_control'] },
  { to: '/listings', label: 'nav.listings', roles: ['operator', 'auditor', 'merchant', 'admin', 'risk_control'] },
  { to: '/listings/new', label: 'nav.newListing', roles: ['operator', 'merchant', 'admin'] },
  { to: '/reviews', label: 'nav.reviews', roles: ['auditor', 'admin'] },
  { to: '/batches', label: 'nav.batches', roles: ['operator', 'merchant', 'admin', 'risk_control'] },
  // config:read (everyone but the service role); the write controls inside are for admins (config:write).
  { to: '/config/categories', label: 'nav.categories', roles: ['operator', 'auditor', 'admin', 'risk_control', 'supplier_admin'] },
  { to: '/config/audit', label: 'nav.auditMatrix', roles: ['operator', 'auditor', 'admin', 'risk_control'] },
  { to: '/ops/runs', label: 'nav.operations', roles: ['operator', 'auditor', 'admin', 'risk_control'] },
  { to: '/ops/suppliers', label: 'nav.suppliers', roles: ['supplier_admin', 'admin'] },
  { to: '/ops/dead-letters', label: 'nav.deadLetters', roles: ['admin'] },
];
export const menuFor = (s: Session) => MENU.filter((e) => hasRole(s, ...e.roles));

let home = '/products';
export const homeOf = () => home;

export function Layout({ children }: { children: ReactNode }) {
  const session = useSession();
  const { t, lang, setLang } = useI18n();
  const location = useLocation();
  const menu = menuFor(session);
  home = hasRole(session, 'operator', 'merchant', 'admin') || !hasRole(session, 'auditor') ? '/products' : '/reviews';
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: 0 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={4}>{t('app.title')}</Title>
          <Group gap="xs">
            <Text size="sm" data-testid="user-name">{session.name}</Text>
            {session.roles.filter((r) => MENU.some((e) => e.roles.includes(r))).map((r) => <Badge key={r} variant="light">{r}</Badge>)}
            {session.merchantId && <Badge color="grape" variant="light">shop {session.merchantId}</Badge>}
            <Button size="xs" variant="subtle" onClick={() => setLang(lang === 'en' ? 'zh' : 'en')}>{t('lang.switch')}</Button>
            <Button size="xs" variant="default" onClick={() => logout()}>{t('auth.logout')}</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="menu">
        {menu.map((e) => (
          <NavLink key={e.to} component={Link} to={e.to} label={t(e.label)}
            active={location.pathname === e.to} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
