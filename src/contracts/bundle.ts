/** The signed bank bundle between region cells, as the platform console sees it. */
import { z } from 'zod';

export const bundleRecordSchema = z.object({
  id: z.uuid(),
  direction: z.enum(['exported', 'imported']),
  sequence: z.number().int(),
  contentDigest: z.string(),
  keyId: z.string(),
  bundleCreatedAt: z.string(),
  at: z.string(),
});
export type BundleRecordBody = z.infer<typeof bundleRecordSchema>;

export const bundleStatusSchema = z.object({
  region: z.string(),
  signingKeyId: z.string().nullable(),
  trustedKeyIds: z.array(z.string()),
  pullUrl: z.string().nullable(),
  pullCron: z.string().nullable(),
  bundles: z.array(bundleRecordSchema),
});
export type BundleStatusBody = z.infer<typeof bundleStatusSchema>;

/** An uploaded bundle: the file's text as it was published (the signature covers every byte). */
export const bundleImportSchema = z.strictObject({
  document: z
    .string()
    .min(1)
    .max(50 * 1024 * 1024),
});

export const bundleImportResultSchema = z.object({
  sequence: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
  newVersions: z.number().int(),
});
export type BundleImportResultBody = z.infer<typeof bundleImportResultSchema>;
