// `pnpm build:function <name> [outDir]`: a deployable Cloud Functions source folder for one function:
// index.mjs and chunks/ (esbuild bundle of the function and shared/), configs/, and a package.json
// listing only the npm packages the bundle really imports, at the exact versions of pnpm-lock.yaml,
// and a package-lock.json derived from pnpm-lock.yaml (package-lock.ts): Cloud Build's Node.js
// buildpack sees it and runs `npm ci`, so every transitive package is the version the tests ran
// against, not whatever is newest on deploy day. An .npmrc turns off dependency install scripts,
// as pnpm-workspace.yaml does for the workspace (none of the bundle's packages is built there).
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { parse as parseYaml } from 'yaml';
import { packageLockFor, readPnpmLock } from './package-lock.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Packages left to npm in the cloud: Google clients and native code cannot be bundled. */
const EXTERNAL = ['@google-cloud/functions-framework', '@google-cloud/bigquery', '@google-cloud/bigquery-storage', '@google-cloud/kms', '@google-cloud/secret-manager', '@google-cloud/storage', 'fast-crc32c', 'nodejs-polars', '@duckdb/node-api'];

/**
 * Production runs on BigQuery (config refuses anything else), so the DuckDB adapter is replaced by
 * a stub: esbuild would otherwise hoist its native import to the top of the bundle.
 */
const noDuckDb: Plugin = {
  name: 'no-duckdb',
  setup(b) {
    b.onResolve({ filter: /warehouse\/duckdb\.js$/ }, () => ({ path: 'duckdb-stub', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: 'export const DuckDbWarehouse = { open() { throw new Error("DuckDB is not part of cloud bundles; set WAREHOUSE=bigquery"); } };',
      loader: 'js',
    }));
  },
};

/**
 * zod's `z` namespace re-exports every one of its ~50 message locales, so esbuild keeps them all
 * (~370 KB, a third of a bundle, compiled at every cold start). Our error envelope words its own
 * messages and zod's default is English, so the bundle carries English only.
 */
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (/[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'zod-english' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'zod-english' }, () => ({ contents: 'export { default as en } from "zod/v4/locales/en.js";', loader: 'js', resolveDir: join(root, 'shared') }));
  },
};

/**
 * rate-limiter-flexible's index requires every limiter it ships (Redis, Mongo, cluster, ...:
 * ~180 KB, compiled and run at every cold start); the limits use the in-memory one and, with
 * RATE_LIMIT_REDIS_URL, the Redis one.
 * A name imported from it that is not re-exported here fails the build.
 */
const rateLimiterMemoryOnly: Plugin = {
  name: 'rate-limiter-memory-only',
  setup(b) {
    b.onResolve({ filter: /^rate-limiter-flexible$/ }, () => ({ path: 'rate-limiter-flexible', namespace: 'rlf-memory' }));
    b.onLoad({ filter: /.*/, namespace: 'rlf-memory' }, () => ({
      contents: 'export { default as RateLimiterMemory } from "rate-limiter-flexible/lib/RateLimiterMemory.js"; export { default as RateLimiterRes } from "rate-limiter-flexible/lib/RateLimiterRes.js"; export { default as RateLimiterRedis } from "rate-limiter-flexible/lib/RateLimiterRedis.js";',
      loader: 'js',
      resolveDir: join(root, 'shared'),
    }));
  },
};

/**
 * yaml (~270 KB) reads config files that only some requests need (table schemas, plan limits),
 * and synchronously, so it cannot wait behind an import(): the bundle requires it from the
 * installed package on first use instead of compiling and running it at every cold start.
 */
const yamlOnFirstUse: Plugin = {
  name: 'yaml-on-first-use',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, (args) => (args.namespace === 'yaml-lazy' ? { path: 'yaml', external: true } : { path: 'yaml', namespace: 'yaml-lazy' }));
    b.onLoad({ filter: /.*/, namespace: 'yaml-lazy' }, () => ({
      contents: 'let yaml; const load = () => (yaml ??= require("yaml")); export function parse(...a) { return load().parse(...a); } export function stringify(...a) { return load().stringify(...a); }',
      loader: 'js',
    }));
  },
};

/**
 * nodejs-polars (~80 ms to load with its native binary) serves the cost reductions that only some
 * routes of budgets, alerts and integrations run: those bundles load it on first use, through a
 * proxy of its default export (the only way the code imports it). The costs function, which needs
 * it for most requests, loads it at cold start as before, so a missing binary stops that instance
 * at once; elsewhere the first use fails naming the package.
 */
export const polarsOnFirstUse: Plugin = {
  name: 'polars-on-first-use',
  setup(b) {
    b.onResolve({ filter: /^nodejs-polars$/ }, (args) => (args.namespace === 'polars-lazy' ? { path: 'nodejs-polars', external: true } : { path: 'nodejs-polars', namespace: 'polars-lazy' }));
    b.onLoad({ filter: /.*/, namespace: 'polars-lazy' }, () => ({
      contents: [
        'let polars;',
        'function load() {',
        '  if (polars) return polars;',
        '  try { polars = require("nodejs-polars"); } catch (err) { throw new Error(`nodejs-polars (and its native binary) failed to load: ${err.message}`, { cause: err }); }',
        '  return polars;',
        '}',
        'export default new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

/** Functions that load nodejs-polars at cold start: most of their requests reduce costs with it. */
const POLARS_AT_COLD_START = new Set(['costs']);

export interface BuiltFunction {
  outDir: string;
  dependencies: Record<string, string>;
  inputs: string[];
}

export async function buildFunction(name: string, outDir = join(root, 'infra/deploy/dist', name)): Promise<BuiltFunction> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: { index: join(root, 'functions', name, 'src/index.ts') },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    // Code behind a dynamic import() (the BigQuery adapter, Cloud KMS) goes to its own chunk with
    // its own imports, so the client library loads when that code first runs, not at cold start.
    // Without splitting esbuild hoists every external import to the top of one file.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    external: EXTERNAL,
    plugins: [noDuckDb, zodEnglishOnly, rateLimiterMemoryOnly, yamlOnFirstUse, ...(POLARS_AT_COLD_START.has(name) ? [] : [polarsOnFirstUse])],
    metafile: true,
    logLevel: 'warning',
    // Bundled CommonJS dependencies may call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const imported = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imp of output.imports) if (imp.external) imported.add(packageName(imp.path));
  }
  const versions = lockedVersions();
  const dependencies = Object.fromEntries([...imported].filter((p) => !p.startsWith('node:') && !builtinModules.includes(p)).sort().map((p) => {
    const v = versions[p];
    if (!v) throw new Error(`${name}: bundle imports ${p}, which no workspace package depends on (pnpm-lock.yaml)`);
    return [p, v];
  }));
  const engines = { node: '>=22' };
  writeFileSync(join(outDir, 'package.json'), JSON.stringify({
    name: `cloudact-${name}`,
    private: true,
    type: 'module',
    main: 'index.mjs',
    engines,
    dependencies,
  }, null, 2) + '\n');
  const lockfile = join(root, 'pnpm-lock.yaml');
  const refs = lockedRefs(lockfile);
  const packageLock = packageLockFor({
    name: `cloudact-${name}`, engines, dependencies, root, lock: readPnpmLock(lockfile),
    refs: Object.fromEntries(Object.keys(dependencies).map((p) => [p, refs[p]!])),
  });
  writeFileSync(join(outDir, 'package-lock.json'), JSON.stringify(packageLock, null, 2) + '\n');
  writeFileSync(join(outDir, '.npmrc'), 'ignore-scripts=true\n');
  cpSync(join(root, 'configs'), join(outDir, 'configs'), { recursive: true });
  writeYamlTwins(join(outDir, 'configs'));
  return { outDir, dependencies, inputs: Object.keys(result.metafile.inputs) };
}

/**
 * Beside each YAML config file, its JSON twin (`x.yml.json`), which shared/src/yaml-file.ts reads
 * instead: a cold start that checks a config file neither loads the yaml package nor parses YAML.
 * A file that does not parse fails the build here, before any instance would refuse to start.
 */
function writeYamlTwins(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.ya?ml$/.test(entry.name)) continue;
    const file = join(entry.parentPath, entry.name);
    writeFileSync(`${file}.json`, JSON.stringify(parseYaml(readFileSync(file, 'utf8'))));
  }
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * The exact version the lockfile resolved for each package a workspace package depends on. The
 * bundle's package.json asks for exactly these, and its package-lock.json pins everything below.
 */
export function lockedVersions(lockfile = join(root, 'pnpm-lock.yaml')): Record<string, string> {
  // pnpm appends the peers it resolved with: `5.0.5(encoding@0.1.13)`.
  return Object.fromEntries(Object.entries(lockedRefs(lockfile)).map(([pkg, ref]) => [pkg, ref.replace(/\(.*$/, '')]));
}

/** As lockedVersions, with the peers pnpm resolved each with (its snapshot in pnpm-lock.yaml). */
export function lockedRefs(lockfile = join(root, 'pnpm-lock.yaml')): Record<string, string> {
  const lock = parseYaml(readFileSync(lockfile, 'utf8')) as { importers?: Record<string, { dependencies?: Record<string, { version: string }> }> };
  const out: Record<string, string> = {};
  // shared/ first: where a function resolved a package with other peers, shared's snapshot is kept.
  const importers = Object.entries(lock.importers ?? {}).sort(([a], [b]) => Number(b === 'shared') - Number(a === 'shared'));
  for (const [importer, entry] of importers) {
    if (importer !== 'shared' && !importer.startsWith('functions/')) continue;
    for (const [pkg, { version }] of Object.entries(entry.dependencies ?? {})) {
      if (version.startsWith('link:')) continue;
      const exact = version.replace(/\(.*$/, '');
      if (!EXACT.test(exact)) throw new Error(`pnpm-lock.yaml: ${importer} resolves ${pkg} to ${version}, not an exact version`);
      const had = out[pkg]?.replace(/\(.*$/, '');
      if (had && had !== exact) throw new Error(`pnpm-lock.yaml: ${pkg} is resolved to both ${had} and ${exact}`);
      out[pkg] ??= version;
    }
  }
  return out;
}

const EXACT = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [name, out] = process.argv.slice(2);
  if (!name) {
    console.error('usage: pnpm build:function <bootstrap|onboard|integrations|locale|subscriptions|costs|pipelines|hierarchy|budgets|alerts> [outDir]');
    process.exit(2);
  }
  const built = await buildFunction(name, out ? resolve(out) : undefined);
  console.log(`built ${built.outDir}\n  dependencies: ${Object.keys(built.dependencies).join(', ')}`);
}
