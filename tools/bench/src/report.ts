import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MachineInfo } from './machine';
import { machineLine } from './machine';

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

/**
 * Formats a Markdown table.
 *
 * @example
 * markdownTable(['size', 'records/s'], [['1 KB', 1200]]);
 */
export function markdownTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * The Markdown companion of a result: title, command, machine, then the bench's tables.
 *
 * @example
 * resultMarkdown(result, 'Indexer throughput', [markdownTable(['a'], [[1]])]);
 */
export function resultMarkdown(result: BenchEnvelope, title: string, sections: readonly string[]): string {
  return [
    `# ${title}`,
    '',
    `Generated ${result.generatedAt} by \`${result.command}\`${result.quick ? ' (reduced run, not a reportable figure)' : ''}.`,
    '',
    `Machine: ${machineLine(result.machine, result.versions)}.`,
    '',
    ...sections.flatMap((section) => [section, '']),
    ...(result.notes.length > 0 ? ['Notes:', '', ...result.notes.map((note) => `- ${note}`), ''] : []),
  ].join('\n');
}

/**
 * Writes `<dir>/<bench>.json` and `<dir>/<bench>.md`; returns the JSON path.
 *
 * @example
 * writeResult('docs/benchmarks', result, markdown);
 */
export function writeResult(dir: string, result: BenchEnvelope, markdown: string): string {
  mkdirSync(dir, { recursive: true });
  const jsonPath = path.join(dir, `${result.bench}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(path.join(dir, `${result.bench}.md`), markdown);
  return jsonPath;
}
