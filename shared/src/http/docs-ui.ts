import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NotFoundError } from '../errors.js';

/**
 * The interactive API reference (`/docs`, development and the local gateway only): Swagger UI
 * from the `swagger-ui-dist` package in node_modules, inlined into one page, so it works with no
 * network at all (no CDN) and needs no asset routes. The page fetches `openapi.json` beside it
 * (the function's document, or the gateway's merged one) and groups operations by function and
 * tag; "Try it out" calls the origin that served the page with the keys entered under
 * "Authorize". Nothing here is read until a page is asked for: deployed functions never load it
 * (a deploy bundle does not even carry swagger-ui-dist; /docs answers 404 outside development).
 */
let assets: { css: string; js: string; version: string } | undefined;

function swaggerUi(): { css: string; js: string; version: string } {
  if (assets) return assets;
  let dir: string;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  } catch {
    throw new NotFoundError('The API reference needs the swagger-ui-dist package (a development dependency): run npm install');
  }
  const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  assets = {
    css: readFileSync(join(dir, 'swagger-ui.css'), 'utf8').replace(/<\/style/gi, '<\\/style'),
    // Inside <script>, "<!--", "<script" and "</script" change how HTML reads the text; written
    // as \x3C they mean the same to JavaScript (they occur only in strings and regex literals).
    js: readFileSync(join(dir, 'swagger-ui-bundle.js'), 'utf8').replace(/<(!--|\/?script)/gi, '\\x3C$1'),
    version,
  };
  return assets;
}

/**
 * Runs in the browser: loads the document, groups each operation under "function · tag" (the
 * document itself keeps its tags: it is also what the typed client is generated from), and
 * starts Swagger UI with "Try it out" against this origin.
 */
const INIT = `
(async () => {
  const res = await fetch('openapi.json', { headers: { accept: 'application/json' } });
  const spec = await res.json();
  const order = [];
  for (const ops of Object.values(spec.paths)) {
    for (const op of Object.values(ops)) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      const fn = op['x-cloudact-function'];
      op.tags = (op.tags && op.tags.length ? op.tags : [fn]).map((t) => (!fn || t === fn ? t : fn + ' · ' + t));
      for (const t of op.tags) if (!order.includes(t)) order.push(t);
    }
  }
  spec.tags = order.map((name) => ({ name }));
  window.ui = SwaggerUIBundle({
    spec,
    dom_id: '#swagger-ui',
    deepLinking: true,
    docExpansion: 'none',
    defaultModelsExpandDepth: 1,
    displayOperationId: false,
    displayRequestDuration: true,
    filter: true,
    showExtensions: true,
    showCommonExtensions: true,
    persistAuthorization: false,
    tryItOutEnabled: false,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
})().catch((err) => {
  document.getElementById('swagger-ui').textContent = 'Could not load openapi.json: ' + err;
});
`;

/** The whole page: Swagger UI's CSS and script inline, then INIT. */
export function docsPage(title: string): string {
  const ui = swaggerUi();
  const esc = title.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc}</title>
<meta name="generator" content="swagger-ui-dist ${ui.version}">
<style>${ui.css}</style>
<style>body{margin:0}.ca-banner{font-family:system-ui,sans-serif;padding:.5rem 1.25rem;background:#1b1f23;color:#eee;font-size:.9rem}.ca-banner a{color:#9cf}.ca-banner code{color:#fc9}</style>
</head><body>
<div class="ca-banner">${esc} · <a href="openapi.json">openapi.json</a> · local reference (Swagger UI ${ui.version}, served from node_modules)<br>
Authorize with <code>X-CA-Root-Key</code> (admin routes, scheme rootKey) or <code>X-API-Key</code> (an org's key, scheme orgKey); mutating routes take an optional <code>Idempotency-Key</code>; every error is one <code>ErrorEnvelope</code> (under Schemas); "Try it out" calls this server.</div>
<div id="swagger-ui"></div>
<script>${ui.js}</script>
<script>${INIT}</script>
</body></html>`;
}
