/**
 * Every route of the service, for the cross-tenant suite (test/isolation/cross-tenant.ts): each one
 * is either a case in CASES — institution B's users call it against institution A's records — or
 * an entry in EXCLUDED with the reason it has no cross-tenant case. A route in neither fails the
 * suite, so a route added later is caught until it is described here.
 *
 * Adding a route is one line in CASES, in the block of its module:
 *   'GET /api/v1/things/:id': record('thing'),                       // A's thing by id → 404, A unchanged
 *   'GET /api/v1/things': list((own) => own.thing),                   // 200, shows B's thing, none of A's
 *   'POST /api/v1/things': write(201, (a) => ({ schoolId: a.school })), // B's write naming A's ids
 *   'DELETE /api/v1/things/:id': record('thing', { forbidden: ['app'] }), // app admins 403 whatever the id
 * A new kind of record also needs its id in `makeRecords` (cross-tenant.ts) for both institutions.
 * Only when a route cannot be called across tenants at all does it go in EXCLUDED, with its reason.
 */

import { REPORT_IDS } from '../../src/contracts/reports.js';

/** Ids of one institution's records, by the kind of record a route names. */
export interface Ids {
  institution: string;
  school: string;
  /** A plain app admin (the `:id` of user routes). */
  user: string;
  siteAdmin: string;
  inventory: string;
  invitation: string;
  sso: string;
  /** The handle of the site admin's session. */
  session: string;
  assessment: string;
  /** A document attached to the institution's app. */
  attachment: string;
  section: string;
  question: string;
  risk: string;
  export: string;
  /** A claimed SSO email domain. */
  ssoDomain: string;
  /** A support-access grant to the operator. */
  supportGrant: string;
  /** A notification of the site admin (their daily digest). */
  notification: string;
  /** A staff request (asked through the institution's request page). */
  staffRequest: string;
  /** A vendor questionnaire of the institution (for one of its apps). */
  vendorQuestionnaire: string;
  /** Shared with every institution (the catalog is not tenant data). */
  catalog: string;
}
export type IdKind = keyof Ids;

/** The roles of institution B that attack: its site admin and a plain app admin. */
export type Role = 'site' | 'app';

export interface CrossTenantCase {
  /** The kind of A's record the route's `:id` names (other parameters: see PARAMS in cross-tenant.ts). */
  id?: IdKind;
  /** Literal values of path parameters that name no record (a report's name). */
  params?: Record<string, string>;
  /** Query string (with its `?`), built from A's ids. */
  query?: (a: Ids) => string;
  /** A valid body, so that only the tenant check can refuse it; built from A's ids. */
  body?: (a: Ids) => unknown;
  /** The status every attacking role must get. */
  status: number;
  /** Roles refused with 403 whatever the id: their role lacks the right, which reveals nothing about A. */
  forbidden?: Role[];
  /** For a 2xx answer: a value of B's own data it must show (a list that is empty by accident proves nothing). */
  shows?: (b: Ids) => string;
  /** For a redirect: where it must lead (the start of its Location). */
  redirectsTo?: string;
  /** Called with no session (public protocol endpoints). */
  anonymous?: true;
}

/** A's record named by `:id`: 404 to every role that has the right, and nothing of A changes. */
export const record = (id: IdKind, more: Omit<CrossTenantCase, 'id' | 'status'> = {}): CrossTenantCase => ({ id, status: 404, ...more });
/** A list or a read of B's own data: 200, shows B's row, none of A's. */
export const list = (shows?: (b: Ids) => string, more: Omit<CrossTenantCase, 'status' | 'shows'> = {}): CrossTenantCase => ({
  status: 200,
  ...(shows ? { shows } : {}),
  ...more,
});
/** A write in B's institution (its body may name A's ids): `status`, and nothing of A changes. */
export const write = (
  status: number,
  body?: (a: Ids) => unknown,
  more: Omit<CrossTenantCase, 'status' | 'body'> = {},
): CrossTenantCase => ({ status, ...(body ? { body } : {}), ...more });
/** An operator-only route: every role of an institution is refused, whatever the id. */
export const operatorOnly = (id?: IdKind, body?: (a: Ids) => unknown): CrossTenantCase => ({
  status: 403,
  ...(id ? { id } : {}),
  ...(body ? { body } : {}),
});

const pia = (body: Record<string, unknown>) => () => body;
/** A small, well-formed PDF: accepted by its bytes. */
export const PDF_FILE = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** One case per route, or several when one cannot show everything (a report with and without a filter). */
export const CASES: Record<string, CrossTenantCase | CrossTenantCase[]> = {
  // Session and account: the caller's own; no answer may hold anything of A.
  'GET /api/v1/session': list((b) => b.institution),
  'PUT /api/v1/session/institution': write(403, (a) => ({ institutionId: a.institution })),
  'GET /api/v1/account/security': list(),
  'GET /api/v1/account/sessions': list(),
  'DELETE /api/v1/account/sessions/:id': record('session'),
  'GET /api/v1/me/data': list((b) => b.institution),
  'GET /api/v1/me/export': list((b) => b.institution),
  'PATCH /api/v1/me': write(200, () => ({ language: 'fr' })),
  // Reminders: the caller's own choices and notifications (B's people each have a review reminder of B's app).
  'GET /api/v1/me/reminder-preferences': list(),
  'PUT /api/v1/me/reminder-preferences': write(200, () => ({ categories: ['reviews'], byEmail: false, decisionWaitDays: 3 })),
  'GET /api/v1/me/notifications': list((b) => b.inventory),
  'GET /api/v1/me/notifications/unread-count': list(),
  'POST /api/v1/me/notifications/:id/read': record('notification'),

  // Users and invitations.
  'GET /api/v1/users': list((b) => b.user, { forbidden: ['app'] }),
  'GET /api/v1/users/directory': list((b) => b.siteAdmin),
  'PATCH /api/v1/users/:id': record('user', { body: () => ({ canApprove: true }), forbidden: ['app'] }),
  'DELETE /api/v1/users/:id/sessions': record('user', { forbidden: ['app'] }),
  'DELETE /api/v1/users/:id/mfa': record('user', { forbidden: ['app'] }),
  'GET /api/v1/invitations': list((b) => b.invitation, { forbidden: ['app'] }),
  'POST /api/v1/invitations': write(
    201,
    () => ({ email: `invitee-${Math.random().toString(36).slice(2)}@example.org`, firstName: 'In', lastName: 'Truder', role: 'app_admin' }),
    { forbidden: ['app'] },
  ),
  'DELETE /api/v1/invitations/:id': record('invitation', { forbidden: ['app'] }),

  // Institutions.
  'GET /api/v1/institutions': list((b) => b.institution),
  'POST /api/v1/institutions': operatorOnly(undefined, () => ({
    name: 'By B',
    kind: 'district',
    country: 'CA',
    subdivision: 'BC',
    region: 'ca',
    gradeLevels: ['K'],
    firstSiteAdmin: { email: 'first-by-b@example.org', firstName: 'By', lastName: 'B' },
  })),
  'GET /api/v1/institutions/:id': record('institution'),
  'PATCH /api/v1/institutions/:id': record('institution', { body: () => ({ name: 'Renamed by B' }), forbidden: ['app'] }),
  'GET /api/v1/institutions/:id/offboarding': record('institution', { forbidden: ['app'] }),
  'PUT /api/v1/institutions/:id/offboarding': operatorOnly('institution', () => ({ contactEmail: 'dpo@example.org' })),
  'PATCH /api/v1/institutions/:id/offboarding': operatorOnly('institution', () => ({
    endOfServiceAt: new Date(Date.now() + 86_400_000).toISOString(),
  })),
  'DELETE /api/v1/institutions/:id/offboarding': operatorOnly('institution'),
  'POST /api/v1/institutions/:id/purge': operatorOnly('institution', (a) => ({ confirmName: a.institution })),
  'GET /api/v1/offboardings': operatorOnly(),
  'GET /api/v1/deletion-certificates': operatorOnly(),
  'GET /api/v1/deletion-certificates/:id': operatorOnly('institution'),
  'GET /api/v1/deletion-certificates/:id/download': operatorOnly('institution'),
  'GET /api/v1/institution/archive': list((b) => b.inventory, { forbidden: ['app'] }),

  // Catalog (shared, not tenant data): reads hold nothing of A; writes are the operator's.
  'GET /api/v1/catalog/apps': list((b) => b.catalog),
  'GET /api/v1/catalog/apps/:id': list((b) => b.catalog, { id: 'catalog' }),
  'POST /api/v1/catalog/apps': operatorOnly(undefined, () => ({ name: 'By B', vendor: 'B Inc.' })),
  // Region cells: the signed bank bundle and moving an institution in are the operator's.
  'GET /api/v1/bank-bundles': operatorOnly(),
  'POST /api/v1/bank-bundles': operatorOnly(),
  'POST /api/v1/bank-bundles/import': operatorOnly(undefined, () => ({ document: '{}' })),
  'POST /api/v1/institutions/import': operatorOnly(undefined, () => ({ archive: '{}' })),
  'PATCH /api/v1/catalog/apps/:id': operatorOnly('catalog', () => ({ name: 'Renamed by B' })),
  // The operator's mailbox (embedded mode) and Vetted's own privacy policy: the operator's.
  'GET /api/v1/operator/mailbox': operatorOnly(),
  'GET /api/v1/operator/mailbox/:id': operatorOnly('catalog'),
  'POST /api/v1/privacy-policy/versions': operatorOnly(undefined, () => ({
    kind: 'minor',
    effectiveOn: '2026-01-01',
    bodyEn: '# By B',
    bodyFr: '# Par B',
  })),
  'GET /api/v1/privacy-policy/versions/:number/deliveries': { status: 403, params: { number: '1' } },
  // A site admin's own notices (none waiting here; app admins have none).
  'GET /api/v1/privacy-policy/notices': list(),

  // Inventory.
  'GET /api/v1/inventory': list((b) => b.inventory),
  'POST /api/v1/inventory': write(400, (a) => ({ custom: { name: 'Foreign refs' }, schoolIds: [a.school], ownerUserId: a.user })),
  'GET /api/v1/inventory/:id': record('inventory'),
  'PATCH /api/v1/inventory/:id': record('inventory', { body: () => ({ version: 1, purpose: 'changed by B' }) }),
  'POST /api/v1/inventory/:id/transition': record('inventory', { body: () => ({ version: 1, status: 'in_review' }) }),
  'DELETE /api/v1/inventory/:id': record('inventory'),
  'GET /api/v1/inventory/:id/history': record('inventory'),

  // Staff requests: the request page's link is the site admins'; the triage queue is the inventory's people's.
  'GET /api/v1/staff-requests/link': list(undefined, { forbidden: ['app'] }),
  'GET /api/v1/staff-requests': list((b) => b.staffRequest),
  'GET /api/v1/staff-requests/:id': record('staffRequest'),
  'POST /api/v1/staff-requests/:id/accept': record('staffRequest', { body: () => ({}) }),
  'POST /api/v1/staff-requests/:id/merge': record('staffRequest', { body: (a) => ({ intoId: a.staffRequest }) }),
  'POST /api/v1/staff-requests/:id/decline': record('staffRequest', { body: () => ({ reason: 'Declined by B' }) }),
  // Vendor questionnaires of the institution: its site admins alone.
  'GET /api/v1/vendor-questionnaires': list((b) => b.vendorQuestionnaire, { forbidden: ['app'] }),
  'GET /api/v1/vendor-questionnaires/:id': record('vendorQuestionnaire', { forbidden: ['app'] }),
  'POST /api/v1/vendor-questionnaires': write(
    400,
    (a) => ({ inventoryItemId: a.inventory, email: 'vendor@example.org', productName: 'Intruder' }),
    { forbidden: ['app'] },
  ),
  'POST /api/v1/vendor-questionnaires/:id/review': record('vendorQuestionnaire', {
    body: () => ({ reviews: [{ questionKey: 'a.personal_info', review: 'accepted' }] }),
    forbidden: ['app'],
  }),
  'POST /api/v1/vendor-questionnaires/:id/publish': record('vendorQuestionnaire', { forbidden: ['app'] }),
  'POST /api/v1/vendor-questionnaires/:id/revoke': record('vendorQuestionnaire', { forbidden: ['app'] }),

  // Audit.
  'GET /api/v1/audit': list((b) => b.inventory, { query: () => '?pageSize=200', forbidden: ['app'] }),
  'GET /api/v1/audit/verify': list(undefined, { forbidden: ['app'] }),

  // Sign-in settings of the institution.
  'GET /api/v1/sso/connections': list((b) => b.sso, { forbidden: ['app'] }),
  'POST /api/v1/sso/connections': write(
    201,
    () => ({ preset: 'oidc', issuer: 'https://idp.example.org', displayName: 'By B', clientId: 'b', clientSecret: 'not-a-real-secret' }),
    { forbidden: ['app'] },
  ),
  'PATCH /api/v1/sso/connections/:id': record('sso', { body: () => ({ displayName: 'Renamed by B' }), forbidden: ['app'] }),
  'DELETE /api/v1/sso/connections/:id': record('sso', { forbidden: ['app'] }),
  'GET /api/v1/sso/connections/:id/links': record('sso', { forbidden: ['app'] }),
  'PUT /api/v1/sso/connections/:id/links/:userId': record('sso', { forbidden: ['app'] }),
  'DELETE /api/v1/sso/connections/:id/links/:userId': record('sso', { forbidden: ['app'] }),
  // Email domains: claimed per institution, verified by DNS or approved by the operator.
  'GET /api/v1/sso/domains': list((b) => b.ssoDomain, { forbidden: ['app'] }),
  'POST /api/v1/sso/domains': write(201, () => ({ domain: `b-${Math.random().toString(36).slice(2)}.example` }), { forbidden: ['app'] }),
  'POST /api/v1/sso/domains/:id/verify': record('ssoDomain', { forbidden: ['app'] }),
  'DELETE /api/v1/sso/domains/:id': record('ssoDomain', { forbidden: ['app'] }),
  'GET /api/v1/institutions/:id/sso-domains': operatorOnly('institution'),
  'POST /api/v1/institutions/:id/sso-domains/:domainId/approve': operatorOnly('institution'),
  'GET /api/v1/sso/policy': list(undefined, { forbidden: ['app'] }),
  'PUT /api/v1/sso/policy': write(400, (a) => ({ requireSso: false, requireMfa: false, breakGlassUserId: a.siteAdmin }), {
    forbidden: ['app'],
  }),
  // Public protocol endpoints named by institution and connection: A's institution paired with B's
  // connection must not find B's connection (see PARAMS in cross-tenant.ts).
  'GET /api/v1/sso/start/:institutionId/:connectionId': { status: 303, redirectsTo: '/sign-in?sso=', anonymous: true },
  'GET /api/v1/sso/saml/:institutionId/:connectionId/metadata': { status: 404, anonymous: true },
  'GET /api/v1/public/staff-requests/sso/:institutionId/:connectionId': { status: 303, redirectsTo: '/staff-request?sso=unavailable', anonymous: true },

  // The master bank of PIAs (shared): reads hold nothing of A; writes are the operator's.
  'GET /api/v1/bank/templates': list(),
  'POST /api/v1/bank/templates': operatorOnly(undefined, () => ({ slug: 'by-b', title: 'By B' })),
  'PATCH /api/v1/bank/templates/:id': operatorOnly('assessment', () => ({ title: 'By B' })),
  'POST /api/v1/bank/templates/:id/versions': operatorOnly('assessment', () => ({})),
  'PUT /api/v1/bank/versions/:id': operatorOnly('assessment', () => ({ version: 1, sections: [] })),
  'POST /api/v1/bank/versions/:id/publish': operatorOnly('assessment', () => ({ version: 1 })),

  // Assessments (PIAs).
  'GET /api/v1/assessments': list((b) => b.assessment),
  'POST /api/v1/assessments': write(400, (a) => ({ inventoryItemId: a.inventory })),
  'GET /api/v1/assessments/:id': record('assessment'),
  'GET /api/v1/assessments/:id/revisions/:number': record('assessment'),
  'GET /api/v1/assessments/:id/compare': record('assessment', { query: () => '?from=1&to=1' }),
  'PUT /api/v1/assessments/:id/answers/:questionId': record('assessment', { body: () => ({ value: 'changed by B', version: 0 }) }),
  'POST /api/v1/assessments/:id/sections': record('assessment', { body: pia({ version: 1, title: 'By B' }) }),
  'POST /api/v1/assessments/:id/questions': record('assessment', {
    body: (a) => ({ version: 1, sectionId: a.section, kind: 'short_text', prompt: 'By B' }),
  }),
  'PATCH /api/v1/assessments/:id/questions/:questionId': record('assessment', { body: pia({ version: 1, hidden: true }) }),
  'DELETE /api/v1/assessments/:id/questions/:questionId': record('assessment', { body: pia({ version: 1 }) }),
  'POST /api/v1/assessments/:id/risks': record('assessment', { body: pia({ version: 1, title: 'By B', likelihood: 1, impact: 1 }) }),
  'PATCH /api/v1/assessments/:id/risks/:riskId': record('assessment', { body: pia({ version: 1, likelihood: 5 }) }),
  'DELETE /api/v1/assessments/:id/risks/:riskId': record('assessment', { body: pia({ version: 1 }) }),
  'POST /api/v1/assessments/:id/submit': record('assessment', { body: pia({ version: 1 }) }),
  'POST /api/v1/assessments/:id/return': record('assessment', { body: pia({ version: 1, comment: 'By B' }), forbidden: ['app'] }),
  'POST /api/v1/assessments/:id/decide': record('assessment', { body: pia({ version: 1, decision: 'approved' }), forbidden: ['app'] }),
  'POST /api/v1/assessments/:id/reopen': record('assessment', { body: pia({ version: 1 }) }),
  'GET /api/v1/assessments/:id/merge': record('assessment'),
  'POST /api/v1/assessments/:id/merge': record('assessment', { body: (a) => ({ version: 1, toVersionId: a.section, decisions: [] }) }),
  'GET /api/v1/assessments/:id/summary': record('assessment', { query: () => '?audience=parent' }),
  'GET /api/v1/assessments/:id/pdf': record('assessment'),
  'GET /api/v1/assessments/:id/documents': record('assessment'),
  // Both institutions are in BC, where the supplementary assessment is asked for: only the tenant check refuses.
  'GET /api/v1/assessments/:id/documents/:kind': record('assessment', { params: { kind: 'bc-outside-canada' } }),
  'GET /api/v1/assessments/:id/documents/:kind/pdf': record('assessment', { params: { kind: 'bc-outside-canada' } }),

  // Attached documents: A's app, assessment or document by id → 404; the body is a real PDF, so only the tenant check can refuse it.
  'GET /api/v1/inventory/:id/attachments': record('inventory'),
  'POST /api/v1/inventory/:id/attachments': record('inventory', { query: () => '?kind=agreement&fileName=by-b.pdf', body: () => PDF_FILE }),
  'GET /api/v1/assessments/:id/attachments': record('assessment'),
  'POST /api/v1/assessments/:id/attachments': record('assessment', { query: () => '?kind=other&fileName=by-b.pdf', body: () => PDF_FILE }),
  'GET /api/v1/attachments/:id/download': record('attachment'),
  'DELETE /api/v1/attachments/:id': record('attachment'),

  // Reports and the dashboard: B's figures only; a filter naming A's school is a field-level 400.
  'GET /api/v1/reports': list(),
  'GET /api/v1/reports/:id': [
    ...REPORT_IDS.map((id) => list(undefined, { params: { id } })),
    write(400, undefined, { params: { id: 'inventory-by-status' }, query: (a) => `?schoolId=${a.school}` }),
  ],
  'GET /api/v1/reports/:id/download': [
    list(undefined, { params: { id: 'vendors' }, query: () => '?format=csv' }),
    write(400, undefined, { params: { id: 'inventory-by-status' }, query: (a) => `?format=csv&schoolId=${a.school}` }),
  ],
  'GET /api/v1/dashboard': list(),
  'GET /api/v1/platform/report-runs': operatorOnly(),
  'GET /api/v1/platform/admins': operatorOnly(),

  // Data exports.
  'POST /api/v1/exports': write(202, () => ({ format: 'csv' }), { forbidden: ['app'] }),
  'GET /api/v1/exports': list((b) => b.export, { forbidden: ['app'] }),
  'GET /api/v1/exports/:id': record('export', { forbidden: ['app'] }),
  'GET /api/v1/exports/:id/download': record('export', { forbidden: ['app'] }),

  // Support access granted to the operator: the institution's site admins only.
  'GET /api/v1/support-access': list((b) => b.supportGrant, { forbidden: ['app'] }),
  'POST /api/v1/support-access': write(201, () => ({ hours: 1, reason: 'Granted by B' }), { forbidden: ['app'] }),
  'DELETE /api/v1/support-access/:id': record('supportGrant', { forbidden: ['app'] }),

  // Marks B's own notifications read (kept late: it changes B's state).
  'POST /api/v1/me/notifications/read-all': write(200),
  // The request page's link of B itself (kept late: rotating and closing change B's state).
  'POST /api/v1/staff-requests/link': write(201, undefined, { forbidden: ['app'] }),
  'DELETE /api/v1/staff-requests/link': write(204, undefined, { forbidden: ['app'] }),

  // Offboarding asked by the institution itself: lands on B alone (kept last: it changes B's state).
  'POST /api/v1/institution/offboarding-request': write(201, () => ({ contactEmail: 'dpo@example.org' }), { forbidden: ['app'] }),
};

/** Entries of EXCLUDED whose route exists only when the web client is built (dist/web). */
export const ONLY_WHEN_BUILT = new Set(['GET /*']);

/** Routes with no cross-tenant case, and why. Each reason must say where the route is tested instead. */
export const EXCLUDED: Record<string, string> = {
  // Served to anyone, with no tenant data.
  'GET /healthz': 'liveness probe; no data',
  'GET /*': 'the web client’s built files (index.html and hashed assets), served when dist/web exists; no data',
  'GET /readyz': 'readiness probe; no data',
  'GET /metrics': 'process metrics, no tenant data (labels are routes and status codes)',
  'GET /api/openapi.json': 'the API description; no data',
  'GET /api/docs': 'API documentation page; no data',
  'GET /api/docs/json': 'API documentation; no data',
  'GET /api/docs/yaml': 'API documentation; no data',
  'GET /api/docs/static/*': 'API documentation assets; no data',
  'GET /api/docs/static/index.html': 'API documentation page; no data',
  'GET /api/docs/static/swagger-initializer.js': 'API documentation script; no data',
  // Public by design.
  'GET /api/v1/public/lists/:slug':
    'public approved-app list, addressed by the slug an institution publishes (no session); public-list tests show only published, approved apps of that institution',
  'GET /api/v1/public/staff-requests/page':
    'public request page, addressed by the link token an institution shares or the signed single sign-on ticket (no session, no id); staff-requests tests show a rotated or closed link is 404, staff-requests-sso tests that a tampered, expired or another institution’s ticket is 404',
  'GET /api/v1/public/staff-requests/apps': 'catalog search of the public request page (shared catalog, no tenant data), behind the link token; staff-requests tests',
  'POST /api/v1/public/staff-requests':
    'public request, addressed by the link token alone; lands in that token’s institution only, and ids of another institution are a field-level 400 (staff-requests tests)',
  'GET /api/v1/public/staff-requests/status': 'public status page, addressed by the status token given once to the requester (staff-requests tests)',
  'GET /api/v1/bank-bundles/latest':
    'the region’s signed catalog and master bank for the other region cells: operator content, no tenant data (region-cells tests)',
  'GET /api/v1/public/vendor-questionnaire':
    'the vendor’s page, addressed by the link token mailed to the vendor contact (no session, no id); vendor-questionnaires tests show a wrong, revoked or expired link is 404 naming nothing',
  'PUT /api/v1/public/vendor-questionnaire/answers':
    'one answer of the vendor, addressed by the link token alone; lands in that token’s questionnaire only (vendor-questionnaires tests)',
  'POST /api/v1/public/vendor-questionnaire/submit':
    'the vendor’s submission, addressed by the link token alone (vendor-questionnaires tests)',
  'POST /api/v1/public/vendor-questionnaire/files':
    'a file the vendor attaches as evidence, addressed by the link token alone; lands in that token’s questionnaire only (vendor-questionnaires tests)',
  'GET /api/v1/public/vendor-questionnaire/files/:id':
    'a file the vendor attached, read by the link token and the file’s id together; another questionnaire’s link or a wrong one is 404 (vendor-questionnaires tests)',
  'DELETE /api/v1/public/vendor-questionnaire/files/:id':
    'a file the vendor attached, removed by the link token and the file’s id together; another questionnaire’s link is 404 and removes nothing (vendor-questionnaires tests)',
  'GET /api/v1/vendor-questionnaires/:id/files/:fileId':
    'a reviewer’s download of a vendor’s file needs a file only a vendor can attach, by its mailed link: vendor-questionnaires tests show another institution’s site admin, and the file asked under another questionnaire, get 404',
  'GET /api/v1/public/privacy-policy': 'Vetted’s own privacy policy, public, no tenant data (privacy-policy tests)',
  'GET /api/v1/public/privacy-policy/versions/:number':
    'one version of Vetted’s own privacy policy, public, no tenant data (privacy-policy tests)',
  'POST /api/v1/privacy-policy/notices/:id/acknowledge':
    'acknowledges the caller’s own notice, found by their institution, their user id and the version id; another institution’s admin gets 404 (privacy-policy tests)',
  // Sign-in flows: no session yet; addressed by credentials, a challenge cookie or an emailed token.
  'POST /api/v1/session': 'password sign-in: no session, addresses a person by credentials (identity tests)',
  'DELETE /api/v1/session': 'signs out the caller’s own session; takes no id',
  'POST /api/v1/session/mfa': 'second sign-in step, addressed by the challenge cookie (identity tests)',
  'POST /api/v1/session/mfa/enrolment': 'second-step enrolment during sign-in, addressed by the challenge cookie (identity tests)',
  'POST /api/v1/session/mfa/enrolment/confirm': 'second-step enrolment during sign-in, addressed by the challenge cookie (identity tests)',
  'POST /api/v1/session/reauthenticate': 'confirms the caller’s own password; takes no id (account tests)',
  'POST /api/v1/session/reauthenticate/sso': 'confirms the caller’s own identity at its own provider; takes no id (sso tests)',
  'GET /api/v1/invitations/preview': 'addressed by the emailed invitation token alone, no session (identity tests)',
  'POST /api/v1/invitations/accept': 'addressed by the emailed invitation token alone, no session (identity tests)',
  'POST /api/v1/password-resets': 'public request by email; answers the same whether or not the address exists (account tests)',
  'POST /api/v1/password-resets/complete': 'addressed by the emailed reset token alone (account tests)',
  'POST /api/v1/email-changes/confirm': 'addressed by the emailed confirmation token alone (account tests)',
  'GET /api/v1/sso/discover': 'public: finds the sign-in providers of an email’s domain; returns only what a login page shows (sso tests)',
  'GET /api/v1/sso/oidc/callback': 'provider callback, addressed by the single-use state it issued (sso tests)',
  'POST /api/v1/sso/saml/:institutionId/:connectionId/acs':
    'provider post-back, checked against the pending request of that connection (saml tests)',
  'GET /api/v1/sso/saml/:institutionId/:connectionId/logout': 'provider logout request, signed by that connection’s provider (saml tests)',
  // The caller's own account: no id to cross, each needs the caller's password or code.
  'POST /api/v1/account/mfa/enrolment': 'the caller’s own second factor; takes no id (account-security tests)',
  'POST /api/v1/account/mfa/enrolment/confirm': 'the caller’s own second factor; takes no id (account-security tests)',
  'POST /api/v1/account/mfa/recovery-codes': 'the caller’s own recovery codes; takes no id (account-security tests)',
  'DELETE /api/v1/account/mfa': 'the caller’s own second factor; takes no id (account-security tests)',
  'DELETE /api/v1/account/sessions': 'ends the caller’s own other sessions; takes no id (account tests)',
  'POST /api/v1/account/password': 'the caller’s own password; takes no id (account tests)',
  'POST /api/v1/account/email': 'the caller’s own email; takes no id (account tests)',
  'DELETE /api/v1/me': 'deletes the caller’s own account; takes no id (lifecycle tests)',
  // Shared, non-tenant reads addressed by a bank id (pia_templates has no tenant_id).
  'GET /api/v1/bank/templates/:id': 'master-bank template (shared by every institution, no tenant rows); bank tests',
  'GET /api/v1/bank/versions/:id': 'master-bank version (shared by every institution, no tenant rows); bank tests',
};
