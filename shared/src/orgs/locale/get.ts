import type { Ctx } from '../../context/index.js';
import { view } from './view.js';

/** Served from the profile cache: the web app reads the locale on every page. */
export async function getLocale(ctx: Pick<Ctx, 'profiles'>, input: { orgSlug: string }) {
  return view(await ctx.profiles.get(input.orgSlug));
}
