import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { LOG_TAIL_LINES } from './constants';

const TAIL_BYTES = 64 * 1024;

/** The last `count` lines of a text, without ANSI colour codes. */
export function lastLines(text: string, count: number = LOG_TAIL_LINES): string {
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\u001b\[[0-9;]*m/g, '');
  const lines = plain.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-count).join('\n');
}

/** The last `count` lines of a file (reads at most its last 64 KiB); empty when the file is missing. */
export function tailFile(file: string, count: number = LOG_TAIL_LINES): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return lastLines(buffer.toString('utf8'), count);
  } finally {
    closeSync(fd);
  }
}
