import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildFunction } from '../infra/deploy/build-function.js';
import { freePort, waitForAnswer } from '../shared/test/support/http.js';
import { ROOT } from './support/processes.js';

/**
 * What production runs: the esbuild bundle under functions-framework's own CLI, with production
 * settings. A preload records every native addon the process loads (process.dlopen), so the
 * test sees what really gets loaded, not what the code intends.
 */
const frameworkMain = join(ROOT, 'functions/locale/node_modules/@google-cloud/functions-framework/build/src/main.js');
const work = mkdtempSync(join(tmpdir(), 'ca-bundle-'));
const tracer = join(work, 'trace-dlopen.cjs');
writeFileSync(tracer, `const fs = require('fs'); const orig = process.dlopen;
process.dlopen = function (m, file, ...rest) { fs.appendFileSync(process.env.DLOPEN_LOG, file + '\\n'); return orig.call(this, m, file, ...rest); };`);

const prodEnv = {
  ENVIRONMENT: 'production', WAREHOUSE: 'bigquery', GCP_PROJECT_ID: 'cloudact-test', ENCRYPTION: 'kms',
  KMS_KEY_NAME: 'projects/cloudact-test/locations/global/keyRings/r/cryptoKeys/k', CA_ROOT_API_KEY: 'r'.repeat(40), LOG_LEVEL: 'ERROR',
};

function run(args: string[], env: Record<string, string>, cwd: string) {
  const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return { child, output: () => out, exited };
}

describe('deployable bundle', () => {
  it('locale bundles without DuckDB or Polars, and its package.json does not list them', async () => {
    const built = await buildFunction('locale', join(work, 'locale'));
    expect(Object.keys(built.dependencies)).not.toContain('@duckdb/node-api');
    expect(Object.keys(built.dependencies)).not.toContain('nodejs-polars');
    expect(built.inputs.some((i) => /warehouse\/duckdb\.ts$/.test(i))).toBe(false);
    const pkg = JSON.parse(readFileSync(join(built.outDir, 'package.json'), 'utf8')) as { main: string; engines: { node: string } };
    expect(pkg).toMatchObject({ main: 'index.mjs', engines: { node: '>=22' } });
  });

  it('starts under functions-framework in production and loads no DuckDB or Polars native code', async () => {
    const outDir = join(work, 'locale-run');
    await buildFunction('locale', outDir);
    // Stand-in for `npm ci` in Cloud Build: the workspace's copies of the locked packages.
    symlinkSync(join(ROOT, 'shared/node_modules'), join(outDir, 'node_modules'));
    const log = join(work, 'dlopen-locale.log');
    writeFileSync(log, '');
    const port = await freePort();
    const fn = run(['--require', tracer, frameworkMain, '--target=locale', `--source=${outDir}`, `--port=${port}`], { ...prodEnv, DLOPEN_LOG: log }, outDir);
    try {
      const res = await waitForAnswer(`http://127.0.0.1:${port}/health/live`, fn.exited, fn.output);
      expect(await res.json()).toEqual({ status: 'ok', function: 'locale' });
      expect((await fetch(`http://127.0.0.1:${port}/nowhere`)).status).toBe(404);
    } finally {
      fn.child.kill('SIGTERM');
      await fn.exited;
    }
    const loaded = readFileSync(log, 'utf8');
    expect(loaded).not.toMatch(/duckdb/i);
    expect(loaded).not.toMatch(/polars/i);
  });

  it('the tracer does see native code when it is loaded (control)', async () => {
    const log = join(work, 'dlopen-control.log');
    writeFileSync(log, '');
    const probe = run(['--require', tracer, '-e', "require('nodejs-polars')"], { DLOPEN_LOG: log }, join(ROOT, 'shared'));
    expect(await probe.exited).toBe(0);
    expect(readFileSync(log, 'utf8')).toMatch(/polars/i);
  });

  it('refuses to start in production with a bad configuration, naming the problem', async () => {
    const outDir = join(work, 'bootstrap-bad');
    await buildFunction('bootstrap', outDir);
    symlinkSync(join(ROOT, 'shared/node_modules'), join(outDir, 'node_modules'));
    const fn = run([frameworkMain, '--target=bootstrap', `--source=${outDir}`, `--port=${await freePort()}`], { ...prodEnv, CA_ROOT_API_KEY: 'short', DISABLE_AUTH: 'true' }, outDir);
    const code = await fn.exited;
    expect(code).not.toBe(0);
    expect(fn.output()).toMatch(/CA_ROOT_API_KEY must be at least 32 characters/);
    expect(fn.output()).toMatch(/DISABLE_AUTH=true is not allowed in production/);
  });
});

interface PnpmLockFile {
  importers: Record<string, { dependencies?: Record<string, { version: string }> }>;
  packages: Record<string, { resolution: { integrity?: string } }>;
  snapshots: Record<string, { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }>;
}
interface PackageLock { lockfileVersion: number; packages: Record<string, { name?: string; version?: string; integrity?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; optional?: boolean }> }

describe('the bundle ships a lockfile: the deployed tree is the tested one', () => {
  const pnpm = parseYaml(readFileSync(join(ROOT, 'pnpm-lock.yaml'), 'utf8')) as PnpmLockFile;
  const noPeers = (v: string) => v.replace(/\(.*$/, '');
  /** `1.2.3(peer@4)` of `name`, or an alias's `other@1.2.3`: the snapshot key. */
  const snap = (name: string, ref: string) => (/^\d/.test(ref) ? `${name}@${ref}` : ref);
  const depsOf = (key: string) => Object.entries({ ...pnpm.snapshots[key]!.dependencies, ...pnpm.snapshots[key]!.optionalDependencies });

  /** What pnpm installed for these packages of shared/: every snapshot reachable from them. */
  function pnpmClosure(direct: string[]): Set<string> {
    const seen = new Set<string>();
    const queue = direct.map((d) => snap(d, pnpm.importers.shared!.dependencies![d]!.version));
    for (let key = queue.shift(); key; key = queue.shift()) {
      if (seen.has(key)) continue;
      seen.add(key);
      for (const [dep, ref] of depsOf(key)) queue.push(snap(dep, ref));
    }
    return seen;
  }

  /** Node's lookup inside the lockfile's tree: own node_modules first, then each parent's. */
  function lookup(lock: PackageLock, from: string, dep: string): string | undefined {
    const parts = from ? from.split(/(?:^|\/)node_modules\//).filter(Boolean) : [];
    for (let n = parts.length; n >= 0; n--) {
      const at = [...parts.slice(0, n), dep].map((p) => `node_modules/${p}`).join('/');
      if (lock.packages[at]) return at;
    }
    return undefined;
  }
  const folderName = (at: string) => at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const idOf = (lock: PackageLock, at: string) => `${lock.packages[at]!.name ?? folderName(at)}@${lock.packages[at]!.version}`;

  it.each(['costs', 'locale'])('%s: package-lock.json holds exactly the packages and versions of pnpm-lock.yaml, each dependency resolving to the version pnpm resolved it to', async (fn) => {
    const built = await buildFunction(fn, join(work, `lock-${fn}`));
    const lockFile = join(built.outDir, 'package-lock.json');
    expect(existsSync(lockFile), 'bundle has package-lock.json').toBe(true);
    const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as PackageLock;
    expect(lock.lockfileVersion).toBe(3);
    const pkg = JSON.parse(readFileSync(join(built.outDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(lock.packages['']!.dependencies).toEqual(pkg.dependencies);

    // The same set of name@version as pnpm installed, with pnpm's integrity hashes.
    const expected = new Set([...pnpmClosure(Object.keys(pkg.dependencies))].map(noPeers));
    const entries = Object.keys(lock.packages).filter(Boolean);
    expect(new Set(entries.map((at) => idOf(lock, at)))).toEqual(expected);
    for (const at of entries) expect(lock.packages[at]!.integrity, at).toBe(pnpm.packages[idOf(lock, at)]!.resolution.integrity);

    // Every edge, from the root and from every package, finds the version pnpm resolved it to.
    const edges: [string, string, string][] = Object.entries(pkg.dependencies).map(([d]) => ['', d, noPeers(snap(d, pnpm.importers.shared!.dependencies![d]!.version))]);
    for (const key of pnpmClosure(Object.keys(pkg.dependencies))) {
      const holders = entries.filter((at) => idOf(lock, at) === noPeers(key));
      for (const at of holders) for (const [dep, ref] of depsOf(key)) edges.push([at, dep, noPeers(snap(dep, ref))]);
    }
    expect(edges.length).toBeGreaterThan(entries.length);
    for (const [from, dep, want] of edges) {
      const at = lookup(lock, from, dep);
      expect(at && idOf(lock, at), `${from || 'root'} → ${dep}`).toBe(want);
    }
    // Platform packages stay optional (npm skips the ones for other systems, as pnpm did).
    if (fn === 'costs') expect(lock.packages['node_modules/nodejs-polars-darwin-arm64']).toMatchObject({ optional: true, os: ['darwin'], cpu: ['arm64'] });
    // pnpm built none of these packages' install scripts in the workspace; npm ci does not either.
    expect(readFileSync(join(built.outDir, '.npmrc'), 'utf8')).toMatch(/^ignore-scripts=true$/m);
  });

  it('npm ci accepts it as it is: in sync with package.json, nothing to resolve (offline, dry run)', async () => {
    const built = await buildFunction('locale', join(work, 'lock-npm-ci'));
    const res = spawnSync('npm', ['ci', '--dry-run', '--offline', '--no-audit', '--no-fund', '--cache', join(work, 'empty-npm-cache')], { cwd: built.outDir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: work } });
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/added \d+ packages/);
  });
});

describe('each function alone under functions-framework (development, from source)', () => {
  it.each(['bootstrap', 'onboard', 'integrations', 'locale', 'subscriptions', 'costs'])('%s serves /health', async (name) => {
    const port = await freePort();
    const cwd = join(ROOT, 'functions', name);
    const fn = run(['--import', 'tsx', 'node_modules/@google-cloud/functions-framework/build/src/main.js', `--target=${name}`, '--source=src/index.ts', `--port=${port}`],
      { DUCKDB_PATH: ':memory:', LOCAL_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'), CA_ROOT_API_KEY: 'k'.repeat(32), LOG_LEVEL: 'ERROR' }, cwd);
    try {
      const res = await waitForAnswer(`http://127.0.0.1:${port}/health`, fn.exited, fn.output);
      expect(await res.json()).toMatchObject({ function: name, status: 'ok', warehouse: { kind: 'duckdb' } });
    } finally {
      fn.child.kill('SIGTERM');
      await fn.exited;
    }
  });
});
