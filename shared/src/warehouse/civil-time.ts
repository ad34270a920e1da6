/**
 * DATETIME and TIME parameters: civil (zone-less) values. BigQuery takes them as strings in its
 * canonical form; DuckDB binds them as micro-second counts. A string with a zone is refused, since
 * a DATETIME has none and silently dropping the offset would move the value.
 */

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/;

/** 'YYYY-MM-DDTHH:MM:SS[.ffffff]'; a Date gives its UTC wall time. */
export function datetimeParam(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, -1);
  const m = typeof value === 'string' ? DATETIME.exec(value.trim()) : null;
  if (!m) throw new Error(`A DATETIME parameter takes 'YYYY-MM-DD[THH:MM[:SS[.ffffff]]]' without a zone, or a Date; got ${JSON.stringify(value)}`);
  const [, y, mo, d, h = '00', mi = '00', s = '00', f] = m;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${f ? `.${f}` : ''}`;
}

/** Microseconds since 1970-01-01T00:00:00 of a canonical DATETIME string, reading it as UTC. */
export function datetimeMicros(canonical: string): bigint {
  const [date = '', time = ''] = canonical.split('T');
  const [y, mo, d] = date.split('-').map(Number);
  const ms = Date.UTC(y!, mo! - 1, d!);
  return BigInt(ms) * 1000n + timeMicros(time);
}

/** 'HH:MM:SS[.ffffff]'. */
export function timeParam(value: unknown): string {
  const m = typeof value === 'string' ? TIME.exec(value.trim()) : null;
  if (!m) throw new Error(`A TIME parameter takes 'HH:MM[:SS[.ffffff]]'; got ${JSON.stringify(value)}`);
  const [, h, mi, s = '00', f] = m;
  return `${h}:${mi}:${s}${f ? `.${f}` : ''}`;
}

export function timeMicros(canonical: string): bigint {
  const [hms = '', frac = ''] = canonical.split('.');
  const [h = 0, mi = 0, s = 0] = hms.split(':').map(Number);
  return BigInt((h * 3600 + mi * 60 + s) * 1_000_000) + BigInt(frac.padEnd(6, '0') || '0');
}
