import type { Ctx } from '../../context/index.js';
import { activeByProvider } from '../../integrations/credentials/store.js';
import type { Conditions, Rule } from '../rules/fields.js';
import type { AlertScope } from '../scope.js';
import type { Candidate, Evaluation } from './candidate.js';

/** An active credential whose last validation is INVALID fires once per credential and validation. */
export async function evaluateIntegrations(ctx: Ctx, scope: AlertScope, rule: Rule): Promise<Evaluation> {
  const c = rule.conditions as Conditions<'integration_health'>;
  const creds = [...(await activeByProvider(ctx.warehouse, scope.tenant)).values()].filter((r) => !c.provider || r.provider === c.provider);
  const candidates: Candidate[] = creds.filter((r) => r.validation_status === 'INVALID').map((r) => ({
    dedupe_key: `${rule.rule_id}|cred:${r.credential_id}|${r.last_validated_at ?? r.updated_at ?? r.created_at}`,
    reason: `${r.provider} credential is INVALID`,
    title: `${rule.name}: ${r.provider} credential is invalid`,
    text: `The ${r.provider} credential${r.credential_name ? ` "${r.credential_name}"` : ''} failed validation${r.last_validated_at ? ` at ${r.last_validated_at}` : ''}${r.last_error ? `: ${r.last_error.slice(0, 300)}` : ''}. Its pipelines will fail until it is replaced.`,
    data: { provider: r.provider, credential_id: r.credential_id, validation_status: r.validation_status, last_validated_at: r.last_validated_at },
  }));
  return { candidates, observed: { credentials: creds.map((r) => ({ provider: r.provider, validation_status: r.validation_status })) } };
}
