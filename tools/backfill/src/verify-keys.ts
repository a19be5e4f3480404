import { writeAlias } from '@ddb-os/opensearch-mapping';
import type { JsonObject, JsonValue } from '@ddb-os/stream-decoding';
import { canonicalJson, contentHash, documentContent } from './canonical-hash';
import { DEFAULTS } from './constants';
import { isTombstone, type MgetDoc } from './index-reads';
import { planRawItem, type ItemPlan } from './item-plan';
import type { DriftEntry } from './types';
import { forEachPage, inSample, segmentsOf, type Run } from './verify-run';

/** Phase 2: each (sampled) table item vs its document. */
export async function keyPhase(run: Run): Promise<void> {
  await forEachPage(run, 'keys', segmentsOf(run), async (items) => {
    run.tally.itemsScanned += items.length;
    const plans = items.map((raw) => planRawItem(raw, run.plan)).filter((plan) => plan.id === undefined || inSample(plan.id, run.options));
    const writes: Extract<ItemPlan, { kind: 'write' }>[] = [];
    for (const plan of plans) {
      if (plan.kind === 'unrouted') run.tally.unrouted += 1;
      else if (plan.kind === 'invalid')
        await keyDrift(run, { kind: 'invalid', index: plan.index, id: plan.id, keys: plan.keys, reason: plan.reason });
      else writes.push(plan);
    }
    await compareWithDocuments(run, writes);
  });
}

export async function compareWithDocuments(run: Run, writes: readonly Extract<ItemPlan, { kind: 'write' }>[]): Promise<void> {
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
      if (reason !== undefined)
        await keyDrift(run, { kind: reason.kind, index: write.index, id: write.id, keys: write.keys, reason: reason.text });
    }
  }
}

export async function keyDrift(run: Run, entry: DriftEntry): Promise<void> {
  if (entry.index !== undefined) run.tally.driftedIndexes.add(entry.index);
  await run.found(entry);
}

/** Why a document does not hold `expected`, or `undefined` when it does. */
export function documentDifference(
  expected: JsonObject,
  doc: MgetDoc | undefined,
): { kind: 'missing' | 'different'; text: string } | undefined {
  if (doc === undefined) return { kind: 'missing', text: '_mget returned no entry' };
  if (doc.error !== undefined)
    return { kind: 'missing', text: `cannot read the document: ${doc.error.type ?? ''} ${doc.error.reason ?? ''}`.trim() };
  if (doc.found !== true || doc._source === undefined) return { kind: 'missing', text: 'no document' };
  if (isTombstone(doc._source)) {
    return { kind: 'missing', text: 'the document is a tombstone (the index says the item is deleted)' };
  }
  const actual = documentContent(doc._source);
  if (contentHash(actual) === contentHash(expected)) return undefined;
  return { kind: 'different', text: `fields differ: ${differingFields(expected, actual).join(', ')}` };
}

export function differingFields(expected: JsonObject, actual: JsonObject): string[] {
  const names = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  return names.filter((name) => canonicalOrAbsent(expected[name]) !== canonicalOrAbsent(actual[name]));
}

export function canonicalOrAbsent(value: JsonValue | undefined): string {
  return value === undefined ? '(absent)' : canonicalJson(value);
}
