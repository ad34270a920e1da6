import { checkSet, transition, type Change, type Content, type Transition } from '../entities/model.js';
import type { HierarchyState } from '../entities/state.js';
import type { Tenant } from '../../orgs/identity.js';
import { CSV_COLUMNS, MAX_IMPORT_ROWS, parseCsv, unneutralise } from './format.js';

/** A problem of the file, by data row (1 = the first row after the header). */
export interface CsvProblem { row: number | null; entity_id: string | null; field: string; message: string }

export interface ImportPlan {
  problems: CsvProblem[];
  desired: Content[];
  transition: Transition | null;
}

const text = (v: string | undefined): string | null => (v === undefined || v.trim() === '' ? null : unneutralise(v.trim()));

/**
 * The file as the org's whole hierarchy (a full sync: an entity missing from it is deleted):
 * parsed, checked as a whole against the org's levels (≤ 1000 rows, unique ids, parents in the
 * file, no cycles, configured level codes and depths, e-mails, metadata JSON ≤ 10 KB), and
 * diffed against the current versions.
 */
export function planImport(t: Tenant, state: HierarchyState, csv: string, actor: string, now: Date): ImportPlan {
  const problems: CsvProblem[] = [];
  const parsed = parseCsv(csv);
  if ('error' in parsed) return { problems: [{ row: null, entity_id: null, field: 'csv_content', message: `csv_content is not valid CSV: ${parsed.error}` }], desired: [], transition: null };
  const [header, ...records] = parsed.records;
  if (!header) return { problems: [{ row: null, entity_id: null, field: 'csv_content', message: 'csv_content is empty (it needs the header row)' }], desired: [], transition: null };
  const cols = header.map((h) => h.trim().toLowerCase());
  for (const need of ['entity_id', 'entity_name', 'level_code']) if (!cols.includes(need)) problems.push({ row: null, entity_id: null, field: 'csv_content', message: `the header lacks the ${need} column` });
  const unknown = cols.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) problems.push({ row: null, entity_id: null, field: 'csv_content', message: `unknown columns: ${unknown.join(', ')} (known: ${CSV_COLUMNS.join(', ')})` });
  if (records.length > MAX_IMPORT_ROWS) problems.push({ row: null, entity_id: null, field: 'csv_content', message: `${records.length} rows; at most ${MAX_IMPORT_ROWS}` });
  if (problems.length) return { problems, desired: [], transition: null };

  const byCode = new Map(state.levels.filter((l) => l.is_active).map((l) => [l.level_code, l]));
  const desired: Content[] = [];
  const rowOf = new Map<string, number>();
  records.forEach((cells, i) => {
    const row = i + 1;
    if (cells.length !== cols.length) { problems.push({ row, entity_id: null, field: 'csv_content', message: `row ${row} has ${cells.length} cells; the header has ${cols.length}` }); return; }
    const get = (c: string) => cells[cols.indexOf(c)];
    const id = (text(get('entity_id')) ?? '').toUpperCase();
    const say = (field: string, message: string) => problems.push({ row, entity_id: id || null, field, message });
    const levelCode = text(get('level_code')) ?? '';
    const level = byCode.get(levelCode);
    const levelCell = text(get('level'));
    if (levelCell !== null && !/^\d+$/.test(levelCell)) say('level', `level ${JSON.stringify(levelCell)} is not a number`);
    let metadata: Record<string, unknown> | null = null;
    const meta = text(get('metadata'));
    if (meta !== null) {
      try {
        const v: unknown = JSON.parse(meta);
        if (v === null || typeof v !== 'object' || Array.isArray(v)) say('metadata', 'metadata must be a JSON object');
        else metadata = v as Record<string, unknown>;
      } catch { say('metadata', 'metadata is not valid JSON'); }
    }
    const sortCell = text(get('sort_order'));
    if (sortCell !== null && !/^\d{1,7}$/.test(sortCell)) say('sort_order', `sort_order ${JSON.stringify(sortCell)} is not a whole number ≥ 0`);
    if (!id) { say('entity_id', 'entity_id is empty'); return; }
    if (rowOf.has(id)) { say('entity_id', `entity_id ${id} is also on row ${rowOf.get(id)}`); return; }
    rowOf.set(id, row);
    const before = state.entities.find((e) => e.entity_id === id);
    desired.push({
      entity_id: id, entity_name: text(get('entity_name')) ?? '', level: levelCell !== null && /^\d+$/.test(levelCell) ? Number(levelCell) : level?.level ?? 0, level_code: levelCode,
      parent_id: text(get('parent_id'))?.toUpperCase() ?? null, owner_id: before?.owner_id ?? null, owner_name: text(get('owner_name')), owner_email: text(get('owner_email')),
      description: text(get('description')), metadata, sort_order: sortCell !== null && /^\d{1,7}$/.test(sortCell) ? Number(sortCell) : null, is_active: before?.is_active ?? true,
    });
  });
  const checked = checkSet(state.levels, desired, state.entities);
  for (const p of checked.problems) problems.push({ row: rowOf.get(p.entity_id) ?? null, entity_id: p.entity_id, field: p.field, message: p.message });
  if (problems.length) return { problems, desired, transition: null };
  return { problems, desired, transition: transition(t, state.entities, desired, checked.derived, state.last, actor, now) };
}

export function problemText(problems: readonly CsvProblem[]): string {
  const shown = problems.slice(0, 20).map((p) => `${p.row === null ? '' : `row ${p.row}${p.entity_id ? ` (${p.entity_id})` : ''}: `}${p.message}`);
  return `The CSV was not imported (nothing changed): ${shown.join('; ')}${problems.length > 20 ? `; and ${problems.length - 20} more` : ''}`;
}

export type { Change };
