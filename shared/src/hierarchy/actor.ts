import { actorId, type Ctx } from '../context/index.js';

/** Who a row names as its author: the key id, 'root' or the system job (never a constant "system" for a caller's write). */
export function actorOf(ctx: Pick<Ctx, 'actor'>): string {
  return actorId(ctx.actor) ?? ctx.actor.kind;
}
