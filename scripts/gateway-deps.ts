import type { DepsOverrides } from '@cloudact/shared/app/create-deps';

/** What the local gateway wires beyond config-chosen adapters (the org-key store, once it exists). */
export function gatewayDepsOverrides(): DepsOverrides {
  return {};
}
