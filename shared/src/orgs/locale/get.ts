import type { Ctx } from '../../context/index.js';
import { view } from './view.js';

/**
 * Served from the profile cache: the web app reads the locale on every page, so a warm read
 * answers synchronously (no promise for the router to wait on, see http/exchange.ts).
 */
export function getLocale(ctx: Pick<Ctx, 'profiles'>, input: { orgSlug: string }): ReturnType<typeof view> | Promise<ReturnType<typeof view>> {
  const profile = ctx.profiles.read(input.orgSlug);
  return profile instanceof Promise ? profile.then(view) : view(profile);
}
