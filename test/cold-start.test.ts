import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build as esbuild } from 'esbuild';
import { buildFunction, polarsOnFirstUse } from '../infra/deploy/build-function.js';
import { freePort, waitForAnswer } from '../shared/test/support/http.js';
import { ROOT } from './support/processes.js';

/**
 * What a new instance loads before it answers: the deploy bundle under functions-framework in
 * production, with a preload that records every CommonJS file compiled. Google's client libraries
 * cost 80-250 ms each to load, so none may load before the first request that needs it
 * (`npm run bench:cold-start` measures the time).
 */
const frameworkMain = join(ROOT, 'functions/locale/node_modules/@google-cloud/functions-framework/build/src/main.js');
const work = mkdtempSync(join(tmpdir(), 'ca-cold-test-'));
const tracer = join(work, 'trace-compile.cjs');
writeFileSync(tracer, `const Module = require('module'); const fs = require('fs'); const orig = Module.prototype._compile;
Module.prototype._compile = function (content, filename) { fs.appendFileSync(process.env.LOAD_LOG, filename + '\\n'); return orig.call(this, content, filename); };
const http = require('http'); const end = http.ServerResponse.prototype.end; let first = true;
http.ServerResponse.prototype.end = function (...args) {
  if (first) { first = false; fs.appendFileSync(process.env.LOAD_LOG, process.moduleLoadList.filter((m) => m.includes('undici')).map((m) => 'builtin ' + m + '\\n').join('') + 'first answer\\n'); }
  return end.apply(this, args);
};`);

const prodEnv = {
  ENVIRONMENT: 'production', WAREHOUSE: 'bigquery', GCP_PROJECT_ID: 'cloudact-test', ENCRYPTION: 'kms', NODE_ENV: 'production',
  KMS_KEY_NAME: 'projects/cloudact-test/locations/global/keyRings/r/cryptoKeys/k', CA_ROOT_API_KEY: 'r'.repeat(40), LOG_LEVEL: 'ERROR',
};

describe('cold start of a deploy bundle', () => {
  // Every function but costs (which loads Polars at cold start on purpose, build-function.ts).
  it.each(['locale', 'onboard', 'pipelines', 'hierarchy', 'budgets', 'alerts', 'integrations'])('%s answers its probes without loading BigQuery, KMS, Secret Manager, Fetch, YAML or Polars', async (name) => {
    const outDir = join(work, name);
    await buildFunction(name, outDir);
    symlinkSync(join(ROOT, 'shared/node_modules'), join(outDir, 'node_modules'));
    const log = join(work, `${name}.log`);
    writeFileSync(log, '');
    const port = await freePort();
    const child = spawn(process.execPath, ['--require', tracer, frameworkMain, `--target=${name}`, `--source=${outDir}`, `--port=${port}`],
      { cwd: outDir, env: { PATH: process.env.PATH ?? '', HOME: work, LOAD_LOG: log, ...prodEnv }, stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    try {
      expect((await waitForAnswer(`http://127.0.0.1:${port}/health/live`, exited)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    const loaded = readFileSync(log, 'utf8');
    expect(loaded).toMatch(/functions-framework/);
    expect(loaded).not.toMatch(/@google-cloud[+/]bigquery/);
    expect(loaded).not.toMatch(/@google-cloud[+/]kms/);
    expect(loaded).not.toMatch(/@google-cloud[+/]secret-manager/);
    expect(loaded).not.toMatch(/google-gax|grpc-js/);
    // Node's Fetch (undici, ~25 ms) and the YAML parser of the table schemas wait for a request
    // that needs them: the probes need neither.
    const atFirstAnswer = loaded.slice(0, loaded.indexOf('first answer'));
    expect(atFirstAnswer).not.toMatch(/undici/);
    // pipelines and hierarchy check a config file at cold start: they read its JSON twin.
    expect(atFirstAnswer).not.toMatch(/[/+]yaml@/);
    expect(atFirstAnswer).not.toMatch(/nodejs-polars/);
  }, 60_000);

  it('a bundle\'s Polars, loaded on first use, works as the package itself (and names itself when it cannot load)', async () => {
    const dir = mkdtempSync(join(work, 'polars-'));
    writeFileSync(join(dir, 'entry.ts'), "import pl from 'nodejs-polars';\nconsole.log('before', typeof pl);\nconst df = pl.DataFrame({ k: ['a', 'b', 'a'], v: [1, 2, 3] });\nconst out = df.groupBy('k').agg(pl.col('v').sum().alias('s')).sort('k').filter(pl.col('k').eq(pl.lit('a')));\nconsole.log('sum', out.getColumn('s').cast(pl.Float64).get(0));\n");
    await esbuild({ entryPoints: [join(dir, 'entry.ts')], outfile: join(dir, 'out.mjs'), bundle: true, platform: 'node', format: 'esm', plugins: [polarsOnFirstUse],
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
    symlinkSync(join(ROOT, 'shared/node_modules'), join(dir, 'node_modules'));
    const run = (file: string) => new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [file], { cwd: dirname(file), env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
      child.on('exit', (code) => resolve({ code, out }));
    });
    const ok = await run(join(dir, 'out.mjs'));
    expect(ok.out).toContain('before object');
    expect(ok.out).toContain('sum 4');
    expect(ok.code).toBe(0);
    // Without the package beside the bundle, the first use says what is missing.
    const lone = mkdtempSync(join(tmpdir(), 'ca-polars-lone-'));
    writeFileSync(join(lone, 'out.mjs'), readFileSync(join(dir, 'out.mjs')));
    const missing = await run(join(lone, 'out.mjs'));
    expect(missing.code).not.toBe(0);
    expect(missing.out).toContain('before object');
    expect(missing.out).toMatch(/nodejs-polars \(and its native binary\) failed to load/);
  }, 60_000);
});
