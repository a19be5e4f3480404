import { classifyBulkItem, classifyStatus, describeError } from '../../src/bulk-result';
import type { BulkResponseItem } from '../../src/bulk-result';

const item = (status: number, type?: string, reason?: string): BulkResponseItem => ({
  index: { _id: 'a', status, ...(type === undefined ? {} : { error: { type, reason } }) },
});

describe('classifyBulkItem', () => {
  it.each([
    ['201 created', item(201), 'ok'],
    ['200 updated', item(200), 'ok'],
    ['409 version conflict', item(409, 'version_conflict_engine_exception', '[a]: version conflict'), 'conflict'],
    ['429 rejected execution', item(429, 'es_rejected_execution_exception', 'queue full'), 'retryable'],
    ['500 internal error', item(500, 'exception', 'boom'), 'retryable'],
    ['502 bad gateway', item(502), 'retryable'],
    ['503 unavailable shards', item(503, 'unavailable_shards_exception', 'primary not active'), 'retryable'],
    ['504 gateway timeout', item(504), 'retryable'],
    ['404 missing write alias', item(404, 'index_not_found_exception', 'no such index [x-write]'), 'retryable'],
    ['403 read-only index block', item(403, 'cluster_block_exception', 'blocked by: [FORBIDDEN/8/index write]'), 'retryable'],
    ['400 closed index', item(400, 'index_closed_exception', 'closed'), 'retryable'],
    ['400 mapper parsing', item(400, 'mapper_parsing_exception', 'failed to parse field [price]'), 'poison'],
    ['400 strict mapping', item(400, 'strict_dynamic_mapping_exception', 'mapping set to strict'), 'poison'],
    ['400 illegal argument', item(400, 'illegal_argument_exception', 'Limit of total fields [1000] has been exceeded'), 'poison'],
    ['400 immense term', item(400, 'illegal_argument_exception', 'Document contains at least one immense term'), 'poison'],
    ['400 unknown type', item(400, 'some_new_exception', '?'), 'poison'],
    ['413 document too large', item(413), 'poison'],
  ])('%s → %s', (_label, bulkItem, kind) => {
    expect(classifyBulkItem(bulkItem).kind).toBe(kind);
  });

  it('reads create, update and delete items too', () => {
    expect(classifyBulkItem({ create: { status: 409 } }).kind).toBe('conflict');
    expect(classifyBulkItem({ update: { status: 200 } }).kind).toBe('ok');
    expect(classifyBulkItem({ delete: { status: 503 } }).kind).toBe('retryable');
  });

  it('gives the status, type, reason and cause as the reason', () => {
    // given a poison item with a nested cause
    const bulkItem: BulkResponseItem = {
      create: {
        status: 400,
        error: {
          type: 'mapper_parsing_exception',
          reason: 'failed to parse field [price] of type [double]',
          caused_by: { type: 'number_format_exception', reason: 'For input string: "cheap"' },
        },
      },
    };
    // then
    expect(classifyBulkItem(bulkItem)).toEqual({
      kind: 'poison',
      reason:
        '400 mapper_parsing_exception: failed to parse field [price] of type [double] (caused by number_format_exception: For input string: "cheap")',
    });
  });

  it('treats an item without a known action as retryable, quoting it', () => {
    const classification = classifyBulkItem({});
    expect(classification).toEqual({ kind: 'retryable', reason: 'unrecognised bulk response item: {}' });
  });
});

describe('classifyStatus / describeError', () => {
  it('describes a missing error', () => {
    expect(classifyStatus(503)).toEqual({ kind: 'retryable', reason: '503 no error detail' });
    expect(describeError({ reason: null })).toBe('unknown error');
  });
});
