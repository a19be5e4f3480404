/** Measurement and result types shared by the benches. */
import type { BenchIndexNames } from './bench-definition';

/** A half-open time interval in milliseconds (`performance.now()` clock). */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** What the HTTP recorder saw: one interval and one path per finished request. */
export interface HttpRecording {
  readonly intervals: readonly Interval[];
  /** Requests per endpoint kind: `_bulk`, `_mget`, `other`. */
  readonly requests: Readonly<Record<'bulk' | 'mget' | 'other', number>>;
}

/** Records the OpenSearch round trips of this process, to split handler time into "waiting for OpenSearch" and the rest. */
export interface HttpRecorder {
  /** Takes what was recorded since the last call and starts over. */
  take(): HttpRecording;
  stop(): void;
}

/** How a synthetic workload of Lambda batches is shaped. */
export interface SyntheticWorkload {
  readonly seed: number;
  readonly batches: number;
  readonly batchSize: number;
  /** Approximate size of each item as JSON, in bytes (1 KB and 10 KB in the reported runs). */
  readonly itemBytes: number;
  /** Share of records that update one of the hot keys (0.3 in the reported runs). */
  readonly updateShare: number;
  /** Share of records that delete an earlier item (0.1 in the reported runs). */
  readonly deleteShare: number;
  /** How many keys the updates go to. */
  readonly hotKeys: number;
  /** Makes the keys of this workload distinct from every other run's (index documents are not shared). */
  readonly keyPrefix: string;
  /** Sequence number of the first record; the rest follow one by one, as in a shard. */
  readonly firstSequenceNumber: bigint;
  /** `ApproximateCreationDateTime` of every record (epoch seconds). */
  readonly createdAtSeconds: number;
}

/** What a workload contains, by kind (the figures are reported next to the timings). */
export interface WorkloadCounts {
  records: number;
  inserts: number;
  updates: number;
  deletes: number;
}

/** One handler invocation, measured. */
export interface BatchTiming {
  readonly records: number;
  readonly wallMs: number;
  /** Process CPU (user + system) during the invocation, µs. */
  readonly cpuUs: number;
  /** Time with at least one OpenSearch request in flight. */
  readonly openSearchMs: number;
  readonly bulkRequests: number;
  readonly mgetRequests: number;
  readonly otherRequests: number;
  /** Times the batch was delivered again after a partial failure (its time is included). */
  readonly redeliveries: number;
}

/** The indexer's pure steps timed on their own over the same batches (`@ddb-os/stream-decoding`, `@ddb-os/indexing-core`). */
export interface StepTiming {
  readonly decodeMs: number;
  readonly decodeCpuUs: number;
  readonly planMs: number;
  readonly planCpuUs: number;
  /** Documents left after coalescing (what the bulk requests carry). */
  readonly documents: number;
}

/** The figures of one run (one configuration, all its batches). */
export interface ThroughputRun {
  readonly records: number;
  readonly documents: number;
  readonly batches: number;
  readonly wallMs: number;
  readonly recordsPerSecond: number;
  readonly cpuUsPerRecord: number;
  /** Each invocation's wall time rounded up to the millisecond (Lambda's billed duration), per record. */
  readonly billedMsPerRecord: number;
  /** Lambda GB-seconds per million records at 512 MB and 1,024 MB, from the billed duration. */
  readonly gbSecondsPerMillionAt512: number;
  readonly gbSecondsPerMillionAt1024: number;
  /** Decode, timed alone, per record. */
  readonly decodeUsPerRecord: number;
  /** Route, validate, derive ids and coalesce, timed alone, per record. */
  readonly planUsPerRecord: number;
  /** OpenSearch round trips (`_mget` + `_bulk`) per batch. */
  readonly openSearchMsPerBatch: number;
  /** Handler time not spent waiting for OpenSearch, per batch (decode, plan, building bodies, parsing responses). */
  readonly otherMsPerBatch: number;
  /** Share of handler wall time spent waiting for OpenSearch. */
  readonly openSearchShare: number;
  readonly requestsPerBatch: number;
  /** Batches delivered again after a partial failure (0 when OpenSearch kept up). */
  readonly redeliveries: number;
}

/** A pre-built `_bulk` request: the documents one batch leaves after coalescing, as plain `index` actions. */
export interface PrebuiltBulk {
  readonly records: number;
  readonly documents: number;
  readonly ndjson: string;
}

/** One configuration of the ceiling comparison, per run. */
export interface CeilingRun {
  /** OpenSearch alone, one request at a time. */
  readonly ceilingRecordsPerSecond: number;
  readonly ceilingDocumentsPerSecond: number;
  /** OpenSearch alone, `parallelism` requests at a time. */
  readonly parallelCeilingRecordsPerSecond: number;
  /** The indexer handler on the same batches (decode, plan, `_mget`, conditional `_bulk`). */
  readonly indexerRecordsPerSecond: number;
  /** indexer ÷ sequential ceiling. */
  readonly ratio: number;
}

/** A write seen in the index. */
export interface ObservedWrite {
  readonly id: string;
  readonly version: number;
  /** From just before the PutItem was sent to the poll that first found this version (or a later one). */
  readonly fromSendMs: number;
  /** From the PutItem's acknowledgement. */
  readonly fromAckMs: number;
}

/** The latency figures of one run. */
export interface LatencyRun {
  readonly writes: number;
  readonly notSeen: number;
  readonly fromSend: LatencySummary;
  readonly fromAck: LatencySummary;
  /** Writes per second actually achieved by the writer. */
  readonly achievedRate: number;
  /** Where the time went, when the bench marked the stages. */
  readonly stages?: StageBreakdown;
}

/**
 * The points a write passes after its PutItem acknowledgement: `stream` its record first returned by a GetRecords
 * of the bench's own reader (moto's figure, independent of the runner), `delivered` the runner invokes the handler
 * with it, `indexed` that invocation returned, `searchable` the first search that finds it.
 */
export type PipelineStage = 'stream' | 'delivered' | 'indexed' | 'searchable';

/** Per-stage latency figures of one run. */
export interface StageBreakdown {
  /** PutItem send → acknowledgement (moto's write). */
  readonly putItem: LatencySummary;
  /** Acknowledgement → each stage (stages without a mark are left out). */
  readonly fromAck: Readonly<Partial<Record<PipelineStage, LatencySummary>>>;
  /** The stage before (the acknowledgement for `stream`) → each stage. */
  readonly step: Readonly<Partial<Record<PipelineStage, LatencySummary>>>;
}

/** p50 / p95 / p99 / max and the sample size. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** The machine a result was measured on. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  /** 1-, 5- and 15-minute load averages when the run started: other work on the machine skews every figure. */
  readonly loadAverageAtStart: readonly number[];
}

/** What every result file holds besides its figures. */
export interface BenchEnvelope {
  readonly bench: string;
  /** The exact command that produced the file. */
  readonly command: string;
  readonly generatedAt: string;
  readonly machine: MachineInfo;
  readonly versions: Readonly<Record<string, string | undefined>>;
  readonly settings: Readonly<Record<string, unknown>>;
  /** Reduced run (smoke test): not a reportable figure. */
  readonly quick: boolean;
  readonly notes: readonly string[];
}

/** A result: the envelope plus the bench's own figures (`runs`, `median`, ...). */
export type BenchResult<T extends object> = BenchEnvelope & T;

/** Options every bench takes. */
export interface CommonOptions {
  readonly runs: number;
  /** Reduced mode (smoke test): small sizes, one run; the result is marked `quick`. */
  readonly quick: boolean;
  readonly outDir: string;
  readonly seed: number;
}

/** The options of a bench that runs a handler over batch sizes × item sizes (see `withSweepOptions`). */
export interface SweepOptions {
  readonly handler: string;
  readonly batchSizes: readonly number[];
  readonly itemSizes: readonly number[];
  readonly records: number;
}

/** One measured configuration of such a bench (item size × batch size): its runs and their medians. */
export interface SweepConfiguration<Run> {
  readonly itemBytes: number;
  readonly batchSize: number;
  readonly runs: readonly Run[];
  readonly median: Record<keyof Run, number>;
}

/** The environment the indexer Lambda reads (see `@ddb-os/indexing-core` `indexingConfigOf`). */
export interface IndexerEnvironment {
  readonly openSearchNode: string;
  /** `SYNC_NAME`: the sync of the compiled-in definition (the bench's: `bench-reviews`, …; the workspace's: `demo`). */
  readonly syncName: string;
  /** The indexes of the bench's definition (`BENCH_INDEX`, …); none for a handler with the workspace's definition. */
  readonly indexes?: BenchIndexNames;
  readonly dlqUrl: string;
  readonly sqsEndpoint: string;
  /** Extra variables, e.g. `RETRY_MAX_ATTEMPTS`. */
  readonly extra?: Readonly<Record<string, string>>;
}

/** How a measured child process ended. */
export interface ChildRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
  /** Peak RSS of the child (ru_maxrss), MiB; undefined when the probe did not report. */
  readonly peakRssMiB: number | undefined;
}

/** A small seeded pseudo-random generator (mulberry32): the same seed gives the same workload everywhere. */
export interface Prng {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, max). */
  int(max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** A uniformly chosen element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
}

/** A workload sent to a `bench:peer` contender process. */
export interface ContenderRequest {
  readonly workload: SyntheticWorkload;
}

/** What a contender process answers: ready once loaded, then the timings of each workload (or why it failed). */
export type ContenderReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'timings'; readonly timings: readonly BatchTiming[] }
  | { readonly kind: 'error'; readonly message: string };

/** The figures of one contender on one workload (`bench:peer`). */
export interface ContenderRun {
  readonly records: number;
  readonly recordsPerSecond: number;
  /** Process CPU (user + system) during the handler calls, ms per 1,000 records (= µs per record). */
  readonly cpuMsPer1k: number;
  /** Handler wall time per batch, each invocation rounded up to the millisecond as Lambda bills it, ÷ records. */
  readonly billedMsPerRecord: number;
  /** Lambda GB-seconds per million records at 512 MB and 1,024 MB, from the billed duration measured here. */
  readonly gbSecondsPerMillionAt512: number;
  readonly gbSecondsPerMillionAt1024: number;
  readonly openSearchMsPerBatch: number;
}

/** One pair of `bench:peer`: both contenders on identical batches, back to back. */
export interface ContenderPair {
  readonly pair: number;
  /** Which contender ran first (alternates from pair to pair). */
  readonly first: 'ours' | 'peer';
  readonly ours: ContenderRun;
  readonly peer: ContenderRun;
  /** ours records/s ÷ peer records/s. */
  readonly ratio: number;
}

/** A contender's cold start in a fresh `node` process. */
export interface InitRun {
  /** `require` of the module. */
  readonly requireMs: number;
  /** The first invocation on a one-record batch against the null endpoint: configuration, client construction, one round trip. */
  readonly firstInvocationMs: number;
  /** From the process's time origin to the end of the first invocation (Node's own start included). */
  readonly sinceProcessStartMs: number;
}
