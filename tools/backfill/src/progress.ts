import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { ProgressReporter, ProgressTrack, ProgressUpdate } from './types';

/** How progress is shown: bars (terminal), JSON lines, nothing, or `auto` (bars on a TTY, JSON lines otherwise). */
export type ProgressMode = 'auto' | 'bars' | 'json' | 'none';

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  readonly mode: ProgressMode;
  /** Where progress goes. @default process.stderr */
  readonly stream?: NodeJS.WriteStream;
  /** Seconds between JSON progress lines. */
  readonly intervalSeconds: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * The progress display for `mode`: a cli-progress multibar (one bar per track, with items, items/s and the ETA
 * when the track's total is known), JSON lines every `intervalSeconds`, or nothing.
 *
 * @example
 * const progress = createProgress({ mode: 'auto', intervalSeconds: 10 });
 * progress.begin('backfill', [{ id: '0', label: 'segment 0', total: 2500 }]);
 * progress.update('0', { done: 100, counters: { indexed: 98 } });
 * progress.end();
 */
export function createProgress(options: ProgressOptions): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const mode = options.mode === 'auto' ? (stream.isTTY ? 'bars' : 'json') : options.mode;
  if (mode === 'bars') return new BarsProgress(stream, options.now ?? Date.now);
  if (mode === 'json') return new JsonLinesProgress(stream, options.intervalSeconds * 1000, options.now ?? Date.now);
  return silentProgress;
}

/** Shows nothing. */
export const silentProgress: ProgressReporter = { begin: () => undefined, update: () => undefined, end: () => undefined };

interface TrackState {
  readonly track: ProgressTrack;
  done: number;
  finished: boolean;
  counters: Readonly<Record<string, number>>;
}

/** Rate and ETA of a set of tracks since `startedAt`. */
export function throughput(
  tracks: readonly { done: number; track: { total?: number } }[],
  startedAt: number,
  now: number,
): { rate: number; etaSeconds: number | undefined } {
  const done = tracks.reduce((sum, state) => sum + state.done, 0);
  const elapsed = Math.max(0.001, (now - startedAt) / 1000);
  const rate = done / elapsed;
  const totals = tracks.map((state) => state.track.total);
  if (totals.some((total) => total === undefined) || rate === 0) return { rate, etaSeconds: undefined };
  const remaining = Math.max(0, (totals as number[]).reduce((sum, total) => sum + total, 0) - done);
  return { rate, etaSeconds: Math.round(remaining / rate) };
}

function formatCounters(counters: Readonly<Record<string, number>>): string {
  return Object.entries(counters)
    .map(([name, value]) => `${name} ${value}`)
    .join(' · ');
}

/** JSON progress lines, for logs and pipelines. */
export class JsonLinesProgress implements ProgressReporter {
  private phase = '';
  private startedAt = 0;
  private tracks = new Map<string, TrackState>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  begin(phase: string, tracks: readonly ProgressTrack[]): void {
    this.end();
    this.phase = phase;
    this.startedAt = this.now();
    this.tracks = new Map(tracks.map((track) => [track.id, { track, done: 0, finished: false, counters: {} }]));
    this.timer = setInterval(() => this.emit(), this.intervalMs);
    this.timer.unref();
  }

  update(trackId: string, update: ProgressUpdate): void {
    const state = this.tracks.get(trackId);
    if (state === undefined) return;
    state.done = update.done;
    state.finished = update.finished ?? state.finished;
    state.counters = update.counters ?? state.counters;
  }

  end(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.emit();
  }

  /** The current progress line (exposed for tests). */
  line(): Record<string, unknown> {
    const states = [...this.tracks.values()];
    const now = this.now();
    const { rate, etaSeconds } = throughput(states, this.startedAt, now);
    const counters: Record<string, number> = {};
    for (const state of states) for (const [name, value] of Object.entries(state.counters)) counters[name] = (counters[name] ?? 0) + value;
    return {
      msg: 'progress',
      phase: this.phase,
      elapsedMs: now - this.startedAt,
      done: states.reduce((sum, state) => sum + state.done, 0),
      total: states.every((state) => state.track.total !== undefined)
        ? states.reduce((sum, state) => sum + (state.track.total ?? 0), 0)
        : undefined,
      perSecond: Math.round(rate * 10) / 10,
      etaSeconds,
      tracksFinished: states.filter((state) => state.finished).length,
      tracks: states.length,
      ...counters,
    };
  }

  private emit(): void {
    this.stream.write(`${JSON.stringify(this.line())}\n`);
  }
}

/** A cli-progress multibar on a terminal. */
export class BarsProgress implements ProgressReporter {
  private multibar: MultiBar | undefined;
  private bars = new Map<string, { bar: SingleBar; state: TrackState; startedAt: number }>();

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly now: () => number,
  ) {}

  begin(phase: string, tracks: readonly ProgressTrack[]): void {
    this.end();
    this.multibar = new MultiBar(
      {
        stream: this.stream,
        format: `${phase} {label} |{bar}| {value}/{totalText} | {rate}/s | ETA {etaText} | {counters}`,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    const startedAt = this.now();
    for (const track of tracks) {
      const state: TrackState = { track, done: 0, finished: false, counters: {} };
      const bar = this.multibar.create(track.total ?? 0, 0, this.payload(state, startedAt));
      this.bars.set(track.id, { bar, state, startedAt });
    }
  }

  update(trackId: string, update: ProgressUpdate): void {
    const entry = this.bars.get(trackId);
    if (entry === undefined) return;
    entry.state.done = update.done;
    entry.state.finished = update.finished ?? entry.state.finished;
    entry.state.counters = update.counters ?? entry.state.counters;
    if (entry.state.track.total === undefined) entry.bar.setTotal(update.done);
    entry.bar.update(update.done, this.payload(entry.state, entry.startedAt));
  }

  end(): void {
    this.multibar?.stop();
    this.multibar = undefined;
    this.bars.clear();
  }

  private payload(state: TrackState, startedAt: number): Record<string, string> {
    const { rate, etaSeconds } = throughput([state], startedAt, this.now());
    return {
      label: state.track.label,
      totalText: state.track.total === undefined ? '?' : String(state.track.total),
      rate: rate.toFixed(1),
      etaText: state.finished ? 'done' : etaSeconds === undefined ? '?' : `${etaSeconds}s`,
      counters: formatCounters(state.counters),
    };
  }
}
