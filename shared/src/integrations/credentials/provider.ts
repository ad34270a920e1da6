import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import type { ProviderDef } from '../registry.js';
import { integrationsOf } from './check.js';

/** The provider a path names (name or alias), or 404 listing the ones there are. */
export function resolveProvider(ctx: Pick<Ctx, 'config'>, name: string): ProviderDef {
  const { providers } = integrationsOf(ctx);
  const def = providers.find(name);
  if (!def) {
    const names = providers.all.map((p) => p.name);
    throw new NotFoundError(`Unknown provider '${name}'; supported: ${names.join(', ')}`, { providers: names });
  }
  return def;
}
