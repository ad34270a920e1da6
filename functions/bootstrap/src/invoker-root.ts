import { createHash, timingSafeEqual } from 'node:crypto';
import { BadRequestError, defineRoute, forgetEverything, UnauthorizedError } from '@cloudact/shared';
import { bootstrapCentral } from '@cloudact/shared/bootstrap/bootstrap-central';
import { centralTables } from '@cloudact/shared/warehouse/schemas';
import { BootstrapBody, BootstrapResponse } from './schemas.js';

/**
 * `gcloud functions call cloudact-bootstrap --gen2 --region=R --data '{}'`: a POST to the
 * function's root with the caller's identity token and no header of ours. Cloud Run's invoker
 * IAM has let the caller in before this runs (the function is deployed without
 * --allow-unauthenticated, and API Gateway's spec never routes to `/`; nor does the local
 * gateway: this route is not in the route table), so a non-destructive bootstrap (create what
 * is missing, `sync_schema`) needs nothing more. A destructive one (`force_recreate_tables`,
 * `force_recreate_dataset`) still needs the root key in X-CA-Root-Key and `"confirm":
 * "organizations"`, in every environment.
 *
 * Served by the deployed function only (functions/bootstrap/src/index.ts adds it to what the
 * router serves), left out of every document (`internal`).
 */
export const invokerRootRoute = defineRoute({
  method: 'POST',
  path: '/',
  auth: 'public',
  internal: true,
  tags: ['admin'],
  summary: 'gcloud functions call: a bootstrap for a caller Cloud Run IAM let in; destructive options need the root key and confirm',
  body: BootstrapBody,
  response: BootstrapResponse,
  async handler({ body, ctx, deps, request }) {
    const tables = centralTables();
    const dataset = tables.dataset ?? 'organizations';
    const destructive = Boolean(body.force_recreate_dataset || body.force_recreate_tables);
    // (`request` is built on demand: only this admin call pays for a Fetch Request.)
    const headers = request.headers;
    if (destructive) {
      const presented = headers.get('x-ca-root-key');
      if (!deps.rootKey || presented === null || !matches(presented, deps.rootKey)) {
        throw new UnauthorizedError('A destructive bootstrap (force_recreate_tables, force_recreate_dataset) needs the root key in X-CA-Root-Key, also through gcloud functions call');
      }
      if (body.confirm !== dataset) throw new BadRequestError(`A destructive bootstrap needs "confirm": "${dataset}" in the body`, { confirm: dataset });
    }
    const actor = destructive ? { kind: 'root' as const } : { kind: 'system' as const, name: invokerName(headers.get('authorization')) };
    return bootstrapCentral(
      { ...ctx, actor, environment: ctx.config.environment, tables, forgetCaches: () => forgetEverything(ctx) },
      body,
    );
  },
});

function matches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/**
 * Who called, for the audit row: the `email` of the identity token Cloud Run has verified (not
 * verified again here; it only names the caller). `iam-invoker` when there is none.
 */
export function invokerName(authorization: string | null): string {
  const token = /^Bearer\s+([\w-]+)\.([\w-]+)\.[\w-]*$/i.exec(authorization ?? '');
  if (!token) return 'iam-invoker';
  try {
    const claims = JSON.parse(Buffer.from(token[2]!, 'base64url').toString('utf8')) as { email?: unknown };
    return typeof claims.email === 'string' && /^[^\s@]{1,128}@[^\s@]{1,255}$/.test(claims.email) ? `iam-invoker:${claims.email}` : 'iam-invoker';
  } catch {
    return 'iam-invoker';
  }
}
