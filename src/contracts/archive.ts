/**
 * The institution archive format, version 1 (docs/archive-format.md). Its JSON Schema,
 * docs/archive-format.schema.json, is generated from this zod schema; a test keeps them equal.
 */
import { z } from 'zod';

/** One row: PostgreSQL's JSON rendering of it, keyed by column name (snake_case). */
const row = z.record(z.string(), z.unknown()).describe('One row, as PostgreSQL renders it in JSON (to_jsonb), keyed by column name');

export const archiveSchema = z
  .object({
    format: z.literal('vetted-institution-archive'),
    formatVersion: z.literal(1),
    kind: z.enum(['backup', 'portability']).describe('backup: complete, restorable; portability: for the institution, with sign-in secrets blanked'),
    createdAt: z.string().describe('ISO 8601 time the archive was read (one consistent snapshot)'),
    region: z.enum(['ca', 'us']),
    institutionId: z.uuid(),
    institution: row.describe('The institutions row'),
    tables: z
      .record(
        z.string().regex(/^[a-z_][a-z0-9_]*$/),
        z.object({
          primaryKey: z.array(z.string()).describe('Primary-key columns; rows are sorted by them'),
          rows: z.array(row),
        }),
      )
      .describe('Every table of the institution (every table with a tenant_id column, but short-lived sign-in sessions), by table name'),
    shared: z
      .record(
        z.string().regex(/^[a-z_][a-z0-9_]*$/),
        z.object({
          primaryKey: z.array(z.string()),
          rows: z.array(row),
        }),
      )
      .optional()
      .describe(
        'Records of the master bank (operator-owned: catalog apps, PIA templates with their versions, sections and questions) the institution refers to, by table name; restore adds those a database lacks. Not covered by contentDigest',
      ),
    redactedColumns: z.record(z.string(), z.array(z.string())).describe('Per table, the columns set to null in a portability archive'),
    contentDigest: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .describe('SHA-256 of the canonical JSON (keys sorted) of { institution, tables }'),
  })
  .describe('Vetted institution archive: all data of one institution');

/** The JSON Schema document committed under docs/. */
export function archiveJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://vetted.example.org/schemas/institution-archive-v1.json',
    title: 'Vetted institution archive, format version 1',
    ...z.toJSONSchema(archiveSchema, { target: 'draft-2020-12' }),
  };
}
