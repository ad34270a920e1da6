import { readFileSync } from 'node:fs';
import { ConfigError } from './config.js';

/**
 * A CSV file of configs/ (seed prices, SaaS catalog, reference rates): plain, without quoted
 * commas (notes use ';'). Rows come back as header → cell; a line with another number of cells
 * than the header is a ConfigError naming the file and line, so a bad seed fails the tests,
 * never a request.
 */
export function readCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const cols = header!.split(',');
  return lines.map((line, i) => {
    const cells = line.split(',');
    if (cells.length !== cols.length) throw new ConfigError([`${file}:${i + 2}: ${cells.length} cells where the header has ${cols.length}`]);
    return Object.fromEntries(cols.map((c, j) => [c, cells[j]!]));
  });
}
