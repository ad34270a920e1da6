// `npm run bench:cold-start`: how long after process start each deploy bundle answers its first
// request, under functions-framework's own CLI with production settings, side by side with a
// functions-framework hello-world. Cold starts are what a scale-out costs the caller who triggers
// it, so the goal is every non-cost function within 1.5x of the hello-world.
// Nothing here calls Google: the clients a bundle loads are constructed, never used, and there
// are no credentials (HOME is an empty directory).
// Options: BENCH_ROUNDS (default 7), BENCH_FUNCTIONS (comma-separated, default every function of
// scripts/function-tables.ts). Paths are the repository's, whatever the current folder; a missing
// one stops the benchmark before anything is built. Prints each goal as met or MISSED (exit code 1).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFunction } from '../build-function.js';
import { freePort } from '../../../shared/test/support/http.js';
import { functionTables } from '../../../scripts/function-tables.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ALL = functionTables.map((t) => t.name);
const FUNCTIONS = (process.env.BENCH_FUNCTIONS ?? ALL.join(',')).split(',').filter(Boolean);
const unknown = FUNCTIONS.filter((f) => !ALL.includes(f));
/** The cost function loads Polars for its analytics: measured, but not held to the goal. */
const GOAL_EXEMPT = new Set(['costs']);
const GOAL_RATIO = 1.5;

const frameworkMain = join(root, 'functions/locale/node_modules/@google-cloud/functions-framework/build/src/main.js');
const missing = [frameworkMain, join(root, 'functions/locale/bench/hello.mjs'), join(root, 'shared/node_modules'), ...FUNCTIONS.map((f) => join(root, 'functions', f, 'src/index.ts'))].filter((f) => !existsSync(f));
if (missing.length || unknown.length) {
  console.error(`bench:cold-start cannot start; ${[...(missing.length ? [`missing: ${missing.join(', ')}`] : []), ...(unknown.length ? [`unknown functions: ${unknown.join(', ')} (known: ${ALL.join(', ')})`] : [])].join('; ')}`);
  process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), 'ca-cold-'));
const home = join(work, 'home');
mkdirSync(home);

/** What deploy.sh sets (the root key arrives as an env var through --set-secrets). */
const prodEnv = {
  NODE_ENV: 'production', ENVIRONMENT: 'production', WAREHOUSE: 'bigquery', GCP_PROJECT_ID: 'cloudact-bench', ENCRYPTION: 'kms',
  KMS_KEY_NAME: 'projects/cloudact-bench/locations/global/keyRings/r/cryptoKeys/k', CA_ROOT_API_KEY: 'r'.repeat(40),
};

interface Target { name: string; source: string; target: string; probe: string; env: Record<string, string> }

/** One GET that resolves with the status, or rejects at once when nothing listens yet. */
function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * CPU milliseconds (user + system, all threads) a process has used, from /proc (Linux; NaN
 * elsewhere). Wall time stretches with whatever else the machine runs; CPU time much less, so
 * it is reported beside it.
 */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
  } catch {
    return Number.NaN;
  }
}

/** Milliseconds from spawn to the end of the first answered request, and the CPU it took. */
async function coldStart(t: Target): Promise<{ ms: number; cpu: number }> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [frameworkMain, `--target=${t.target}`, `--source=${t.source}`, `--port=${port}`], {
    cwd: dirname(t.source), env: { PATH: process.env.PATH ?? '', HOME: home, ...t.env }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  let exited = false;
  child.on('exit', () => { exited = true; });
  try {
    for (;;) {
      if (exited) throw new Error(`${t.name} exited before answering:\n${stderr}`);
      try {
        const status = await get(port, t.probe);
        if (status !== 200) throw new Error(`${t.name}: ${t.probe} answered ${status}`);
        return { ms: Number(process.hrtime.bigint() - started) / 1e6, cpu: cpuMs(child.pid) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw err;
        await new Promise((r) => setTimeout(r, 2));
      }
    }
  } finally {
    if (!exited) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
}

const targets: Target[] = [{ name: 'hello-world', source: join(root, 'functions/locale/bench/hello.mjs'), target: 'hello', probe: '/', env: { NODE_ENV: 'production' } }];
for (const name of FUNCTIONS) {
  const outDir = join(work, name);
  await buildFunction(name, outDir);
  // Stand-in for Cloud Build's `npm install`: the workspace's copies of the listed packages.
  symlinkSync(join(root, 'shared/node_modules'), join(outDir, 'node_modules'));
  targets.push({ name, source: outDir, target: name, probe: '/health/live', env: prodEnv });
}

// Interleaved rounds, so drift in the machine's load touches every target alike; one unmeasured
// round first warms the file cache.
const samples = new Map<string, number[]>(targets.map((t) => [t.name, []]));
const cpuSamples = new Map<string, number[]>(targets.map((t) => [t.name, []]));
for (let round = 0; round <= ROUNDS; round++) {
  for (const t of targets) {
    const { ms, cpu } = await coldStart(t);
    if (round > 0) {
      samples.get(t.name)!.push(ms);
      cpuSamples.get(t.name)!.push(cpu);
    }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const baseline = median(samples.get('hello-world')!);
const cpuBaseline = median(cpuSamples.get('hello-world')!);
const rows = targets.map((t) => {
  const xs = samples.get(t.name)!;
  const ratio = median(xs) / baseline;
  const cpu = median(cpuSamples.get(t.name)!);
  return {
    name: t.name, median_ms: Math.round(median(xs)), min_ms: Math.round(Math.min(...xs)), max_ms: Math.round(Math.max(...xs)),
    ratio: Number(ratio.toFixed(2)), cpu_ms: Math.round(cpu), cpu_ratio: Number((cpu / cpuBaseline).toFixed(2)), goal: t.name === 'hello-world' ? '' : GOAL_EXEMPT.has(t.name) ? 'exempt' : ratio <= GOAL_RATIO ? 'met' : 'MISSED',
  };
});
console.table(rows);
console.log(`first answer after process start (wall; cpu_ms: the process's CPU time by then, in 10 ms ticks), median of ${ROUNDS} rounds; goal: every non-cost function ≤ ${GOAL_RATIO}x the hello-world (${Math.round(baseline * GOAL_RATIO)} ms)`);
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'cold-start.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, rounds: ROUNDS, rows }, null, 2) + '\n');
const missedRows = rows.filter((r) => r.goal === 'MISSED');
console.log(missedRows.length ? `goal MISSED by: ${missedRows.map((r) => `${r.name} (${r.ratio}x)`).join(', ')}` : `goal met by every non-cost function (${rows.filter((r) => r.goal === 'met').map((r) => `${r.name} ${r.ratio}x`).join(', ')})`);
if (missedRows.length) process.exitCode = 1;
