/**
 * The hierarchy CSV (RFC 4180: quoted cells may hold commas, quotes as "" and line breaks).
 * Export writes it; preview and import read it back, so a file round-trips unchanged.
 */
export const CSV_COLUMNS = ['entity_id', 'entity_name', 'level', 'level_code', 'parent_id', 'owner_name', 'owner_email', 'description', 'metadata', 'sort_order'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export const MAX_IMPORT_ROWS = 1000;

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is written with a
 * leading apostrophe, and `unneutralise` takes it off again on import, so a file opened in a
 * spreadsheet runs nothing and still round-trips unchanged.
 */
const FORMULA = /^[=+\-@\t\r]/;
export const neutralise = (v: string): string => (FORMULA.test(v) ? `'${v}` : v);
export const unneutralise = (v: string): string => (v.startsWith("'") && FORMULA.test(v.slice(1)) ? v.slice(1) : v);

const quote = (v: string): string => (/[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replaceAll('"', '""')}"` : v);

export function toCsv(rows: readonly Record<CsvColumn, string>[]): string {
  return [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => quote(neutralise(r[c]))).join(','))].join('\r\n') + '\r\n';
}

/** Cells of each record, or the 1-based line of the first malformed quote. */
export function parseCsv(text: string): { records: string[][] } | { error: string } {
  const records: string[][] = [];
  let cell = '';
  let record: string[] = [];
  let quoted = false;
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { cell += '"'; i++; } else quoted = false;
      } else { if (ch === '\n') line++; cell += ch; }
      continue;
    }
    if (ch === '"') {
      if (cell !== '') return { error: `line ${line}: a quote inside an unquoted cell` };
      quoted = true;
    } else if (ch === ',') { record.push(cell); cell = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { /* the \n ends it */ }
    else if (ch === '\n') { record.push(cell); records.push(record); record = []; cell = ''; line++; }
    else cell += ch;
  }
  if (quoted) return { error: `line ${line}: a quoted cell is not closed` };
  if (cell !== '' || record.length) { record.push(cell); records.push(record); }
  return { records: records.filter((r) => !(r.length === 1 && r[0]!.trim() === '')) };
}
