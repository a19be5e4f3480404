import { z } from 'zod';
import type { ArchiveHeader } from './types';

const sequenceNumber = z.string().regex(/^\d{1,40}$/, 'must be a decimal sequence number');
const sequenceRange = z.object({ start: sequenceNumber, end: sequenceNumber });

/** Validates the first line of an archive object. */
export const archiveHeaderSchema = z.object({
  formatVersion: z.number().int().positive(),
  kind: z.enum(['stream-batch', 'lost-range', 'poison-record', 'unparseable']),
  reason: z.string(),
  failedAt: z.string(),
  archivedAt: z.string(),
  table: z.string().nullable(),
  streamArn: z.string().nullable(),
  shardId: z.string().nullable(),
  range: sequenceRange.nullable(),
  lost: z
    .object({
      condition: z.enum(['trimmed', 'shard-not-found', 'stream-not-found', 'range-incomplete']),
      range: sequenceRange,
      detail: z.string(),
    })
    .nullable(),
  counts: z.object({ records: z.number().int().nonnegative(), expected: z.number().int().nonnegative().nullable() }),
  source: z.object({ messageId: z.string(), digest: z.string(), sentAt: z.string().nullable(), queueArn: z.string().nullable() }),
  details: z.record(z.string(), z.unknown()),
}) satisfies z.ZodType<ArchiveHeader>;
