import { join } from 'node:path';
import { configsDir } from '../../config.js';
import { readCsv } from '../../csv.js';
import { decimalParam } from '../../warehouse/decimal.js';
import { FLOW_SPECS, GENAI_PROVIDERS, STATUSES, type Flow, type GenaiProvider, type StoredRow } from './flows.js';
import { newFlowRow, type FlowInput } from './model.js';

/**
 * The default prices of each flow (configs/genai/<flow>.csv: list prices with their `source`
 * and `source_date` per line), checked cell by cell on first use: a bad line fails the tests,
 * never a request.
 */
const cache = new Map<Flow, FlowInput[]>();

export function defaultLines(flow: Flow): FlowInput[] {
  const hit = cache.get(flow);
  if (hit) return hit;
  const spec = FLOW_SPECS[flow];
  const file = `genai/${flow}.csv`;
  const problems: string[] = [];
  const lines = readCsv(join(configsDir(), file)).map((raw, i) => {
    const at = `${file} line ${i + 2}`;
    const out: Record<string, string | number | boolean | null> = {};
    if (!(GENAI_PROVIDERS as readonly string[]).includes(raw.provider ?? '') || !spec.providers.includes(raw.provider as GenaiProvider)) problems.push(`${at}: provider ${raw.provider} is not a ${flow} provider`);
    if (!STATUSES.includes((raw.status ?? '') as never)) problems.push(`${at}: status ${raw.status}`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(raw.source_date ?? '') || !raw.source) problems.push(`${at}: source and source_date are required`);
    out.provider = raw.provider!;
    out.status = raw.status!;
    out.region = raw.region || 'global';
    out[spec.id.field] = raw[spec.id.field]!;
    out.effective_from = raw.effective_from || raw.source_date!;
    const money = (name: string, v: string) => {
      try { out[name] = decimalParam(v, 'NUMERIC'); } catch (err) { problems.push(`${at}: ${name}: ${(err as Error).message}`); }
    };
    for (const p of [spec.price, spec.output]) if (p && raw[p.field]) money(p.field, raw[p.field]!);
    // A rate may be blank only where the source publishes none (the notes say so); payg and GPU rates never are.
    if (!raw[spec.price.field] && spec.flow !== 'commitment') problems.push(`${at}: ${spec.price.field} is required`);
    for (const [name, m] of Object.entries(spec.fields)) {
      const v = raw[name];
      if (v === undefined || v === '') { out[name] = null; continue; }
      if (m.kind === 'money') money(name, v);
      else if (m.kind === 'int') { if (!/^\d+$/.test(v)) problems.push(`${at}: ${name} must be a whole number`); out[name] = Number(v); }
      else if (m.kind === 'bool') { if (v !== 'true' && v !== 'false') problems.push(`${at}: ${name} must be true or false`); out[name] = v === 'true'; }
      else out[name] = v;
    }
    return out;
  });
  if (problems.length) throw new Error(problems.join('\n'));
  cache.set(flow, lines);
  return lines;
}

/** A flow's defaults as first versions (fresh ids), optionally of one provider. */
export function defaultRows(flow: Flow, a: { today: string; now: Date; provider?: string }): StoredRow[] {
  const spec = FLOW_SPECS[flow];
  return defaultLines(flow).filter((l) => !a.provider || l.provider === a.provider).map((l) => newFlowRow(spec, l, { today: a.today, now: a.now, custom: false }));
}
