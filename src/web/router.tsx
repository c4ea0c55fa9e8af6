/** The route tree (code-based). Pages behind `/_app` require a session. */
import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from '@tanstack/react-router';
import { NotFoundPage } from './components/NotFoundPage.js';
import { Loading } from './components/PageState.js';
import { RouteError } from './components/RouteError.js';
import { loadPageMessages } from './i18n/index.js';
import { sessionQuery } from './lib/session.js';
import { SignInPage } from './features/identity/SignInPage.js';
import {
  validateCatalogSearch,
  validateInventorySearch,
  validateNewItem,
  validateSignedOut,
  validateSignIn,
  validateToken,
  validateVendorPage,
} from './routes/search.js';

// Each page is its own chunk, loaded when its route is first visited (or on hover of a link to it):
// the sign-in page loads neither the charts, nor the bank editor, nor the admin pages.
const AppLayout = lazyRouteComponent(() => import('./components/AppLayout.js'), 'AppLayout');
const AssessmentDetailPage = lazyRouteComponent(() => import('./features/assessments/AssessmentDetailPage.js'), 'AssessmentDetailPage');
const AssessmentListPage = lazyRouteComponent(() => import('./features/assessments/AssessmentListPage.js'), 'AssessmentListPage');
const BankListPage = lazyRouteComponent(() => import('./features/assessments/BankPage.js'), 'BankListPage');
const BankTemplatePage = lazyRouteComponent(() => import('./features/assessments/BankPage.js'), 'BankTemplatePage');
const MergePage = lazyRouteComponent(() => import('./features/assessments/MergePage.js'), 'MergePage');
const CatalogPage = lazyRouteComponent(() => import('./features/catalog/CatalogPage.js'), 'CatalogPage');
const DashboardPage = lazyRouteComponent(() => import('./features/reports/DashboardPage.js'), 'DashboardPage');
const ExportsPage = lazyRouteComponent(() => import('./features/reports/ExportsPage.js'), 'ExportsPage');
const ReportPage = lazyRouteComponent(() => import('./features/reports/ReportPage.js'), 'ReportPage');
const ReportsPage = lazyRouteComponent(() => import('./features/reports/ReportsPage.js'), 'ReportsPage');
const InstitutionsPage = lazyRouteComponent(() => import('./features/tenants/InstitutionsPage.js'), 'InstitutionsPage');
const AcceptInvitePage = lazyRouteComponent(() => import('./features/identity/AcceptInvitePage.js'), 'AcceptInvitePage');
const InventoryAddPage = lazyRouteComponent(() => import('./features/inventory/InventoryAddPage.js'), 'InventoryAddPage');
const InventoryDetailPage = lazyRouteComponent(() => import('./features/inventory/InventoryDetailPage.js'), 'InventoryDetailPage');
const InventoryListPage = lazyRouteComponent(() => import('./features/inventory/InventoryListPage.js'), 'InventoryListPage');
const AuditLogPage = lazyRouteComponent(() => import('./features/audit/AuditLogPage.js'), 'AuditLogPage');
const MyDataPage = lazyRouteComponent(() => import('./features/identity/MyDataPage.js'), 'MyDataPage');
const NotificationsPage = lazyRouteComponent(() => import('./features/reminders/NotificationsPage.js'), 'NotificationsPage');
const SettingsPage = lazyRouteComponent(() => import('./features/tenants/SettingsPage.js'), 'SettingsPage');
const PublicListPage = lazyRouteComponent(() => import('./features/public/PublicListPage.js'), 'PublicListPage');
const UsersPage = lazyRouteComponent(() => import('./features/identity/UsersPage.js'), 'UsersPage');
const PlatformAdminsPage = lazyRouteComponent(() => import('./features/identity/PlatformAdminsPage.js'), 'PlatformAdminsPage');
const AccountPage = lazyRouteComponent(() => import('./features/identity/AccountPage.js'), 'AccountPage');
const ConfirmEmailPage = lazyRouteComponent(() => import('./features/identity/PasswordPages.js'), 'ConfirmEmailPage');
const ForgotPasswordPage = lazyRouteComponent(() => import('./features/identity/PasswordPages.js'), 'ForgotPasswordPage');
const ResetPasswordPage = lazyRouteComponent(() => import('./features/identity/PasswordPages.js'), 'ResetPasswordPage');
const SignedOutPage = lazyRouteComponent(() => import('./features/identity/SignedOutPage.js'), 'SignedOutPage');
const SsoSettingsPage = lazyRouteComponent(() => import('./features/identity/SsoSettingsPage.js'), 'SsoSettingsPage');
const PrivacyPolicyPage = lazyRouteComponent(() => import('./features/policy/PrivacyPolicyPage.js'), 'PrivacyPolicyPage');
const PrivacyPolicyAdminPage = lazyRouteComponent(() => import('./features/policy/PrivacyPolicyAdminPage.js'), 'PrivacyPolicyAdminPage');
const MailboxPage = lazyRouteComponent(() => import('./features/policy/MailboxPage.js'), 'MailboxPage');
const BankBundlesPage = lazyRouteComponent(() => import('./features/bundle/BankBundlesPage.js'), 'BankBundlesPage');
const RequestFormPage = lazyRouteComponent(() => import('./features/requests/RequestFormPage.js'), 'RequestFormPage');
const RequestStatusPage = lazyRouteComponent(() => import('./features/requests/RequestStatusPage.js'), 'RequestStatusPage');
const TriagePage = lazyRouteComponent(() => import('./features/requests/TriagePage.js'), 'TriagePage');
const VendorPage = lazyRouteComponent(() => import('./features/vendors/VendorPage.js'), 'VendorPage');
const VendorQuestionnairesPage = lazyRouteComponent(
  () => import('./features/vendors/VendorQuestionnairesPage.js'),
  'VendorQuestionnairesPage',
);
const VendorReviewPage = lazyRouteComponent(() => import('./features/vendors/VendorReviewPage.js'), 'VendorReviewPage');
const CertificatesPage = lazyRouteComponent(() => import('./features/lifecycle/CertificatesPage.js'), 'CertificatesPage');

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  // Every page but the sign-in page reads the page messages: loaded before it renders.
  beforeLoad: async ({ location }) => {
    if (location.pathname !== '/sign-in') await loadPageMessages();
  },
  component: Outlet,
  notFoundComponent: NotFoundPage,
});

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'sign-in',
  validateSearch: validateSignIn,
  component: SignInPage,
});

const signedOutRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'signed-out',
  validateSearch: validateSignedOut,
  component: SignedOutPage,
});

const inviteRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'invite',
  validateSearch: validateToken,
  component: AcceptInvitePage,
});

const forgotPasswordRoute = createRoute({ getParentRoute: () => rootRoute, path: 'forgot-password', component: ForgotPasswordPage });
const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'reset-password',
  validateSearch: validateToken,
  component: ResetPasswordPage,
});
const privacyRoute = createRoute({ getParentRoute: () => rootRoute, path: 'privacy', component: PrivacyPolicyPage });
const privacyVersionRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'privacy/versions/$number',
  component: PrivacyPolicyPage,
});
const publicListRoute = createRoute({ getParentRoute: () => rootRoute, path: 'public/$slug', component: PublicListPage });
const staffRequestRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'staff-request',
  validateSearch: validateToken,
  component: RequestFormPage,
});
const staffRequestStatusRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'staff-request/status',
  validateSearch: validateToken,
  component: RequestStatusPage,
});
const vendorRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'vendor',
  validateSearch: validateVendorPage,
  component: VendorPage,
});
const confirmEmailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'confirm-email',
  validateSearch: validateToken,
  component: ConfirmEmailPage,
});

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: '_app',
  beforeLoad: async ({ context, location }) => {
    const session = await context.queryClient.ensureQueryData(sessionQuery);
    if (!session) throw redirect({ to: '/sign-in', search: { redirect: location.href } });
  },
  component: AppLayout,
});

const dashboardRoute = createRoute({ getParentRoute: () => appRoute, path: '/', component: DashboardPage });

const inventoryRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'inventory',
  validateSearch: validateInventorySearch,
  component: InventoryListPage,
});

const inventoryNewRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'inventory/new',
  validateSearch: validateNewItem,
  component: InventoryAddPage,
});

const inventoryItemRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'inventory/$itemId',
  component: InventoryDetailPage,
});

const catalogRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'catalog',
  validateSearch: validateCatalogSearch,
  component: CatalogPage,
});

const usersRoute = createRoute({ getParentRoute: () => appRoute, path: 'users', component: UsersPage });

const institutionsRoute = createRoute({ getParentRoute: () => appRoute, path: 'institutions', component: InstitutionsPage });
const platformAdminsRoute = createRoute({ getParentRoute: () => appRoute, path: 'platform-admins', component: PlatformAdminsPage });

const reportsRoute = createRoute({ getParentRoute: () => appRoute, path: 'reports', component: ReportsPage });
const reportRoute = createRoute({ getParentRoute: () => appRoute, path: 'reports/$reportId', component: ReportPage });
const exportsRoute = createRoute({ getParentRoute: () => appRoute, path: 'exports', component: ExportsPage });
const accountRoute = createRoute({ getParentRoute: () => appRoute, path: 'account', component: AccountPage });
const ssoSettingsRoute = createRoute({ getParentRoute: () => appRoute, path: 'sign-in-settings', component: SsoSettingsPage });
const assessmentsRoute = createRoute({ getParentRoute: () => appRoute, path: 'assessments', component: AssessmentListPage });
const assessmentRoute = createRoute({ getParentRoute: () => appRoute, path: 'assessments/$assessmentId', component: AssessmentDetailPage });
const mergeRoute = createRoute({ getParentRoute: () => appRoute, path: 'assessments/$assessmentId/merge', component: MergePage });
const bankRoute = createRoute({ getParentRoute: () => appRoute, path: 'bank', component: BankListPage });
const bankTemplateRoute = createRoute({ getParentRoute: () => appRoute, path: 'bank/$templateId', component: BankTemplatePage });
const auditRoute = createRoute({ getParentRoute: () => appRoute, path: 'audit', component: AuditLogPage });
const meRoute = createRoute({ getParentRoute: () => appRoute, path: 'me', component: MyDataPage });
const notificationsRoute = createRoute({ getParentRoute: () => appRoute, path: 'notifications', component: NotificationsPage });
const settingsRoute = createRoute({ getParentRoute: () => appRoute, path: 'settings', component: SettingsPage });
const privacyAdminRoute = createRoute({ getParentRoute: () => appRoute, path: 'privacy-policy', component: PrivacyPolicyAdminPage });
const mailboxRoute = createRoute({ getParentRoute: () => appRoute, path: 'mailbox', component: MailboxPage });
const bankBundlesRoute = createRoute({ getParentRoute: () => appRoute, path: 'bank-bundles', component: BankBundlesPage });
const triageRoute = createRoute({ getParentRoute: () => appRoute, path: 'requests', component: TriagePage });
const vendorQuestionnairesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'vendor-questionnaires',
  component: VendorQuestionnairesPage,
});
const vendorQuestionnaireRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'vendor-questionnaires/$questionnaireId',
  component: VendorReviewPage,
});
const certificatesRoute = createRoute({ getParentRoute: () => appRoute, path: 'deletion-certificates', component: CertificatesPage });

const routeTree = rootRoute.addChildren([
  signInRoute,
  signedOutRoute,
  inviteRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
  confirmEmailRoute,
  publicListRoute,
  staffRequestRoute,
  staffRequestStatusRoute,
  vendorRoute,
  privacyRoute,
  privacyVersionRoute,
  appRoute.addChildren([
    privacyAdminRoute,
    mailboxRoute,
    bankBundlesRoute,
    dashboardRoute,
    inventoryRoute,
    inventoryNewRoute,
    inventoryItemRoute,
    catalogRoute,
    usersRoute,
    institutionsRoute,
    platformAdminsRoute,
    reportsRoute,
    reportRoute,
    exportsRoute,
    accountRoute,
    ssoSettingsRoute,
    assessmentsRoute,
    assessmentRoute,
    mergeRoute,
    bankRoute,
    bankTemplateRoute,
    meRoute,
    notificationsRoute,
    auditRoute,
    settingsRoute,
    certificatesRoute,
    triageRoute,
    vendorQuestionnairesRoute,
    vendorQuestionnaireRoute,
  ]),
]);

/** Search params stay plain strings in the URL (`?grade=3,4&page=2`), not JSON-encoded. */
function parseSearch(searchStr: string): Record<string, unknown> {
  return Object.fromEntries(new URLSearchParams(searchStr));
}

function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const str = params.toString();
  return str ? `?${str}` : '';
}

export function makeRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    parseSearch,
    stringifySearch,
    defaultPreload: 'intent',
    defaultPendingComponent: Loading,
    defaultErrorComponent: RouteError,
    defaultPreloadStaleTime: 0,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}
