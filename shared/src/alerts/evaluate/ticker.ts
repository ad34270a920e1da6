import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../context/index.js';
import { processAll } from './process-all.js';

/**
 * The local gateway's stand-in for the Cloud Scheduler job: one process-all run every `seconds`,
 * never two at once (a run still going when the next tick comes is left alone). Returns stop().
 */
export function startAlertTicker(deps: AppDeps, seconds: number, onRun?: (r: Awaited<ReturnType<typeof processAll>>) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    // Before bootstrap there is nothing to evaluate: a tick waits quietly for the central tables.
    Promise.resolve(deps.readiness ? deps.readiness.check() : { ready: true })
      .then((state) => (state.ready ? processAll({ ...deps, actor: { kind: 'system', name: 'alerts-ticker' }, requestId: `alerts-tick-${randomUUID()}` }, {}) : undefined))
      .then((r) => {
        if (!r) return;
        onRun?.(r);
        if (r.alerts_triggered || r.errors) deps.logger.log(r.errors ? 'WARNING' : 'INFO', `alerts tick: ${r.message}`, { org_errors: r.org_errors, rule_errors: r.rule_errors });
      })
      .catch((err: unknown) => deps.logger.log('ERROR', 'alerts tick failed', { error: err }))
      .finally(() => { running = false; });
  }, seconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
