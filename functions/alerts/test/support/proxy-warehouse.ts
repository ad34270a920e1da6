import type { Query, Warehouse } from '@cloudact/shared/warehouse/port';

/**
 * A warehouse that fails chosen statements: `fail(match, when)` makes the next statement whose
 * SQL and parameters `match` throw before it runs, or after it committed (its answer lost).
 */
export function proxyWarehouse(inner: Warehouse) {
  const rules: { match: (q: Query) => boolean; when: 'before' | 'after' | 'always'; left: number }[] = [];
  const hit = (q: Query) => rules.find((r) => r.left > 0 && r.match(q));
  const wrap = <T>(fn: (q: Query) => Promise<T>) => async (q: Query): Promise<T> => {
    const r = hit(q);
    if (!r) return fn(q);
    if (r.when !== 'always') r.left--;
    if (r.when !== 'after') throw new Error('injected warehouse failure (before)');
    await fn(q);
    throw new Error('injected warehouse failure (after: committed, answer lost)');
  };
  const wh = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'query') return wrap((q) => target.query(q));
      if (prop === 'execute') return wrap((q) => target.execute(q));
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return {
    wh,
    fail(match: (q: Query) => boolean, when: 'before' | 'after' | 'always', times = 1) { rules.push({ match, when, left: times }); },
    clear() { rules.length = 0; },
  };
}
