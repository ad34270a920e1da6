import type { AppDeps } from './deps.js';
import type { Principal } from './principal.js';

/** Who is acting: a caller the route's policy let in, or the system itself (bootstrap CLI, jobs). */
export type Actor = Principal | { kind: 'system'; name: string };

/**
 * What every domain verb gets besides its input: the dependencies built at cold start, who is
 * acting, and the request, so each audit row can say who did what under which request.
 */
export interface Ctx extends AppDeps {
  actor: Actor;
  /** Made by the server for every request; what the logs and warehouse job ids carry. */
  requestId: string;
  /** The caller's own X-Request-ID, kept beside ours, never instead of it. */
  clientRequestId?: string;
  /** The address the platform vouches for (see TRUSTED_PROXY_HOPS), not what the client claims. */
  clientIp?: string;
  userAgent?: string;
}

/** The audit-relevant id of an actor: the key id, `root`, or the system job's name. */
export function actorId(actor: Actor): string | undefined {
  switch (actor.kind) {
    case 'org': return actor.keyId;
    case 'root': return 'root';
    case 'system': return actor.name;
    default: return undefined;
  }
}
