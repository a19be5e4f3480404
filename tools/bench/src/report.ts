import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { machineLine } from './machine';
import type { BenchEnvelope } from './types';

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

/**
 * Writes a bench's result ({@link writeResult}) and prints where, as the bench's last line.
 *
 * @example
 * publishResult(options.outDir, result, markdown(result)); // prints "latency: wrote docs/benchmarks/latency.json"
 */
export function publishResult(dir: string, result: BenchEnvelope, markdown: string): void {
  console.log(`${result.bench}: wrote ${writeResult(dir, result, markdown)}`);
}
