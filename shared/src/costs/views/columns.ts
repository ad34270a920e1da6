import { ValidationError } from '../../errors.js';
import { costColumns } from '../ledger/store.js';

/**
 * The ledger columns a caller asked for: `defaults` when none, every column for `*`, else the
 * named ones in their order (a 422 naming `columns` and the unknown names; nothing else ever
 * reaches the SQL text).
 */
export function chooseColumns(asked: readonly string[] | undefined, defaults: readonly string[]): string[] {
  const all = costColumns();
  if (!asked?.length) return defaults.filter((c) => all.includes(c));
  if (asked.length === 1 && asked[0] === '*') return all;
  const unknown = asked.filter((c) => !all.includes(c));
  if (unknown.length) {
    const message = `Unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; columns are FOCUS 1.2 names of the ledger (or * for all)`;
    throw new ValidationError(message, { columns: [message] });
  }
  return [...new Set(asked)];
}
