import { randomUUID } from 'node:crypto';
import {
  assessmentAnswers,
  assessmentQuestions,
  assessmentRevisions,
  assessmentRisks,
  assessmentSections,
  assessmentSignoffs,
  assessments,
  inventoryItems,
} from '../../src/server/db/schema/index.js';
import { withSystem, type Db } from '../../src/server/platform/db.js';

type ItemInsert = typeof inventoryItems.$inferInsert;

/** The day `n` days from today (UTC), as `YYYY-MM-DD`. */
export const dayFromToday = (n: number) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

/** An inventory item of the institution, written directly: a custom app named `name` unless it names a catalog app. */
export async function insertInventoryItem(db: Db, tenantId: string, values: Partial<ItemInsert> & { name: string }): Promise<ItemInsert> {
  const row: ItemInsert = { tenantId, id: randomUUID(), customName: values.catalogAppId ? null : values.name, ...values };
  await withSystem(db, (tx) => tx.insert(inventoryItems).values(row));
  return row;
}

/**
 * An assessment of an inventory item with one revision holding a section, a question and its
 * answer, a risk and a sign-off — written directly, for report and export tests. `text` lands in
 * every free-text field (to test formula neutralisation).
 */
export async function insertAssessment(
  db: Db,
  opts: {
    tenantId: string;
    inventoryItemId: string;
    status?: 'draft' | 'in_review' | 'approved' | 'approved_with_conditions' | 'rejected';
    text?: string;
    signerUserId?: string | null;
  },
) {
  const status = opts.status ?? 'draft';
  const approved = status === 'approved' || status === 'approved_with_conditions';
  const text = opts.text ?? 'Plain text';
  const ids = {
    assessment: randomUUID(),
    revision: randomUUID(),
    section: randomUUID(),
    question: randomUUID(),
    risk: randomUUID(),
    signoff: randomUUID(),
  };
  const tenantId = opts.tenantId;
  await withSystem(db, async (tx) => {
    await tx.insert(assessments).values({
      tenantId,
      id: ids.assessment,
      inventoryItemId: opts.inventoryItemId,
      title: `PIA ${text}`,
      status,
      approvedRevision: approved ? 1 : null,
    });
    await tx.insert(assessmentRevisions).values({
      tenantId,
      id: ids.revision,
      assessmentId: ids.assessment,
      number: 1,
      status,
      conditions: text,
      nextReviewOn: '2027-06-30',
      submittedAt: status === 'draft' ? null : new Date('2026-10-01T12:00:00Z'),
      decidedAt: approved || status === 'rejected' ? new Date('2026-10-02T12:00:00Z') : null,
    });
    await tx
      .insert(assessmentSections)
      .values({ tenantId, id: ids.section, revisionId: ids.revision, key: 'a', origin: 'operator', code: 'A', title: 'Screening' });
    await tx.insert(assessmentQuestions).values({
      tenantId,
      id: ids.question,
      revisionId: ids.revision,
      sectionId: ids.section,
      key: 'a1',
      origin: 'institution',
      kind: 'long_text',
      prompt: `Why? ${text}`,
    });
    await tx.insert(assessmentAnswers).values({
      tenantId,
      questionId: ids.question,
      revisionId: ids.revision,
      value: { text },
      origin: 'institution',
      evidenceUrl: 'https://vendor.example/privacy',
      evidenceQuote: text,
      evidenceSeenOn: '2025-09-01',
    });
    await tx.insert(assessmentRisks).values({
      tenantId,
      id: ids.risk,
      revisionId: ids.revision,
      title: text,
      likelihood: 3,
      impact: 4,
      mitigation: text,
      owner: 'IT',
      residualLikelihood: 1,
      residualImpact: 4,
    });
    await tx.insert(assessmentSignoffs).values({
      tenantId,
      id: ids.signoff,
      revisionId: ids.revision,
      userId: opts.signerUserId ?? null,
      signerName: text,
      role: 'site_admin',
      decision: approved ? status : 'submitted',
      comment: text,
    });
  });
  return ids;
}
