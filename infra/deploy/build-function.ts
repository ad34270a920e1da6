// `pnpm build:function <name> [outDir]`: a deployable Cloud Functions source folder for one function:
// index.mjs (esbuild bundle of the function and shared/), configs/, and a package.json listing only
// the npm packages the bundle really imports. Cloud Build installs those on nodejs22.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Packages left to npm in the cloud: Google clients and native code cannot be bundled. */
const EXTERNAL = ['@google-cloud/functions-framework', '@google-cloud/bigquery', '@google-cloud/kms', '@google-cloud/secret-manager', 'fast-crc32c', 'nodejs-polars', '@duckdb/node-api'];

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

export interface BuiltFunction {
  outDir: string;
  dependencies: Record<string, string>;
  inputs: string[];
}

export async function buildFunction(name: string, outDir = join(root, 'infra/deploy/dist', name)): Promise<BuiltFunction> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: [join(root, 'functions', name, 'src/index.ts')],
    outfile: join(outDir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    external: EXTERNAL,
    plugins: [noDuckDb],
    metafile: true,
    logLevel: 'warning',
    // Bundled CommonJS dependencies may call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const imported = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imp of output.imports) if (imp.external) imported.add(packageName(imp.path));
  }
  const versions = workspaceVersions();
  const dependencies = Object.fromEntries([...imported].filter((p) => !p.startsWith('node:') && !builtinModules.includes(p)).sort().map((p) => {
    const v = versions[p];
    if (!v) throw new Error(`${name}: bundle imports ${p}, which no workspace package.json lists`);
    return [p, v];
  }));
  writeFileSync(join(outDir, 'package.json'), JSON.stringify({
    name: `cloudact-${name}`,
    private: true,
    type: 'module',
    main: 'index.mjs',
    engines: { node: '>=22' },
    dependencies,
  }, null, 2) + '\n');
  cpSync(join(root, 'configs'), join(outDir, 'configs'), { recursive: true });
  return { outDir, dependencies, inputs: Object.keys(result.metafile.inputs) };
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function workspaceVersions(): Record<string, string> {
  const files = ['shared/package.json', ...['bootstrap', 'onboard', 'integrations', 'locale', 'subscriptions', 'costs'].map((f) => `functions/${f}/package.json`)];
  const out: Record<string, string> = {};
  for (const f of files) {
    const deps = (JSON.parse(readFileSync(join(root, f), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {};
    for (const [k, v] of Object.entries(deps)) if (!v.startsWith('workspace:')) out[k] = v;
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [name, out] = process.argv.slice(2);
  if (!name) {
    console.error('usage: pnpm build:function <bootstrap|onboard|integrations|locale|subscriptions|costs> [outDir]');
    process.exit(2);
  }
  const built = await buildFunction(name, out ? resolve(out) : undefined);
  console.log(`built ${built.outDir}\n  dependencies: ${Object.keys(built.dependencies).join(', ')}`);
}
