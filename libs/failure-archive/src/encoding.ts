import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { MalformedArchiveError } from './errors';
import { archiveHeaderSchema } from './header-schema';
import type { Archive } from './types';

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * Serialises an archive as NDJSON — the header on the first line, then one stream record per
 * line — gzip-compressed when asked.
 *
 * @example
 * const body = encodeArchive({ header, records: [lambdaRecord] }, { gzip: true });
 */
export function encodeArchive(archive: Archive, options: { readonly gzip: boolean }): Buffer {
  const lines = [archive.header, ...archive.records].map((line) => JSON.stringify(line));
  const text = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  return options.gzip ? gzipSync(text) : text;
}

/**
 * Parses an archive object (plain or gzip, recognised by its magic bytes) and validates the header.
 * Throws {@link MalformedArchiveError} naming the line that is wrong.
 *
 * @example
 * const { header, records } = decodeArchive(await object.Body.transformToByteArray());
 */
export function decodeArchive(body: Uint8Array): Archive {
  const text = Buffer.from(isGzip(body) ? gunzipSync(body) : body).toString('utf8');
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new MalformedArchiveError(1, 'the object is empty (no header line)');
  const [headerLine, ...recordLines] = lines as [string, ...string[]];
  const header = archiveHeaderSchema.safeParse(parseLine(headerLine, 1));
  if (!header.success) {
    throw new MalformedArchiveError(1, `bad header: ${header.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const records = recordLines.map((line, index) => parseLine(line, index + 2));
  if (records.length !== header.data.counts.records) {
    throw new MalformedArchiveError(
      lines.length,
      `header counts ${header.data.counts.records} records but the object has ${records.length}`,
    );
  }
  return { header: header.data, records };
}

/**
 * SHA-256 (hex) of a message body: two deliveries of one message share it, two messages do not.
 *
 * @example
 * messageDigest('{"kind":"poison-record"}').length; // 64
 */
export function messageDigest(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

function isGzip(body: Uint8Array): boolean {
  return body[0] === GZIP_MAGIC[0] && body[1] === GZIP_MAGIC[1];
}

function parseLine(line: string, lineNumber: number): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch (error) {
    throw new MalformedArchiveError(lineNumber, `not JSON (${(error as Error).message})`);
  }
}
