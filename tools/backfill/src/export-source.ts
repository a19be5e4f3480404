import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { JsonValue } from '@ddb-os/stream-decoding';
import { InvalidExportError } from './errors';
import type { RawItem, SegmentPosition, SegmentSource, SourcePage } from './types';

/** Options of {@link openExport}. */
export interface ExportOptions {
  readonly s3: S3Client;
  /** `s3://bucket/prefix`: an export's folder (`…/AWSDynamoDB/<ExportId>`) or any prefix holding one export's data files. */
  readonly url: string;
  /** The export's point in time (ISO 8601); required when the prefix has no `manifest-summary.json`, overrides it otherwise. */
  readonly exportTime?: string;
  /** Items per page. */
  readonly pageSize: number;
}

/** A DynamoDB export opened for reading. */
export interface OpenedExport {
  readonly identity: string;
  /** The export's point in time: the read time of every item (their order key). */
  readonly exportTimeMs: number;
  readonly segments: SegmentSource[];
}

interface DataFile {
  readonly key: string;
  readonly itemCount: number | undefined;
}

const DATA_FILE = /(?:^|\/)data\/[^/]+\.json\.gz$/;
const SUMMARY_FILE = /(?:^|\/)manifest-summary\.json$/;

/**
 * Opens a full DynamoDB export in `DYNAMODB_JSON` format: reads `manifest-summary.json` (export time, format) and
 * `manifest-files.json` (data files, item counts) when the prefix holds them, else takes every `data/*.json.gz`
 * under the prefix (then `exportTime` is required). Each data file is one resumable segment whose position is
 * the number of lines already applied; files are streamed (gunzip, line by line), never held in memory.
 *
 * @example
 * const opened = await openExport({ s3, url: 's3://exports/orders/AWSDynamoDB/01700000000000-abcd1234', pageSize: 1000 });
 */
export async function openExport(options: ExportOptions): Promise<OpenedExport> {
  const { bucket, prefix } = parseS3Url(options.url);
  const listed = await listKeys(options.s3, bucket, prefix, options.url);
  const summaries = listed.filter((key) => SUMMARY_FILE.test(key));
  const dataKeys = listed.filter((key) => DATA_FILE.test(key));
  if (summaries.length > 1) {
    throw new InvalidExportError(
      options.url,
      `it holds ${summaries.length} exports; point --export at one of: ${summaries.map((key) => `s3://${bucket}/${key.replace(SUMMARY_FILE, '')}`).join(', ')}`,
    );
  }
  const manifest = summaries[0] === undefined ? undefined : await readManifest(options.s3, bucket, summaries[0], dataKeys, options.url);
  const exportTime = options.exportTime ?? manifest?.exportTime;
  if (exportTime === undefined) {
    throw new InvalidExportError(
      options.url,
      'no manifest-summary.json under the prefix: give the export time with --export-time <ISO 8601>',
    );
  }
  const exportTimeMs = Date.parse(exportTime);
  if (Number.isNaN(exportTimeMs))
    throw new InvalidExportError(options.url, `export time ${JSON.stringify(exportTime)} is not an ISO 8601 date-time`);
  const files = manifest?.files ?? dataKeys.map((key) => ({ key, itemCount: undefined }));
  if (files.length === 0) throw new InvalidExportError(options.url, 'no data files (data/*.json.gz) under the prefix');
  return {
    identity: `export:s3://${bucket}/${prefix}`,
    exportTimeMs,
    segments: files.map((file) => ({
      id: file.key,
      estimatedItems: file.itemCount,
      pages: (from: SegmentPosition | undefined, signal: AbortSignal) => filePages(options, bucket, file.key, exportTimeMs, from, signal),
    })),
  };
}

/** Splits `s3://bucket/prefix` (the prefix without leading or trailing slashes). */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!match) throw new InvalidExportError(url, 'expected s3://<bucket>/<prefix>');
  return { bucket: match[1] as string, prefix: (match[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

async function listKeys(s3: S3Client, bucket: string, prefix: string, url: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix === '' ? undefined : `${prefix}/`, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  } catch (error) {
    throw new InvalidExportError(url, `listing failed: ${(error as Error).message}`, { cause: error });
  }
  return keys;
}

async function readManifest(
  s3: S3Client,
  bucket: string,
  summaryKey: string,
  dataKeys: readonly string[],
  url: string,
): Promise<{ exportTime: string | undefined; files: DataFile[] }> {
  const summary = parseJsonObject(await readText(s3, bucket, summaryKey, url), summaryKey, url);
  if (summary['outputFormat'] !== undefined && summary['outputFormat'] !== 'DYNAMODB_JSON') {
    throw new InvalidExportError(url, `output format ${String(summary['outputFormat'])} is not supported (export as DYNAMODB_JSON)`);
  }
  if (summary['exportType'] !== undefined && summary['exportType'] !== 'FULL_EXPORT') {
    throw new InvalidExportError(url, `export type ${String(summary['exportType'])} is not supported (use a FULL_EXPORT)`);
  }
  const filesKey = summaryKey.replace(SUMMARY_FILE, (name) => name.replace('manifest-summary.json', 'manifest-files.json'));
  const lines = (await readText(s3, bucket, filesKey, url)).split('\n').filter((line) => line.trim() !== '');
  const files = lines.map((line) => {
    const entry = parseJsonObject(line, filesKey, url);
    const named = entry['dataFileS3Key'];
    if (typeof named !== 'string') throw new InvalidExportError(url, `${filesKey}: an entry has no dataFileS3Key`);
    const key = dataKeys.find((candidate) => candidate === named || candidate.endsWith(`/${named}`)) ?? named;
    const itemCount = entry['itemCount'];
    return { key, itemCount: typeof itemCount === 'number' ? itemCount : undefined };
  });
  const exportTime = summary['exportTime'];
  return { exportTime: typeof exportTime === 'string' ? exportTime : undefined, files };
}

async function readText(s3: S3Client, bucket: string, key: string, url: string): Promise<string> {
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await response.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    throw new InvalidExportError(url, `cannot read ${key}: ${(error as Error).message}`, { cause: error });
  }
}

function parseJsonObject(text: string, key: string, url: string): Record<string, JsonValue> {
  try {
    const value = JSON.parse(text) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, JsonValue>;
  } catch {
    // reported below
  }
  throw new InvalidExportError(url, `${key} is not a JSON object`);
}

async function* filePages(
  options: ExportOptions,
  bucket: string,
  key: string,
  exportTimeMs: number,
  from: SegmentPosition | undefined,
  signal: AbortSignal,
): AsyncGenerator<SourcePage> {
  const skip = typeof from === 'number' ? from : 0;
  const response = await options.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = response.Body as Readable | undefined;
  if (body === undefined) throw new InvalidExportError(options.url, `${key} has no body`);
  const gunzip = body.pipe(createGunzip());
  const lines = createInterface({ input: gunzip, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let startedFrom: SegmentPosition | undefined = skip === 0 ? undefined : skip;
  let items: RawItem[] = [];
  let rejected: { reason: string; record: JsonValue }[] = [];
  const page = (next: number | null): SourcePage => ({ readAtMs: exportTimeMs, items, rejected, next, consumedRcu: 0, startedFrom });
  try {
    for await (const line of lines) {
      lineNumber += 1;
      if (lineNumber <= skip || line.trim() === '') continue;
      const parsed = parseExportLine(line);
      if ('item' in parsed) items.push(parsed.item);
      else rejected.push({ reason: `${key}:${lineNumber}: ${parsed.reason}`, record: line });
      if (items.length + rejected.length >= options.pageSize) {
        yield page(lineNumber);
        if (signal.aborted) return;
        startedFrom = lineNumber;
        items = [];
        rejected = [];
      }
    }
    yield page(null);
  } finally {
    lines.close();
    gunzip.destroy();
    body.destroy();
  }
}

/** One line of a DYNAMODB_JSON export: `{"Item": {<attribute>: {<type>: value}}}`. */
export function parseExportLine(line: string): { item: RawItem } | { reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { reason: `not JSON (${(error as Error).message})` };
  }
  const item = (value as { Item?: unknown } | null)?.Item;
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return { reason: 'no "Item" object' };
  return { item: item as RawItem };
}
