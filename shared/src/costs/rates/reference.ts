import { join } from 'node:path';
import { configsDir } from '../../config.js';
import { readCsv } from '../../csv.js';
import { readYamlFile } from '../../yaml-file.js';

/** One fixing: units of `currency` per 1 EUR on `date` (YYYY-MM-DD). */
export interface Fixing {
  date: string;
  currency: string;
  unitsPerEur: number;
  source: 'ECB' | 'PEG' | 'OPERATOR';
  approximation: boolean;
}

interface PegFile { pegs: Record<string, { per_usd: string; approximation: boolean }> }

let cached: Fixing[] | undefined;

/**
 * The shipped reference rates (configs/reference/): the ECB's euro reference rates for the nine
 * currencies it quotes, and the Gulf currencies derived from each day's USD fixing through their
 * US-dollar pegs (KWD flagged as an approximation). Read once; never changes at run time.
 */
export function referenceFixings(): Fixing[] {
  if (cached) return cached;
  const dir = join(configsDir(), 'reference');
  const rows = readCsv(join(dir, 'ecb_eur_reference_rates.csv'));
  const currencies = Object.keys(rows[0] ?? {}).filter((c) => c !== 'date');
  const pegs = (readYamlFile(join(dir, 'gulf_pegs.yml')) as PegFile).pegs;
  const out: Fixing[] = [];
  for (const row of rows) {
    const date = row.date;
    if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`ecb_eur_reference_rates.csv: bad date ${date}`);
    for (const c of currencies) {
      const v = Number(row[c]);
      if (row[c] && Number.isFinite(v) && v > 0) out.push({ date, currency: c, unitsPerEur: v, source: 'ECB', approximation: false });
    }
    const usd = Number(row.USD);
    if (!Number.isFinite(usd) || usd <= 0) continue;
    for (const [c, p] of Object.entries(pegs)) out.push({ date, currency: c, unitsPerEur: Number(p.per_usd) * usd, source: 'PEG', approximation: p.approximation });
  }
  return (cached = out);
}
