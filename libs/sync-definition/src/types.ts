import type { JsonObject, JsonValue, RouteMatch } from '@ddb-os/opensearch-mapping';
import type { ZodObject, ZodType } from 'zod';

/** How changes reach OpenSearch: `direct` (the indexer reads the stream) or `buffered` (stream reader → SNS/SQS FIFO → writer). */
export type SyncMode = 'direct' | 'buffered';

/** Where a batch the event source mapping gives up on goes: `sqs` (its range, re-read later) or `s3` (the whole batch). */
export type FailureDestination = 'sqs' | 's3';

/** A table the deployment creates: its key attributes are declared here, once. */
export interface CreatedTableDefinition {
  readonly create: {
    readonly partitionKey: string;
    readonly sortKey?: string;
    /** What `cdk destroy` does with the table. @default 'retain' */
    readonly removal?: 'retain' | 'destroy';
  };
}

/**
 * A table that exists already, by name or ARN. Its key attributes are read from the table itself (DescribeTable),
 * never typed here. The stream must be enabled with view type NEW_AND_OLD_IMAGES; `streamArn` is its ARN
 * (`aws dynamodb describe-table --table-name <name> --query Table.LatestStreamArn`), needed by the deployment only.
 */
export interface ExistingTableDefinition {
  readonly existing: {
    readonly name?: string;
    readonly arn?: string;
    readonly streamArn?: string;
    /** The table is a global table (one stream reader per shard instead of two). @default false */
    readonly globalTable?: boolean;
  };
}

export type TableDefinition = CreatedTableDefinition | ExistingTableDefinition;

/** A one-node-or-more OpenSearch domain the deployment creates. */
export interface CreatedDomainDefinition {
  readonly create: {
    /** @default 't3.small.search' */
    readonly instanceType?: string;
    /** @default 1 */
    readonly dataNodes?: number;
    /** EBS volume per data node (GiB). @default 10 */
    readonly volumeGiB?: number;
    /** What `cdk destroy` does with the domain. @default 'retain' */
    readonly removal?: 'retain' | 'destroy';
  };
}

/** An OpenSearch domain that exists already. Its access policy must admit the writers' role (a stack output). */
export interface ExistingDomainDefinition {
  readonly existing: {
    /** `https://search-….<region>.es.amazonaws.com` */
    readonly endpoint: string;
    /** `arn:aws:es:<region>:<account>:domain/<name>` */
    readonly arn: string;
  };
}

/**
 * An OpenSearch Serverless collection. Refused by the validator, naming why: the ordering guarantee rests on
 * compare-and-set writes (`if_seq_no`/`if_primary_term`) after a realtime `_mget`, which Serverless does not document
 * as supported, and on writing by document id, which only its search collections keep (see docs/your-own-table.md
 * "OpenSearch Serverless").
 */
export interface ServerlessCollectionDefinition {
  readonly serverless: { readonly collectionEndpoint: string; readonly collectionArn?: string };
}

export type DomainDefinition = CreatedDomainDefinition | ExistingDomainDefinition | ServerlessCollectionDefinition;

/** A document field computed from the item by a pure function; `schema` types it (and maps it). */
export interface ComputedField {
  /** Validates the computed value (a value it refuses makes the item poison) and gives the field its mapping. */
  readonly schema: ZodType;
  /**
   * Pure and deterministic, and must not modify the item: every writer (indexer, backfill, replay, repair, verify)
   * must compute the same value. It sees the item as the route's schema parsed it, before hash/include/exclude/rename;
   * `undefined` leaves the field out. Its source is not part of the fingerprint (bundlers rewrite it): changing what it
   * computes needs a redeploy and `ddb-os verify --repair`.
   */
  readonly compute: (item: Readonly<JsonObject>) => JsonValue | undefined;
}

/**
 * How an item becomes its document, applied identically by every writer and by verify, in this order: computed
 * fields (from the whole item), `hash`, then `include`/`exclude`, then `rename`. Names are top-level attribute names
 * of the item; key attributes are always kept as they are (document ids, tombstones and verify rest on them). A
 * renamed or computed field may not take a name another field of the document has (refused by the definition when
 * the schema shows it, by the writer, as poison, when only the item does), nor a reserved (`ddbSync`, `ddbKeys`),
 * dotted, `__proto__` or OpenSearch metadata (`_id`, …) name.
 */
export interface TransformDefinition {
  /** Keep only these attributes (and the key attributes). Exclusive with `exclude`. */
  readonly include?: readonly string[];
  /** Drop these attributes. */
  readonly exclude?: readonly string[];
  /** Attribute name → document field name. */
  readonly rename?: Readonly<Record<string, string>>;
  /** Replace these attributes' values by the (unsalted) SHA-256 hex of their JSON: searchable by equality, not readable — but guessable for low-entropy values (emails): `exclude` what must not be indexed. */
  readonly hash?: readonly string[];
  /** Document field name → how it is computed. */
  readonly computed?: Readonly<Record<string, ComputedField>>;
}

/** Which items go to one index, and how they become documents. */
export interface RouteDefinition {
  /** Base index name: the read alias; physical indexes are `<index>-v<n>`. */
  readonly index: string;
  readonly match: RouteMatch;
  /** The item's zod schema (the team's own module): items that do not fit are dead-lettered; the mapping derives from it. */
  readonly schema?: ZodObject;
  readonly transform?: TransformDefinition;
}

/** One DynamoDB table kept in sync with its OpenSearch indexes. */
export interface SyncDefinition {
  /** Names the sync everywhere: CLIs (`--sync`), stacks, metrics (`service`), dashboards. Lowercase, digits, '-'. */
  readonly name: string;
  readonly table: TableDefinition;
  readonly domain: DomainDefinition;
  readonly routes: readonly RouteDefinition[];
  /** An application version attribute that orders changes exactly. @default - stream order */
  readonly versionAttribute?: string;
  /** @default 'direct' */
  readonly mode?: SyncMode;
  /** What OpenSearch does with fields a schema does not declare. @default 'strict' */
  readonly mappingDynamic?: 'strict' | 'false';
  /**
   * Numbers a JavaScript double cannot hold exactly: kept as exact decimal strings, or the item refused (poison,
   * with the attribute named). Every writer and verify decode alike. @default 'string'
   */
  readonly numbers?: 'string' | 'reject';
  /** An item DynamoDB's TTL deletes: its document deleted, or kept and marked expired (`ddbSync.expired`). @default 'delete' */
  readonly ttlDeletes?: 'delete' | 'mark-expired';
  /** A change no route matches: skipped (counted), or dead-lettered with the reason. @default 'skip' */
  readonly unrouted?: 'skip' | 'dead-letter';
  readonly failures?: {
    /** @default 'sqs' */
    readonly destination?: FailureDestination;
    /** Retries of a failing stream batch before it is sent on-failure. @default 10 */
    readonly retryAttempts?: number;
    /** Records older than this go on-failure instead of to the writer. @default 6 */
    readonly maxRecordAgeHours?: number;
    /** Days before archived failures expire. @default 365 */
    readonly archiveExpiryDays?: number;
  };
  readonly stream?: {
    /** Records per invocation. @default 100 */
    readonly batchSize?: number;
    /** @default 1 */
    readonly maxBatchingWindowSeconds?: number;
    /** @default 1 */
    readonly parallelizationFactor?: number;
  };
}

/** Every sync of a workspace: what `defineSyncs` takes. */
export interface SyncsDefinition {
  readonly syncs: readonly SyncDefinition[];
}
