import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { GZIP_CONTENT_TYPE, MAX_METADATA_REASON_CHARS, METADATA, NDJSON_CONTENT_TYPE } from './constants';
import { decodeArchive } from './encoding';
import { ArchiveKeyCollisionError, MissingArchiveMetadataError } from './errors';
import { archiveHeaderSchema } from './header-schema';
import { disambiguatedKey } from './keys';
import type { Archive, ArchiveMetadata, ArchiveObjectSummary, PutOnceResult } from './types';

/**
 * The failure archive in one S3 bucket: write-once puts keyed by content, listing, reading and
 * moving handled objects. Works with any S3-compatible server (path-style or virtual-hosted).
 */
export class S3ArchiveStore {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  /**
   * Writes `body` at `key` unless that message is already archived. Idempotent by message digest:
   * a second delivery of the same message finds its own digest and writes nothing; a different
   * message that maps to the same key goes to the digest-suffixed key instead, so neither is lost.
   * Uses `If-None-Match: *` so two concurrent writers cannot overwrite each other.
   *
   * @example
   * const { outcome, key: writtenKey } = await store.putOnce(key, encodeArchive(archive, { gzip }), metadataOf(archive.header));
   */
  async putOnce(key: string, body: Uint8Array, metadata: ArchiveMetadata): Promise<PutOnceResult> {
    for (const candidate of [key, disambiguatedKey(key, metadata.digest)]) {
      const outcome = await this.putIfAbsent(candidate, body, metadata);
      if (outcome !== 'taken') return { outcome, key: candidate };
    }
    throw new ArchiveKeyCollisionError(key, metadata.digest);
  }

  /**
   * The key under which this message (by digest) is already archived, if it is: lets a caller
   * skip expensive work for a re-delivered message before building its archive.
   *
   * @example
   * if (await store.findArchived(key, digest)) return; // a duplicate delivery
   */
  async findArchived(key: string, digest: string): Promise<string | undefined> {
    for (const candidate of [key, disambiguatedKey(key, digest)]) {
      const existing = await this.headDigest(candidate);
      if (existing === undefined) return undefined;
      if (existing === digest) return candidate;
    }
    return undefined;
  }

  /** Every object under `prefix`, in key order, page by page. */
  async *list(prefix: string): AsyncGenerator<ArchiveObjectSummary> {
    for await (const page of paginateListObjectsV2({ client: this.s3 }, { Bucket: this.bucket, Prefix: prefix })) {
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) yield { key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified };
      }
    }
  }

  /** The header fields stored as object metadata (one HeadObject, no download). */
  async readMetadata(key: string): Promise<ArchiveMetadata> {
    const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
    return metadataFromS3(key, head.Metadata ?? {});
  }

  /** Downloads and decodes one archive object. */
  async read(key: string): Promise<Archive> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const bytes = object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
    return decodeArchive(bytes);
  }

  /** True when an object exists at `key`. */
  async exists(key: string): Promise<boolean> {
    return (await this.headDigest(key)) !== undefined;
  }

  /** Moves an object (copy, then delete the source), keeping its metadata. Safe to repeat after a crash between the two steps. */
  async move(fromKey: string, toKey: string): Promise<void> {
    await this.s3.send(
      new CopyObjectCommand({ Bucket: this.bucket, Key: toKey, CopySource: copySource(this.bucket, fromKey), MetadataDirective: 'COPY' }),
    );
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: fromKey }));
  }

  private async putIfAbsent(key: string, body: Uint8Array, metadata: ArchiveMetadata): Promise<'written' | 'duplicate' | 'taken'> {
    let existingDigest = await this.headDigest(key);
    if (existingDigest === undefined) {
      try {
        await this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: body,
            IfNoneMatch: '*',
            ContentType: key.endsWith('.gz') ? GZIP_CONTENT_TYPE : NDJSON_CONTENT_TYPE,
            Metadata: metadataToS3(metadata),
          }),
        );
        return 'written';
      } catch (error) {
        if (!isPreconditionFailed(error)) throw error;
        existingDigest = await this.headDigest(key);
      }
    }
    return existingDigest === metadata.digest ? 'duplicate' : 'taken';
  }

  /** The digest stored with the object at `key` ('' when it has none), or undefined when there is no object. */
  private async headDigest(key: string): Promise<string | undefined> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.Metadata?.[METADATA.digest] ?? '';
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}

/**
 * The metadata of an archive, derived from its header.
 *
 * @example
 * await store.putOnce(key, body, metadataOf(header));
 */
export function metadataOf(header: Archive['header']): ArchiveMetadata {
  return {
    kind: header.kind,
    reason: header.reason,
    table: header.table,
    records: header.counts.records,
    digest: header.source.digest,
    failedAt: header.failedAt,
    lostCondition: header.lost?.condition ?? null,
  };
}

function metadataToS3(metadata: ArchiveMetadata): Record<string, string> {
  const values: Record<string, string> = {
    [METADATA.kind]: metadata.kind,
    [METADATA.reason]: encodeURIComponent(metadata.reason.slice(0, MAX_METADATA_REASON_CHARS)),
    [METADATA.records]: String(metadata.records),
    [METADATA.digest]: metadata.digest,
    [METADATA.failedAt]: metadata.failedAt,
  };
  if (metadata.table !== null) values[METADATA.table] = encodeURIComponent(metadata.table);
  if (metadata.lostCondition !== null) values[METADATA.lostCondition] = metadata.lostCondition;
  return values;
}

const kindSchema = archiveHeaderSchema.shape.kind;
const lostConditionSchema = archiveHeaderSchema.shape.lost.unwrap().shape.condition;

function metadataFromS3(key: string, values: Record<string, string>): ArchiveMetadata {
  const required = (field: string): string => {
    const value = values[field];
    if (value === undefined) throw new MissingArchiveMetadataError(key, field);
    return value;
  };
  const kind = kindSchema.safeParse(required(METADATA.kind));
  if (!kind.success) throw new MissingArchiveMetadataError(key, METADATA.kind);
  const lostCondition = values[METADATA.lostCondition];
  const table = values[METADATA.table];
  return {
    kind: kind.data,
    reason: decodeURIComponent(required(METADATA.reason)),
    table: table === undefined ? null : decodeURIComponent(table),
    records: Number(required(METADATA.records)),
    digest: required(METADATA.digest),
    failedAt: required(METADATA.failedAt),
    lostCondition: lostCondition === undefined ? null : (lostConditionSchema.safeParse(lostCondition).data ?? null),
  };
}

function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404 || (error as Error | undefined)?.name === 'NotFound';
}

function isPreconditionFailed(error: unknown): boolean {
  return statusOf(error) === 412 || (error as Error | undefined)?.name === 'PreconditionFailed';
}
