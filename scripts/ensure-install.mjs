#!/usr/bin/env node
// Makes `npm start` / `npm test` work on a fresh clone with only Node.js and npm: installs the
// workspace with pnpm 10 (fetched through npx when it is not on PATH) whenever the lockfile or a
// package.json changed since the last install, then proves the native binaries load. An
// installer on the wrong Node version skips optional native packages *silently* (nodejs-polars
// >= 0.25 on Node 20 does), so the check below turns that into a loud failure here.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, 'node_modules', '.cloudact-install-stamp');

function inputsHash() {
  const files = ['pnpm-lock.yaml', 'pnpm-workspace.yaml', 'package.json', 'shared/package.json',
    ...readdirSync(join(root, 'functions')).map((f) => `functions/${f}/package.json`),
    ...(existsSync(join(root, 'clients')) ? readdirSync(join(root, 'clients')).map((f) => `clients/${f}/package.json`) : [])];
  const h = createHash('sha256');
  for (const f of files) if (existsSync(join(root, f))) h.update(f).update(readFileSync(join(root, f)));
  return h.digest('hex');
}

function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && /^10\./.test(probe.stdout.trim())) return ['pnpm', []];
  return ['npx', ['--yes', 'pnpm@10']];
}

function checkNatives() {
  const fromShared = createRequire(join(root, 'shared', 'package.json'));
  const problems = [];
  try {
    const pl = fromShared('nodejs-polars');
    if (pl.DataFrame({ a: [1, 2] }).height !== 2) problems.push('nodejs-polars loaded but does not compute');
  } catch (err) {
    problems.push(`nodejs-polars native binary missing (nodejs-polars-linux-x64-gnu not installed? Node ${process.version}): ${err.message.split('\n')[0]}`);
  }
  const duck = spawnSync(process.execPath, ['--input-type=module', '-e',
    "const {DuckDBInstance}=await import('@duckdb/node-api');const i=await DuckDBInstance.create(':memory:');const c=await i.connect();await c.run('select 1');"],
  { cwd: join(root, 'shared'), encoding: 'utf8' });
  if (duck.status !== 0) problems.push(`@duckdb/node-api native binding does not load: ${(duck.stderr || '').split('\n')[0]}`);
  if (problems.length) {
    console.error('\n[ensure-install] Native dependencies are broken:\n  - ' + problems.join('\n  - ') + '\n');
    process.exit(1);
  }
}

const want = inputsHash();
const have = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
if (want !== have) {
  const [cmd, pre] = pnpmCommand();
  console.error(`[ensure-install] installing workspace dependencies with ${[cmd, ...pre].join(' ')} ...`);
  execFileSync(cmd, [...pre, 'install', '--frozen-lockfile'], { cwd: root, stdio: 'inherit' });
  checkNatives();
  writeFileSync(stampFile, inputsHash() + '\n');
}
