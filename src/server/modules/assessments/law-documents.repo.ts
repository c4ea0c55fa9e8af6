import { and, asc, eq, ne } from 'drizzle-orm';
import { inventoryItems } from '../../db/schema/index.js';
import type { TenantScope, Tx } from '../../platform/db.js';
import { byTenant } from '../../platform/tenant-filter.js';
import type { AgreementOperator } from './law-documents.js';

/** The institution's apps in use under a signed written agreement, by name (Illinois list of operators). */
export async function listAgreementOperators(tx: Tx, scope: TenantScope): Promise<AgreementOperator[]> {
  const rows = await tx
    .select({
      name: inventoryItems.name,
      vendor: inventoryItems.vendor,
      dataElements: inventoryItems.dataElements,
      agreementType: inventoryItems.agreementType,
      agreementSignedOn: inventoryItems.agreementSignedOn,
      agreementUrl: inventoryItems.agreementUrl,
    })
    .from(inventoryItems)
    .where(
      and(
        byTenant(inventoryItems.tenantId, scope),
        eq(inventoryItems.agreementSigned, true),
        ne(inventoryItems.agreementType, 'none'),
        ne(inventoryItems.status, 'retired'),
        ne(inventoryItems.status, 'not_approved'),
      ),
    )
    .orderBy(asc(inventoryItems.name), asc(inventoryItems.id));
  return rows.map((r) => ({ ...r, agreementSignedOn: r.agreementSignedOn === null ? null : String(r.agreementSignedOn) }));
}
