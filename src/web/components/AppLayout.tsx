/** The signed-in shell: header (product, institution, language, sign-out), navigation, page outlet. */
import { Anchor, AppShell, Burger, Button, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Navigate, Outlet, useLocation, useNavigate } from '@tanstack/react-router';
import { useFocusHeadingOnRouteChange } from './use-focus-heading.js';
import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ReadOnlyBanner } from '../features/lifecycle/ReadOnly.js';
import { ReauthProvider } from '../features/identity/Reauth.js';
import { PrivacyNoticeBanner } from '../features/policy/PrivacyNoticeBanner.js';
import { NotificationBell } from '../features/reminders/NotificationBell.js';
import { hasStoredLanguage } from '../i18n/index.js';
import type { Language } from '../i18n/types.js';
import { api } from '../lib/api.js';
import { useSession, useSignOut } from '../lib/session.js';
import { InstitutionSwitcher } from './InstitutionSwitcher.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { OperatorAccessBanner } from './OperatorAccessBanner.js';
import { AnchorLink } from './links.js';
import { NavLinkItem } from './nav-link.js';
import { Loading } from './PageState.js';

export function AppLayout() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  // A browser without a choice of its own speaks the language chosen on the account.
  const accountLanguage = session?.user.language ?? null;
  useEffect(() => {
    if (accountLanguage && !hasStoredLanguage() && accountLanguage !== i18n.language) void i18n.changeLanguage(accountLanguage);
  }, [accountLanguage, i18n]);
  const signOut = useSignOut();
  const navigate = useNavigate();
  const location = useLocation();
  useFocusHeadingOnRouteChange(location.pathname);
  const [opened, { toggle, close }] = useDisclosure(false);

  // Signed out (or the session expired): sign in again, then come back here.
  if (!session) {
    return location.pathname === '/sign-in' ? null : <Navigate to="/sign-in" search={{ redirect: location.href }} replace />;
  }
  const { abilities, user, institution } = session;

  // The account remembers the choice: printed outputs and email use it.
  const saveLanguage = (language: Language) => void api('/me', { method: 'PATCH', body: { language } }).catch(() => undefined);

  const onSignOut = () => {
    signOut.mutate(undefined, {
      // After an OIDC sign-in, the provider's session ends too (it sends the browser back to /sign-in).
      onSuccess: (r) => (r?.logoutUrl ? window.location.assign(r.logoutUrl) : void navigate({ to: '/sign-in', replace: true })),
      onError: () => void navigate({ to: '/sign-in', replace: true }),
    });
  };

  return (
    <AppShell header={{ height: 64 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <Anchor href="#main" className="skip-link">
        {t('shell.skipToContent')}
      </Anchor>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('shell.toggleNav')} />
            <AnchorLink to="/" fw={700} fz="xl" underline="never" c="blue.8">
              {t('common.appName')}
            </AnchorLink>
            {abilities.manageInstitutions ? null : institution ? (
              <Text size="sm" c="dimmed" visibleFrom="xs" data-testid="current-institution">
                {institution.name}
              </Text>
            ) : null}
          </Group>
          <Group gap="sm" wrap="nowrap">
            {abilities.manageInstitutions ? <InstitutionSwitcher session={session} /> : null}
            {/* Reminders are the institution's own people's: never the operator's. */}
            {user.role === 'platform_admin' ? null : <NotificationBell />}
            <LanguageSwitch onChange={saveLanguage} />
            <Text size="sm" visibleFrom="md">
              {t('shell.signedInAs', { name: `${user.firstName} ${user.lastName}` })}
            </Text>
            <Button variant="default" size="compact-sm" onClick={onSignOut} loading={signOut.isPending}>
              {t('shell.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('shell.nav')}>
        <NavLinkItem to="/" label={t('shell.dashboard')} onClick={close} activeOptions={{ exact: true }} />
        <NavLinkItem to="/inventory" label={t('shell.inventory')} onClick={close} />
        <NavLinkItem to="/assessments" label={t('assessments.nav')} onClick={close} />
        {abilities.manageInstitutions ? null : <NavLinkItem to="/requests" label={t('staffRequests.triage.nav')} onClick={close} />}
        <NavLinkItem to="/catalog" label={t('shell.catalog')} onClick={close} />
        {/* Reports are the institution's own: platform admins see run counts only. */}
        {abilities.manageInstitutions ? null : <NavLinkItem to="/reports" label={t('reports.nav.reports')} onClick={close} />}
        {abilities.manageUsers && !abilities.manageInstitutions ? (
          <NavLinkItem to="/exports" label={t('reports.nav.exports')} onClick={close} />
        ) : null}
        {user.role === 'platform_admin' ? null : <NavLinkItem to="/notifications" label={t('reminders.nav')} onClick={close} />}
        <NavLinkItem to="/me" label={t('me.nav')} onClick={close} />
        {abilities.manageCatalog ? <NavLinkItem to="/bank" label={t('assessments.navBank')} onClick={close} /> : null}
        {user.role === 'platform_admin' || (user.role === 'site_admin' && abilities.manageUsers) ? (
          <NavLinkItem to="/vendor-questionnaires" label={t('vendors.nav')} onClick={close} />
        ) : null}
        {abilities.manageUsers ? <NavLinkItem to="/users" label={t('shell.users')} onClick={close} /> : null}
        {abilities.manageUsers ? <NavLinkItem to="/audit" label={t('audit.nav')} onClick={close} /> : null}
        {abilities.manageUsers ? <NavLinkItem to="/settings" label={t('shell.settings')} onClick={close} /> : null}
        {abilities.manageInstitutions ? <NavLinkItem to="/institutions" label={t('shell.institutions')} onClick={close} /> : null}
        {abilities.manageInstitutions ? (
          <NavLinkItem to="/deletion-certificates" label={t('lifecycle.certificates.nav')} onClick={close} />
        ) : null}
        {abilities.manageInstitutions ? <NavLinkItem to="/platform-admins" label={t('users.platformAdmins.nav')} onClick={close} /> : null}
        {abilities.manageInstitutions ? <NavLinkItem to="/privacy-policy" label={t('privacyPolicy.admin.nav')} onClick={close} /> : null}
        {abilities.manageInstitutions ? <NavLinkItem to="/mailbox" label={t('privacyPolicy.mailbox.nav')} onClick={close} /> : null}
        {abilities.manageCatalog ? <NavLinkItem to="/bank-bundles" label={t('regionCells.nav')} onClick={close} /> : null}
        {abilities.manageSso ? <NavLinkItem to="/sign-in-settings" label={t('identity.nav.sso')} onClick={close} /> : null}
        <NavLinkItem to="/account" label={t('identity.nav.account')} onClick={close} />
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <ReadOnlyBanner />
        <OperatorAccessBanner />
        {/* Site admins are told of a significant change of Vetted's privacy policy until they acknowledge it. */}
        {abilities.manageUsers && !abilities.manageInstitutions ? <PrivacyNoticeBanner /> : null}
        <ReauthProvider>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </ReauthProvider>
      </AppShell.Main>
    </AppShell>
  );
}
