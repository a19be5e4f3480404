import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { errors, type Client } from '@opensearch-project/opensearch';
import { documentId, readAlias, routeFor, writeAlias, type IndexRoute } from '@ddb-os/opensearch-mapping';
import { toJsonSafe, type JsonObject, type JsonValue } from '@ddb-os/stream-decoding';
import type { SyncTargetConfig } from '@ddb-os/sync-config';
import type { ZodObject } from 'zod';
import { batchGetItems, keyFromJson } from './batch-get';
import { canonicalJson, contentHash, documentContent } from './canonical-hash';
import { DEFAULTS } from './constants';
import { VerifyInterruptedError } from './errors';
import { DriftReport } from './drift-report';
import { planRawItem, type ItemPlan, type PlanContext } from './item-plan';
import { NdjsonWriter } from './ndjson-writer';
import { childController, runConcurrently } from './pool';
import { silentProgress } from './progress';
import type { TokenBucket } from './rate-limit';
import { repairEntries, type RepairContext } from './repair';
import { verifyStatus } from './summary';
import { assertKeyAttributes, describeTable, readCapacityLimiter, scanSegments, type ScanOptions, type TableInfo } from './table-scan';
import type { DriftEntry, IndexCount, ProgressReporter, RawItem, SegmentSource, VerifySummary } from './types';

/** Options of {@link runVerify} (the CLI validates and defaults them). */
export interface VerifyOptions {
  readonly table: string;
  readonly segments: number;
  readonly concurrency: number;
  /** Scan `Limit`; default: 1 MB pages. */
  readonly pageSize?: number;
  /** Read capacity units per second for the Scans. */
  readonly maxRcu?: number;
  /** Or a percentage of the table's provisioned read capacity. */
  readonly maxRcuPercent?: number;
  /** Fraction of keys compared, in (0, 1]; chosen by a hash of the document id, so the same keys every run. */
  readonly sample: number;
  /** Varies which keys a sample picks. */
  readonly sampleSeed: string;
  /** Phase 1: routed table items per index vs read-alias counts. */
  readonly counts: boolean;
  /** Phase 2: every (sampled) table item vs its document. */
  readonly keys: boolean;
  /** Phase 3: every (sampled) document vs the table (documents without an item). */
  readonly extras: boolean;
  /**
   * Scroll an index in phase 3 even when phase 2 proved it has no extra documents (every item of the index matched
   * its document and the refreshed live count equals the number of items). Default: skip such indexes.
   */
  readonly fullExtras?: boolean;
  /** Fix each drifted key by re-reading the table (`source: 'repair'`). */
  readonly repair: boolean;
  /** NDJSON report of every drifted key. */
  readonly reportFile?: string;
}

/** Clients and configuration of {@link runVerify}. */
export interface VerifyDependencies {
  readonly dynamo: DynamoDBClient;
  readonly openSearch: Client;
  readonly target: SyncTargetConfig;
  readonly schemas: Readonly<Record<string, ZodObject>>;
  readonly progress?: ProgressReporter;
  readonly signal?: AbortSignal;
  /** @default Date.now */
  readonly now?: () => number;
}

interface Tally {
  itemsScanned: number;
  itemsCompared: number;
  unrouted: number;
  documentsChecked: number;
  expiredKept: number;
  /** Phase 2, per index: items compared, and whether any of them drifted. */
  readonly comparedByIndex: Map<string, number>;
  readonly driftedIndexes: Set<string>;
  /** Indexes phase 3 skipped because phase 2 proved them free of extra documents. */
  readonly extrasProven: string[];
}

interface Run {
  readonly options: VerifyOptions;
  readonly dependencies: VerifyDependencies;
  readonly info: TableInfo;
  readonly plan: PlanContext;
  readonly report: DriftReport;
  readonly tally: Tally;
  readonly progress: ProgressReporter;
  readonly controller: AbortController;
  readonly limiter: TokenBucket | undefined;
  readonly found: (entry: DriftEntry) => Promise<void>;
}

/**
 * Compares a table with its indexes in bounded memory, in three phases: (1) routed items per index vs the read
 * alias `_count`; (2) every item (or a sample) vs its document, by a canonical hash of the validated JSON-safe item
 * and the document `_source` without `ddbSync`/`ddbKeys` (`_mget` on the write alias, one request per page);
 * (3) every document of the read alias (scroll) vs the table (strongly consistent BatchGetItem): documents
 * without an item, or whose item routes elsewhere; an index that phase 2 proved complete (see
 * {@link provenWithoutExtras}) is not scrolled unless `fullExtras`. With `repair`, each drifted key is re-read and rewritten with
 * the snapshot order key (`source: 'repair'`), in batches.
 *
 * @example
 * const summary = await runVerify({ table: 'orders', segments: 4, concurrency: 4, sample: 1, sampleSeed: '', counts: true,
 *   keys: true, extras: true, repair: false }, { dynamo, openSearch, target, schemas: indexSchemas });
 */
export async function runVerify(options: VerifyOptions, dependencies: VerifyDependencies): Promise<VerifySummary> {
  const now = dependencies.now ?? Date.now;
  const startedAt = now();
  const info = await describeTable(dependencies.dynamo, options.table);
  assertKeyAttributes(options.table, info, dependencies.target.keyAttributes);
  const report = new DriftReport(options.reportFile === undefined ? undefined : new NdjsonWriter(options.reportFile, { append: false }));
  const plan: PlanContext = { routes: dependencies.target.routes, keyAttributes: dependencies.target.keyAttributes, schemas: dependencies.schemas };
  const sink = driftSink(options, report, {
    dynamo: dependencies.dynamo,
    table: options.table,
    keyTypes: info.keyTypes,
    client: dependencies.openSearch,
    target: dependencies.target,
    plan,
    source: 'repair',
    now,
  });
  const run: Run = {
    options,
    dependencies,
    info,
    plan,
    report,
    tally: { itemsScanned: 0, itemsCompared: 0, unrouted: 0, documentsChecked: 0, expiredKept: 0, comparedByIndex: new Map(), driftedIndexes: new Set(), extrasProven: [] },
    progress: dependencies.progress ?? silentProgress,
    controller: childController(dependencies.signal),
    limiter: readCapacityLimiter(options.table, info, options),
    found: sink.found,
  };
  let summary: VerifySummary | undefined;
  try {
    const counts = options.counts ? await countPhase(run) : undefined;
    if (counts !== undefined) await report.recordCounts(counts);
    if (options.keys) await keyPhase(run);
    if (options.extras) await extrasPhase(run);
    if (run.controller.signal.aborted) throw new VerifyInterruptedError();
    await sink.flush();
    summary = summarize(run, counts, now() - startedAt);
    return summary;
  } finally {
    run.progress.end();
    await report.close(summary);
  }
}

/**
 * Where drift goes: straight into the report, or (with `--repair`) into batches that are repaired first, so each
 * report line carries its repair outcome.
 */
function driftSink(options: VerifyOptions, report: DriftReport, repair: RepairContext): { found: (entry: DriftEntry) => Promise<void>; flush: () => Promise<void> } {
  const pending: DriftEntry[] = [];
  const flush = async (): Promise<void> => {
    const batch = pending.splice(0);
    if (batch.length === 0) return;
    for (const entry of await repairEntries(batch, repair)) await report.record(entry);
  };
  const found = async (entry: DriftEntry): Promise<void> => {
    if (!options.repair) return report.record(entry);
    pending.push(entry);
    if (pending.length >= DEFAULTS.repairBatchSize) await flush();
  };
  return { found, flush };
}

function summarize(run: Run, counts: IndexCount[] | undefined, durationMs: number): VerifySummary {
  const repair = run.options.repair ? { ...run.report.repair } : undefined;
  const countDrift = !run.options.keys && !run.options.extras && (counts ?? []).some((count) => count.documents !== count.tableItems);
  return {
    status: countDrift ? 'drift' : verifyStatus(run.report.total, repair),
    table: run.options.table,
    sample: run.options.sample,
    counts,
    itemsScanned: run.tally.itemsScanned,
    itemsCompared: run.tally.itemsCompared,
    unrouted: run.tally.unrouted,
    documentsChecked: run.tally.documentsChecked,
    expiredKept: run.tally.expiredKept,
    extrasProven: [...run.tally.extrasProven],
    drift: { ...run.report.drift },
    invalidItems: [...run.report.invalidItems],
    repair,
    durationMs,
    reportFile: run.options.reportFile,
  };
}

function segmentsOf(run: Run, projection?: readonly string[]): SegmentSource[] {
  const scan: ScanOptions = {
    dynamo: run.dependencies.dynamo,
    table: run.options.table,
    totalSegments: run.options.segments,
    pageSize: run.options.pageSize,
    projection,
    limiter: run.limiter,
    now: run.dependencies.now,
  };
  return scanSegments(scan);
}

async function forEachPage(run: Run, phase: string, segments: readonly SegmentSource[], handle: (items: readonly RawItem[]) => Promise<void>): Promise<void> {
  const perSegment = run.info.itemCount ? Math.ceil(run.info.itemCount / segments.length) : undefined;
  run.progress.begin(phase, segments.map((segment) => ({ id: segment.id, label: `segment ${segment.id.padStart(3)}`, ...(perSegment === undefined ? {} : { total: perSegment }) })));
  await runConcurrently(
    segments,
    run.options.concurrency,
    async (segment) => {
      let done = 0;
      for await (const page of segment.pages(undefined, run.controller.signal)) {
        await handle(page.items);
        done += page.items.length;
        run.progress.update(segment.id, { done, finished: page.next === null });
      }
    },
    run.controller,
  );
  run.progress.end();
}

/** Phase 1: routed table items per index (a Scan of keys and routing attributes) vs the read alias `_count`. */
async function countPhase(run: Run): Promise<IndexCount[]> {
  const routed = new Map<string, number>(indexesOf(run.dependencies.target.routes).map((index) => [index, 0]));
  await forEachPage(run, 'counts', segmentsOf(run, routingProjection(run)), async (items) => {
    for (const raw of items) {
      const route = routeOf(raw, run.dependencies.target.routes);
      if (route !== undefined) routed.set(route.index, (routed.get(route.index) ?? 0) + 1);
    }
  });
  const counts: IndexCount[] = [];
  for (const [index, tableItems] of routed) counts.push({ index, tableItems, documents: await countDocuments(run.dependencies.openSearch, index) });
  return counts;
}

/** Phase 2: each (sampled) table item vs its document. */
async function keyPhase(run: Run): Promise<void> {
  await forEachPage(run, 'keys', segmentsOf(run), async (items) => {
    run.tally.itemsScanned += items.length;
    const plans = items.map((raw) => planRawItem(raw, run.plan)).filter((plan) => plan.id === undefined || inSample(plan.id, run.options));
    const writes: Extract<ItemPlan, { kind: 'write' }>[] = [];
    for (const plan of plans) {
      if (plan.kind === 'unrouted') run.tally.unrouted += 1;
      else if (plan.kind === 'invalid') await keyDrift(run, { kind: 'invalid', index: plan.index, id: plan.id, keys: plan.keys, reason: plan.reason });
      else writes.push(plan);
    }
    await compareWithDocuments(run, writes);
  });
}

interface MgetDoc {
  readonly _id?: string;
  readonly found?: boolean;
  readonly _source?: JsonObject;
  readonly error?: { readonly type?: string; readonly reason?: string };
}

async function compareWithDocuments(run: Run, writes: readonly Extract<ItemPlan, { kind: 'write' }>[]): Promise<void> {
  for (let start = 0; start < writes.length; start += DEFAULTS.scrollPageSize) {
    const chunk = writes.slice(start, start + DEFAULTS.scrollPageSize);
    const response = await run.dependencies.openSearch.mget({
      body: { docs: chunk.map((write) => ({ _index: writeAlias(write.index), _id: write.id })) },
      _source_excludes: ['ddbKeys'],
      realtime: true,
    });
    const docs = response.body.docs as readonly MgetDoc[];
    for (const [position, write] of chunk.entries()) {
      run.tally.itemsCompared += 1;
      run.tally.comparedByIndex.set(write.index, (run.tally.comparedByIndex.get(write.index) ?? 0) + 1);
      const reason = documentDifference(write.document, docs[position]);
      if (reason !== undefined) await keyDrift(run, { kind: reason.kind, index: write.index, id: write.id, keys: write.keys, reason: reason.text });
    }
  }
}

async function keyDrift(run: Run, entry: DriftEntry): Promise<void> {
  if (entry.index !== undefined) run.tally.driftedIndexes.add(entry.index);
  await run.found(entry);
}

/** Why a document does not hold `expected`, or `undefined` when it does. */
export function documentDifference(expected: JsonObject, doc: MgetDoc | undefined): { kind: 'missing' | 'different'; text: string } | undefined {
  if (doc === undefined) return { kind: 'missing', text: '_mget returned no entry' };
  if (doc.error !== undefined) return { kind: 'missing', text: `cannot read the document: ${doc.error.type ?? ''} ${doc.error.reason ?? ''}`.trim() };
  if (doc.found !== true || doc._source === undefined) return { kind: 'missing', text: 'no document' };
  if (isTombstone(doc._source)) {
    return { kind: 'missing', text: 'the document is a tombstone (the index says the item is deleted)' };
  }
  const actual = documentContent(doc._source);
  if (contentHash(actual) === contentHash(expected)) return undefined;
  return { kind: 'different', text: `fields differ: ${differingFields(expected, actual).join(', ')}` };
}

function differingFields(expected: JsonObject, actual: JsonObject): string[] {
  const names = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  return names.filter((name) => canonicalOrAbsent(expected[name]) !== canonicalOrAbsent(actual[name]));
}

function canonicalOrAbsent(value: JsonValue | undefined): string {
  return value === undefined ? '(absent)' : canonicalJson(value);
}

interface ScrollHit {
  readonly _id: string;
  readonly _source?: { readonly ddbKeys?: JsonValue; readonly ddbSync?: { readonly eventName?: string; readonly expired?: boolean } };
}

/** Phase 3: each (sampled) document of the read alias vs the table. */
async function extrasPhase(run: Run): Promise<void> {
  const indexes = indexesOf(run.dependencies.target.routes);
  run.progress.begin('extras', indexes.map((index) => ({ id: index, label: index })));
  for (const index of indexes) {
    if (await provenWithoutExtras(run, index)) {
      run.tally.extrasProven.push(index);
      run.progress.update(index, { done: 0, finished: true });
      continue;
    }
    let done = 0;
    for await (const hits of scrollDocuments(run.dependencies.openSearch, index)) {
      if (run.controller.signal.aborted) return;
      const sampled = hits.filter((hit) => inSample(hit._id, run.options));
      run.tally.documentsChecked += sampled.length;
      await checkDocuments(run, index, sampled);
      done += hits.length;
      run.progress.update(index, { done });
    }
    run.progress.update(index, { done, finished: true });
  }
  run.progress.end();
}

/**
 * Whether phase 2 already proves that `index` holds no document without a table item: every item routed there
 * matched its own document (distinct keys, distinct ids) and, after a refresh, the read alias counts exactly that
 * many live documents, so there is no room for another. Needs the full key phase (no sample); any doubt (a drifted
 * key, a count that differs, a refresh that fails) means the index is scrolled as usual.
 */
async function provenWithoutExtras(run: Run, index: string): Promise<boolean> {
  const { options, tally } = run;
  if (options.fullExtras === true || !options.keys || options.sample < 1 || tally.driftedIndexes.has(index)) return false;
  const client = run.dependencies.openSearch;
  try {
    await client.indices.refresh({ index: writeAlias(index) });
    return (await countDocuments(client, index)) === (tally.comparedByIndex.get(index) ?? 0);
  } catch {
    return false;
  }
}

async function checkDocuments(run: Run, index: string, hits: readonly ScrollHit[]): Promise<void> {
  const keyAttributes = run.dependencies.target.keyAttributes;
  const candidates: (DriftEntry & { readonly id: string })[] = [];
  const readable: { hit: ScrollHit; keys: JsonObject }[] = [];
  for (const hit of hits) {
    const keys = hit._source?.ddbKeys;
    const usable = keys !== null && typeof keys === 'object' && !Array.isArray(keys) && keyFromJson(keys, run.info.keyTypes) !== undefined;
    if (!usable) candidates.push({ kind: 'extra', index, id: hit._id, keys: undefined, reason: 'the document has no usable ddbKeys (not written by a sync writer?)' });
    else if (safeDocumentId(keys, keyAttributes) !== hit._id) candidates.push({ kind: 'extra', index, id: hit._id, keys, reason: 'the document id does not match its ddbKeys' });
    else readable.push({ hit, keys });
  }
  const items = await batchGetItems(
    run.dependencies.dynamo,
    run.options.table,
    readable.map(({ keys }) => keyFromJson(keys, run.info.keyTypes) as NonNullable<ReturnType<typeof keyFromJson>>),
    routingProjection(run),
  );
  const byId = new Map(items.map((item) => [itemDocumentId(item, keyAttributes), item]));
  for (const { hit, keys } of readable) {
    const item = byId.get(hit._id);
    if (item === undefined) {
      if (isKeptExpired(hit)) run.tally.expiredKept += 1;
      else candidates.push({ kind: 'extra', index, id: hit._id, keys, reason: 'no table item has this key' });
      continue;
    }
    const route = routeOf(item, run.dependencies.target.routes);
    if (route?.index !== index) {
      candidates.push({ kind: 'extra', index, id: hit._id, keys, reason: route === undefined ? 'the table item matches no index route' : `the table item routes to index ${route.index}` });
    }
  }
  const live = await liveDocumentIds(run.dependencies.openSearch, index, candidates.map((entry) => entry.id));
  for (const entry of candidates) if (live.has(entry.id)) await run.found(entry);
}

/**
 * The ids, among `ids`, whose document is live right now (realtime `_mget` on the write alias): the scroll sees
 * the last refresh only, so a document deleted since (a tombstone now) must not be reported as extra.
 */
async function liveDocumentIds(client: Client, index: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const response = await client.mget({ index: writeAlias(index), body: { ids: [...ids] }, _source_includes: ['ddbSync.deleted'], realtime: true });
  const docs = response.body.docs as readonly MgetDoc[];
  return new Set(
    docs.filter((doc) => doc.found === true && !isTombstone(doc._source)).map((doc) => doc._id ?? ''),
  );
}

function isTombstone(source: JsonObject | undefined): boolean {
  const sync = source?.['ddbSync'];
  return sync !== null && typeof sync === 'object' && !Array.isArray(sync) && sync['deleted'] === true;
}

/** A document of an item TTL deleted, kept on purpose under `TTL_DELETE_POLICY=mark-expired`. */
function isKeptExpired(hit: ScrollHit): boolean {
  return hit._source?.ddbSync?.expired === true || hit._source?.ddbSync?.eventName === 'REMOVE';
}

async function* scrollDocuments(client: Client, index: string): AsyncGenerator<ScrollHit[]> {
  let scrollId: string | undefined;
  try {
    let response;
    try {
      response = await client.search({
        index: readAlias(index),
        scroll: DEFAULTS.scrollKeepAlive,
        size: DEFAULTS.scrollPageSize,
        body: { query: { match_all: {} }, sort: ['_doc'], _source: ['ddbKeys', 'ddbSync.eventName', 'ddbSync.expired'] },
      });
    } catch (error) {
      if (isIndexNotFound(error)) return;
      throw error;
    }
    for (;;) {
      scrollId = response.body._scroll_id ?? undefined;
      const hits = response.body.hits.hits as unknown as ScrollHit[];
      if (hits.length === 0) return;
      yield hits;
      if (scrollId === undefined) return;
      response = await client.scroll({ scroll_id: scrollId, scroll: DEFAULTS.scrollKeepAlive });
    }
  } finally {
    if (scrollId !== undefined) await client.clearScroll({ scroll_id: scrollId }).catch(() => undefined);
  }
}

async function countDocuments(client: Client, index: string): Promise<number> {
  try {
    const response = await client.count({ index: readAlias(index) });
    return response.body.count;
  } catch (error) {
    if (isIndexNotFound(error)) return 0;
    throw error;
  }
}

function isIndexNotFound(error: unknown): boolean {
  return error instanceof errors.ResponseError && error.statusCode === 404;
}

function routeOf(raw: RawItem, routes: readonly IndexRoute[]): IndexRoute | undefined {
  try {
    return routeFor(toJsonSafe(raw), routes);
  } catch {
    return undefined;
  }
}

function itemDocumentId(item: RawItem, keyAttributes: readonly string[]): string | undefined {
  try {
    return documentId(toJsonSafe(item), keyAttributes);
  } catch {
    return undefined;
  }
}

function safeDocumentId(keys: JsonObject, keyAttributes: readonly string[]): string | undefined {
  try {
    return documentId(keys, keyAttributes);
  } catch {
    return undefined;
  }
}

/** Key and routing attributes: all the count and extras phases need of an item. */
function routingProjection(run: Run): string[] {
  const routeAttributes = run.dependencies.target.routes.flatMap((route) => ('attribute' in route.match ? [route.match.attribute] : []));
  return [...new Set([...run.dependencies.target.keyAttributes, ...routeAttributes])];
}

function indexesOf(routes: readonly IndexRoute[]): string[] {
  return [...new Set(routes.map((route) => route.index))];
}

/**
 * Whether a document id falls in the sample: a hash of the seed and the id, so a run with the same seed and
 * fraction compares the same keys (in the table phase and the extras phase alike).
 *
 * @example
 * inSample('UFJPRFVDVCMx.UFJPRFVDVA', { sample: 0.01, sampleSeed: '' });
 */
export function inSample(id: string, options: Pick<VerifyOptions, 'sample' | 'sampleSeed'>): boolean {
  if (options.sample >= 1) return true;
  const hash = createHash('sha256').update(options.sampleSeed).update('\u0000').update(id).digest();
  return hash.readUInt32BE(0) / 2 ** 32 < options.sample;
}
