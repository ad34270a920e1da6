/**
 * The one rule from a route to its file: the path after `/api/v1/`, segments as folders (path
 * parameters keep their braces), and the method as the last suffix.
 *   POST /api/v1/organizations/{org_slug}/api-key/rotate
 *     → functions/onboard/src/routes/organizations/{org_slug}/api-key/rotate.post.ts
 *   DELETE /api/v1/organizations/{org_slug} → functions/onboard/src/routes/organizations/{org_slug}.delete.ts
 */
export const API_PREFIX = '/api/v1/';

export function routeFile(fn: string, method: string, path: string): string {
  if (!path.startsWith(API_PREFIX)) throw new Error(`${method} ${path}: every route lives under ${API_PREFIX}`);
  return `functions/${fn}/src/routes/${path.slice(API_PREFIX.length)}.${method.toLowerCase()}.ts`;
}

/** The function a path belongs to: the longest prefix that matches a whole number of segments. */
export function owner(path: string, tables: readonly { name: string; prefixes: readonly string[] }[]): string | undefined {
  let best: { name: string; length: number } | undefined;
  for (const t of tables) {
    for (const p of t.prefixes) {
      const matches = path === p || path.startsWith(`${p}/`);
      if (matches && (!best || p.length > best.length)) best = { name: t.name, length: p.length };
    }
  }
  return best?.name;
}
