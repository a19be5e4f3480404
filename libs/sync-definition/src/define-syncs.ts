import { createHash } from 'node:crypto';
import type { IndexRoute } from '@ddb-os/opensearch-mapping';
import type { SyncRouting } from '@ddb-os/sync-config';
import { z } from 'zod';
import { runtimeRoutesOf, syncIssues } from './definition-schema';
import { documentShapes } from './document-shapes';
import { InvalidSyncDefinitionError } from './errors';
import { declaredKeyAttributes, transformIssues } from './transform-rules';
import type { SyncDefinition, SyncMode, SyncsDefinition } from './types';

/** One sync of a validated definition, with what every part of the system reads from it. */
export interface ResolvedSync {
  readonly name: string;
  readonly definition: SyncDefinition;
  /** The routes as the router knows them (schemas by name). */
  readonly routes: readonly IndexRoute[];
  /** The key attributes the definition declares (a created table); `undefined`: read them from the table. */
  readonly declaredKeyAttributes: readonly string[] | undefined;
  readonly versionAttribute: string | undefined;
  readonly mode: SyncMode;
  readonly mappingDynamic: 'strict' | 'false';
  /**
   * Hash of what the Lambdas compile in: the deployment passes it, a cold start compares it (bundle ≠ template).
   * Covers every field of the definition (schemas as their JSON Schema, object keys in sorted order) except the source
   * of `compute` functions, which bundlers spell differently: 16 hex digits.
   */
  readonly fingerprint: string;
  /**
   * What every writer takes from the definition, for the table's key attributes (declared, or read from an existing
   * table with DescribeTable): routes, document shapes, key and version attributes.
   * @throws InvalidSyncDefinitionError when a transform touches a key attribute of that table, or the keys differ
   * from the declared ones.
   */
  routingFor(keyAttributes: readonly string[]): SyncRouting;
}

/** A validated set of syncs, by name. */
export interface Syncs {
  readonly names: readonly string[];
  /** @throws InvalidSyncDefinitionError naming the known syncs when there is no sync of that name. */
  named(name: string | undefined): ResolvedSync;
  all(): readonly ResolvedSync[];
}

/**
 * Validates a workspace's sync definition and returns its syncs by name. The CDK app (at synth), the Lambdas (at
 * cold start), the CLIs and the demo all call this, so each refuses a definition with the same words.
 *
 * @example
 * export const syncs = defineSyncs({ syncs: [{ name: 'orders', table: { existing: { name: 'orders' } }, domain: { existing: { endpoint, arn } }, routes: [{ index: 'orders', match: { always: true } }] }] });
 * @throws InvalidSyncDefinitionError listing every problem, each with its path.
 */
export function defineSyncs(definition: SyncsDefinition): Syncs {
  const issues = definitionIssues(definition);
  if (issues.length > 0) throw new InvalidSyncDefinitionError(issues);
  const resolved = new Map(definition.syncs.map((sync) => [sync.name, resolveSync(sync)]));
  const names = [...resolved.keys()];
  return {
    names,
    all: () => [...resolved.values()],
    named: (name) => {
      const sync = name === undefined ? undefined : resolved.get(name);
      if (sync !== undefined) return sync;
      const which = name === undefined ? 'no sync named (set --sync or SYNC_NAME)' : `no sync named "${name}"`;
      throw new InvalidSyncDefinitionError([`${which}; the definition has: ${names.join(', ')}`]);
    },
  };
}

function definitionIssues(definition: SyncsDefinition): string[] {
  if (typeof definition !== 'object' || definition === null || !Array.isArray(definition.syncs))
    return ['(definition): must be { syncs: [...] }'];
  const unknown = Object.keys(definition).filter((key) => key !== 'syncs');
  if (unknown.length > 0) return unknown.map((key) => `(definition): unknown key "${key}"; the definition is { syncs: [...] }`);
  if (definition.syncs.length === 0) return ['syncs: must list at least one sync'];
  const perSync = definition.syncs.flatMap((sync, position) => {
    const label = `syncs[${position}]${typeof sync?.name === 'string' ? ` "${sync.name}"` : ''}`;
    return syncIssues(sync).map((issue) => (issue.startsWith(':') ? `${label}${issue}` : `${label}.${issue}`));
  });
  return perSync.length > 0 ? perSync : crossSyncIssues(definition.syncs);
}

/** Syncs must not collide: one name each, one sync per table, one writer per index of a domain. */
function crossSyncIssues(syncs: readonly SyncDefinition[]): string[] {
  const issues: string[] = [];
  const seen = new Map<string, string>();
  const tables: Array<{ readonly table: ExistingTable; readonly owner: string }> = [];
  const claim = (key: string, owner: string, what: string) => {
    const first = seen.get(key);
    if (first !== undefined) issues.push(`${owner}: ${what} is already used by ${first}`);
    else seen.set(key, owner);
  };
  syncs.forEach((sync, position) => {
    const owner = `syncs[${position}] "${sync.name}"`;
    claim(`name:${sync.name}`, owner, `the name "${sync.name}"`);
    if ('existing' in sync.table) {
      const table = sync.table.existing;
      const first = tables.find((other) => sameTable(other.table, table));
      if (first !== undefined) issues.push(`${owner}: table "${tableNameOf(table)}" is already used by ${first.owner}`);
      else tables.push({ table, owner });
    }
    if ('existing' in sync.domain) {
      const endpoint = new URL(sync.domain.existing.endpoint).host;
      for (const index of new Set(sync.routes.map((route) => route.index)))
        claim(`index:${endpoint}/${index}`, owner, `index "${index}" on ${endpoint}`);
    }
    issues.push(...sameIndexIssues(sync, owner));
  });
  return issues;
}

/** Two routes of one index must share its schema (checked by the route validator) and its transform. */
function sameIndexIssues(sync: SyncDefinition, owner: string): string[] {
  const first = new Map<string, number>();
  return sync.routes.flatMap((route, position) => {
    const earlier = first.get(route.index);
    if (earlier === undefined) {
      first.set(route.index, position);
      return [];
    }
    return sync.routes[earlier]?.transform === route.transform
      ? []
      : [
          `${owner}.routes[${position}].transform: index "${route.index}" already has the transform of routes[${earlier}]; one index has one document shape: give both routes the same transform object`,
        ];
  });
}

type ExistingTable = { readonly name?: string; readonly arn?: string };

function tableNameOf(table: ExistingTable): string {
  return table.name ?? table.arn?.split(':table/')[1] ?? '';
}

/** Two ARNs are one table when equal; a name is a table of the deployment's account and region, so it matches an ARN by name. */
function sameTable(one: ExistingTable, other: ExistingTable): boolean {
  if (one.arn !== undefined && other.arn !== undefined) return one.arn === other.arn;
  return tableNameOf(one) === tableNameOf(other);
}

function resolveSync(definition: SyncDefinition): ResolvedSync {
  const mappingDynamic = definition.mappingDynamic ?? 'strict';
  // Hashed on first read: a cold start reads only its own sync's (and only when the deployment passes one to compare).
  let fingerprint: string | undefined;
  return {
    name: definition.name,
    definition,
    routes: runtimeRoutesOf(definition.routes),
    declaredKeyAttributes: declaredKeyAttributes(definition),
    versionAttribute: definition.versionAttribute,
    mode: definition.mode ?? 'direct',
    mappingDynamic,
    get fingerprint() {
      fingerprint ??= fingerprintOf(definition);
      return fingerprint;
    },
    routingFor: (keyAttributes) => {
      const issues = routingIssues(definition, keyAttributes);
      if (issues.length > 0) throw new InvalidSyncDefinitionError(issues.map((issue) => `sync "${definition.name}".${issue}`));
      return {
        syncName: definition.name,
        routes: runtimeRoutesOf(definition.routes),
        keyAttributes,
        versionAttribute: definition.versionAttribute,
        mappingDynamic,
        numberPolicy: definition.numbers ?? 'string',
        ttlDeletePolicy: definition.ttlDeletes ?? 'delete',
        unroutedPolicy: definition.unrouted ?? 'skip',
        shapes: documentShapes(definition.routes, keyAttributes, mappingDynamic),
      };
    },
  };
}

function routingIssues(definition: SyncDefinition, keyAttributes: readonly string[]): string[] {
  const declared = declaredKeyAttributes(definition);
  if (keyAttributes.length < 1 || keyAttributes.length > 2 || new Set(keyAttributes).size !== keyAttributes.length)
    return [`table: key attributes must be the partition key and at most one distinct sort key, got [${keyAttributes.join(', ')}]`];
  if (declared !== undefined && declared.join('\u0000') !== keyAttributes.join('\u0000'))
    return [`table: the table's key attributes [${keyAttributes.join(', ')}] differ from the declared [${declared.join(', ')}]`];
  return definition.routes.flatMap((route, position) => transformIssues(route, position, definition, keyAttributes));
}

/**
 * Schemas as their JSON Schema, functions by their place only (a minified bundle spells their source differently):
 * what a bundle compiled in, comparable with what a template was synthesized from.
 */
function fingerprintOf(definition: SyncDefinition): string {
  const text = JSON.stringify(definition, (_key, value: unknown) => {
    if (value instanceof z.ZodType) return sortedKeys(z.toJSONSchema(value, { unrepresentable: 'any', cycles: 'ref' }));
    if (typeof value === 'function') return 'function';
    return sortedKeys(value);
  });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The same object with its keys in sorted order (arrays keep theirs): equal definitions hash alike however they are written. */
function sortedKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key]]),
  );
}
