import { z } from 'zod';

/**
 * The one org slug rule: used by the request schemas, dry-run, key parsing and (through the
 * dataset name `{slug}_prod`) the warehouse identifier check, so a slug that passes the door
 * works end to end. A leading digit is allowed (`3m_india`): BigQuery dataset ids may start with
 * one. A leading underscore is not: BigQuery hides datasets that start with `_`.
 */
export const ORG_SLUG_PATTERN = /^[a-z0-9][a-z0-9_]{2,49}$/;

export const ORG_SLUG_RULE = 'org_slug must be 3-50 characters of a-z, 0-9 and _, not starting with _';

/** Names the code or the platform uses for itself; an org by one of these names would be confusing or worse. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'organizations', 'system', 'admin', 'root', 'gateway', 'internal', 'health', 'api', 'i18n', 'docs', 'openapi',
  'bootstrap', 'onboard', 'locale', 'integrations', 'subscriptions', 'costs', 'default', 'null', 'undefined',
]);

export function isWellFormedSlug(slug: string): boolean {
  return ORG_SLUG_PATTERN.test(slug);
}

/** Why a slug cannot be onboarded, or undefined when it can. */
export function slugProblem(slug: string): string | undefined {
  if (!isWellFormedSlug(slug)) return ORG_SLUG_RULE;
  if (RESERVED_SLUGS.has(slug)) return `org_slug '${slug}' is reserved`;
  return undefined;
}

/** Any existing org's slug (paths, keys). */
export const OrgSlug = z.string().regex(ORG_SLUG_PATTERN, ORG_SLUG_RULE);

/** A slug a new org may take: well-formed and not reserved. */
export const NewOrgSlug = OrgSlug.refine((s) => !RESERVED_SLUGS.has(s), { message: 'This org_slug is reserved' });
