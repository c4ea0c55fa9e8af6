/**
 * The documents the laws ask for, generated from one assessment for the people who can read it.
 * A document is offered only to institutions of the jurisdiction whose law asks for it; anywhere
 * else it does not exist (404), as another institution's assessment does not.
 */
import type { LawDocumentBody, LawDocumentKind } from '../../../contracts/assessments.js';
import type { Language } from '../../../contracts/domain.js';
import { scopeOf, type Actor } from '../../platform/authz.js';
import type { AppContext } from '../../platform/context.js';
import { withTenant } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import type { AssessmentService } from './assessments.service.js';
import { buildLawDocument, offeredDocuments, type AgreementOperator } from './law-documents.js';
import { LAW_TEXT } from './law-documents-text.js';
import { listAgreementOperators } from './law-documents.repo.js';

export function createLawDocumentService(ctx: Pick<AppContext, 'db'>, assessments: Pick<AssessmentService, 'printable'>) {
  return {
    /** The documents the institution's jurisdiction asks for, titled in `language`. */
    async list(actor: Actor, id: string, language?: Language) {
      // Security: printable authorizes the reader and finds the assessment in the reader's institution only.
      const p = await assessments.printable(actor, id, undefined, language);
      return { items: offeredDocuments(p.jurisdictions).map((kind) => ({ kind, title: LAW_TEXT[p.language].titles[kind] })) };
    },

    /** One document from a revision of the assessment (default: the current one). */
    async get(actor: Actor, id: string, kind: LawDocumentKind, revision?: number, language?: Language): Promise<LawDocumentBody> {
      const p = await assessments.printable(actor, id, revision, language);
      if (!offeredDocuments(p.jurisdictions).includes(kind))
        throw new AppError('not_found', 'This document is not asked for by the law of your institution’s province or state.');
      let operators: AgreementOperator[] = [];
      if (kind === 'il-operators') {
        const scope = scopeOf(actor);
        operators = await withTenant(ctx.db, scope, (tx) => listAgreementOperators(tx, scope));
      }
      return buildLawDocument(kind, { content: p.content, item: p.item, institutionName: p.institutionName, language: p.language, operators });
    },
  };
}
export type LawDocumentService = ReturnType<typeof createLawDocumentService>;
