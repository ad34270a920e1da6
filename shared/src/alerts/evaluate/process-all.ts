import type { Ctx } from '../../context/index.js';
import { servedOrgSlugs } from '../../orgs/profiles/store.js';
import { errorText, evaluateOrg, type OrgRunResult } from './org.js';
import { orgsWithDueSummaries } from '../summaries/store.js';

export interface ProcessAllInput {
  org_slug?: string;
  alert_types?: string[];
  send_notifications?: boolean;
  dry_run?: boolean;
}

/** Orgs evaluated at once: each org is a handful of sequential round-trips, and the firings table takes 2 running + 20 queued DML. */
const ORG_CONCURRENCY = 4;

/**
 * Evaluates every org in service (ACTIVE, TRIAL) (or the one named): each org alone, so one org's failure is an
 * org_errors entry and never stops the others, and no org's data ever reaches another's
 * channels (each org's rules, channels and costs are read under its own tenant).
 */
export async function processAll(ctx: Ctx, input: ProcessAllInput) {
  const started = Date.now();
  const digestsOnly = input.alert_types?.length === 1 && input.alert_types[0] === 'summary';
  // A digests-only run (the 15-minute job) walks the served orgs that have a digest due, found in one read.
  const orgs = input.org_slug ? [input.org_slug]
    : digestsOnly ? await Promise.all([servedOrgSlugs(ctx.warehouse), orgsWithDueSummaries(ctx.warehouse, ctx.clock())]).then(([served, due]) => { const open = new Set(served); return due.filter((o) => open.has(o)); })
    : await servedOrgSlugs(ctx.warehouse);
  const opts = { alertTypes: input.alert_types ?? [], sendNotifications: input.send_notifications ?? true, dryRun: input.dry_run ?? false };
  const results: OrgRunResult[] = [];
  const orgErrors: { org_slug: string; error: string }[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(ORG_CONCURRENCY, orgs.length) }, async () => {
    while (next < orgs.length) {
      const org = orgs[next++]!;
      try {
        results.push(await evaluateOrg(ctx, org, opts));
      } catch (err) {
        orgErrors.push({ org_slug: org, error: errorText(err) });
        ctx.logger.log('WARNING', 'alert evaluation of an org failed', { request_id: ctx.requestId, org_slug: org, error: err });
      }
    }
  }));
  const sum = (k: 'alerts_triggered' | 'notifications_sent' | 'notifications_failed') => results.reduce((n, r) => n + r[k], 0);
  const ruleErrors = results.flatMap((r) => r.rule_errors.map((e) => ({ org_slug: r.org_slug, ...e })));
  const summaryErrors = results.flatMap((r) => r.summary_errors.map((e) => ({ org_slug: r.org_slug, ...e })));
  const summariesSent = results.reduce((n, r) => n + r.summaries_sent, 0);
  results.sort((a, b) => (a.org_slug < b.org_slug ? -1 : 1));
  return {
    success: orgErrors.length === 0 && ruleErrors.length === 0 && summaryErrors.length === 0,
    orgs_processed: results.length,
    alerts_triggered: sum('alerts_triggered'),
    notifications_sent: sum('notifications_sent'),
    notifications_failed: sum('notifications_failed'),
    summaries_sent: summariesSent,
    errors: orgErrors.length + ruleErrors.length + summaryErrors.length,
    org_errors: orgErrors.sort((a, b) => (a.org_slug < b.org_slug ? -1 : 1)),
    rule_errors: ruleErrors,
    summary_errors: summaryErrors,
    dry_run: opts.dryRun,
    orgs: results,
    duration_ms: Date.now() - started,
    message: `${results.length} org(s) evaluated${orgErrors.length ? `, ${orgErrors.length} failed` : ''}: ${sum('alerts_triggered')} alert(s) ${opts.dryRun ? 'would fire' : 'fired'}, ${sum('notifications_sent')} notification(s) sent${summariesSent ? `, ${summariesSent} digest(s)` : ''}`,
  };
}
