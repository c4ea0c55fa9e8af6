/**
 * Fills an institution with at least one row in every tenant table — through the API where one
 * exists, directly otherwise. The purge and backup suites check every tenant table is non-empty
 * first: a new tenant table needs a line here.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import {
  authPolicies,
  authTokens,
  samlSeenAssertions,
  ssoLoginStates,
  ssoConnections,
  ssoIdentities,
  ssoDomains,
  ssoAccountLinks,
  assessmentAnswers,
  assessmentMerges,
  assessmentQuestions,
  assessmentRevisions,
  assessmentRisks,
  assessments,
  assessmentSections,
  assessmentSignoffs,
  dataExports,
  offboardings,
  piaTemplates,
  piaTemplateVersions,
  piaUpdateNotices,
  notifications,
  privacyPolicyNotices,
  privacyPolicyVersions,
  reminderDigests,
  reminderPreferences,
  staffRequestLinks,
  staffRequests,
  vendorAnswers,
  vendorAnswerFiles,
  vendorQuestionnaires,
  reportRuns,
} from '../../src/server/db/schema/index.js';
import { withSystem, type Db } from '../../src/server/platform/db.js';
import { buildCatalogApp, buildTenantWithUsers } from './factories.js';

export async function buildPopulatedTenant(app: FastifyInstance, db: Db, items = 3) {
  const tenant = await buildTenantWithUsers(app, db);
  const catalogApp = await buildCatalogApp(db);
  const ids: string[] = [];
  for (let i = 0; i < items; i++) {
    const res = await tenant.appAdmin.request('POST', '/api/v1/inventory', i === 0 ? { catalogAppId: catalogApp.id, grades: ['3'] } : { custom: { name: `Custom ${i}` } });
    if (res.statusCode !== 201) throw new Error(`inventory: ${res.statusCode} ${res.body}`);
    ids.push(res.json().id as string);
  }
  const inv = await tenant.siteAdmin.request('POST', '/api/v1/invitations', { email: `invitee-${randomUUID().slice(0, 8)}@example.org`, firstName: 'Ina', lastName: 'Vitee', role: 'app_admin' });
  if (inv.statusCode !== 201) throw new Error(`invitation: ${inv.statusCode} ${inv.body}`);
  const grant = await tenant.siteAdmin.request('POST', '/api/v1/support-access', { hours: 2, reason: 'Populated for tests' });
  if (grant.statusCode !== 201) throw new Error(`support access: ${grant.statusCode} ${grant.body}`);
  // Ended at once: both of its people are set, and the operator has no access the suites did not ask for.
  const ended = await tenant.siteAdmin.request('DELETE', `/api/v1/support-access/${grant.json().id}`);
  if (ended.statusCode !== 200) throw new Error(`support access revoke: ${ended.statusCode} ${ended.body}`);
  const tenantId = tenant.institution.id;
  const assessmentId = randomUUID();
  await withSystem(db, async (tx) => {
    const templateId = randomUUID();
    const versionId = randomUUID();
    await tx.insert(piaTemplates).values({ id: templateId, slug: `t-${templateId.slice(0, 8)}`, title: 'Template' });
    await tx.insert(piaTemplateVersions).values({ id: versionId, templateId, number: 1 });
    const revisionId = randomUUID();
    const sectionId = randomUUID();
    const questionId = randomUUID();
    const by = tenant.appAdmin.user.id;
    await tx.insert(assessments).values({ tenantId, id: assessmentId, inventoryItemId: ids[0]!, templateId, baseVersionId: versionId, title: 'PIA', createdBy: by });
    await tx.insert(assessmentRevisions).values({ tenantId, id: revisionId, assessmentId, number: 1, templateVersionId: versionId, createdBy: by });
    await tx.insert(assessmentSections).values({ tenantId, id: sectionId, revisionId, key: 'A', origin: 'operator', title: 'Screening' });
    await tx.insert(assessmentQuestions).values({ tenantId, id: questionId, revisionId, sectionId, key: 'A1', origin: 'operator', kind: 'yes_no_unsure', prompt: 'Personal information?' });
    await tx.insert(assessmentAnswers).values({ tenantId, questionId, revisionId, value: { answer: 'yes' }, origin: 'institution', updatedBy: by });
    // A vendor's answer from the bank, with the vendor's day and the operator's day of review.
    const vendorQuestionId = randomUUID();
    await tx.insert(assessmentQuestions).values({ tenantId, id: vendorQuestionId, revisionId, sectionId, key: 'A2', origin: 'operator', kind: 'yes_no_unsure', prompt: 'Encrypted at rest?', position: 1 });
    await tx.insert(assessmentAnswers).values({ tenantId, questionId: vendorQuestionId, revisionId, value: 'yes', origin: 'vendor', vendorAnsweredOn: '2026-11-02', reviewedOn: '2026-11-03' });
    await tx.insert(assessmentRisks).values({ tenantId, id: randomUUID(), revisionId, title: 'Breach', likelihood: 2, impact: 4 });
    await tx.insert(assessmentSignoffs).values({ tenantId, id: randomUUID(), revisionId, userId: tenant.approver.user.id, signerName: 'Test approver', role: 'app_admin', decision: 'submitted' });
    await tx.insert(assessmentMerges).values({ tenantId, id: randomUUID(), assessmentId, revisionId, toVersionId: versionId, decisions: [], mergedBy: by });
    await tx.insert(piaUpdateNotices).values({ tenantId, versionId, userId: tenant.siteAdmin.user.id, language: 'en' });
    const policyVersionId = randomUUID();
    await tx.insert(privacyPolicyVersions).values({
      id: policyVersionId,
      number: sql`(select coalesce(max(number), 0) + 1 from privacy_policy_versions)`,
      kind: 'significant',
      effectiveOn: '2026-01-01',
      bodyEn: '# Policy',
      bodyFr: '# Politique',
      summaryEn: 'Changed',
      summaryFr: 'Modifiée',
    });
    await tx.insert(privacyPolicyNotices).values({ tenantId, versionId: policyVersionId, userId: tenant.siteAdmin.user.id });
    await tx.insert(reminderPreferences).values({ tenantId, userId: tenant.appAdmin.user.id, categories: ['reviews'], byEmail: false, decisionWaitDays: 10 });
    await tx.insert(reminderDigests).values({ tenantId, userId: tenant.siteAdmin.user.id, day: '2026-11-01', items: 1, emailed: true });
    await tx.insert(notifications).values({
      tenantId,
      id: randomUUID(),
      userId: tenant.siteAdmin.user.id,
      day: '2026-11-01',
      category: 'reviews',
      recordType: 'inventory_item',
      recordId: ids[0]!,
      subject: 'App',
      days: 7,
      date: '2026-11-08',
    });
    await tx.insert(staffRequestLinks).values({ tenantId, linkTokenHash: `link-${tenantId}` });
    await tx.insert(staffRequests).values({
      tenantId,
      id: randomUUID(),
      statusTokenHash: `status-${tenantId}`,
      appName: 'Requested app',
      purpose: 'Reading practice',
      grades: ['4'],
      requesterEmailSecret: 'v1.sealed-in-tests',
    });
    const questionnaireId = randomUUID();
    await tx.insert(vendorQuestionnaires).values({
      id: questionnaireId,
      tenantId,
      templateId,
      templateVersionId: versionId,
      inventoryItemId: ids[0]!,
      productName: 'Vendor product',
      tokenHash: `vendor-${questionnaireId}`,
      contactEmailSecret: 'v2.sealed-in-tests',
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    await tx.insert(vendorAnswers).values({ tenantId, questionnaireId, questionKey: 'A1', value: 'yes', evidenceUrl: 'https://vendor.example.com/privacy', evidenceSeenOn: '2026-11-01' });
    await tx.insert(vendorAnswerFiles).values({
      id: randomUUID(),
      questionnaireId,
      tenantId,
      questionKey: 'A1',
      fileName: 'security.pdf',
      contentType: 'application/pdf',
      byteSize: 4,
      sha256: 'sha256-in-tests',
      keySecret: 'v2.sealed-in-tests',
      content: Buffer.from('%PDF'),
    });
    await tx.insert(reportRuns).values({ tenantId, report: 'inventory-by-status', day: '2026-11-01', runCount: 2 });
    await tx.insert(dataExports).values({ tenantId, id: randomUUID(), format: 'csv', status: 'failed', error: 'test' });
    await tx.insert(offboardings).values({ tenantId, status: 'requested', contactEmail: 'dpo@example.org', endOfServiceAt: new Date(), purgeAfter: new Date(), requestedAt: new Date() });
    const connectionId = randomUUID();
    await tx.insert(ssoConnections).values({ tenantId, id: connectionId, protocol: 'oidc', preset: 'oidc', displayName: 'District accounts', oidcIssuer: 'https://idp.example.org', oidcClientId: 'vetted', oidcClientSecret: 'v1.sealed-in-tests' });
    await tx.insert(ssoIdentities).values({ tenantId, id: randomUUID(), userId: tenant.appAdmin.user.id, connectionId, subject: `sub-${connectionId}` });
    await tx.insert(ssoDomains).values({ tenantId, id: randomUUID(), domain: `d-${connectionId}.example`, verificationToken: 'token', status: 'verified', verifiedAt: new Date(), verificationMethod: 'dns' });
    await tx.insert(ssoAccountLinks).values({ tenantId, connectionId, userId: tenant.siteAdmin.user.id, createdByUserId: tenant.siteAdmin.user.id });
    await tx.insert(authPolicies).values({ tenantId, requireMfa: true });
    const soon = new Date(Date.now() + 600_000);
    await tx.insert(ssoLoginStates).values({ tenantId, id: `state-${connectionId}`, connectionId, state: 's', nonce: 'n', codeVerifier: 'v', expiresAt: soon });
    await tx.insert(samlSeenAssertions).values({ tenantId, assertionId: `_a${connectionId}`, expiresAt: soon });
    await tx.insert(authTokens).values({ id: `token-${connectionId}`, tenantId, userId: tenant.appAdmin.user.id, purpose: 'password_reset', expiresAt: soon });
  });
  // Documents (and so the institution's attachment key): one on an app, one on its assessment.
  for (const url of [`/api/v1/inventory/${ids[ids.length - 1]}/attachments?kind=agreement&fileName=dpa.pdf&agreementExpiresOn=2027-06-30`, `/api/v1/assessments/${assessmentId}/attachments?kind=other&fileName=notes.pdf`]) {
    const doc = await tenant.appAdmin.request('POST', url, Buffer.from('%PDF-1.4\n% populated\n%%EOF\n'));
    if (doc.statusCode !== 201) throw new Error(`attachment: ${doc.statusCode} ${doc.body}`);
  }
  return { ...tenant, itemIds: ids };
}
