import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
    // Stand-in for `npm install` in Cloud Build: the workspace's copies of the listed packages.
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
