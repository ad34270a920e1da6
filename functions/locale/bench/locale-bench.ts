// `pnpm bench:locale`: warm, authenticated GET /api/v1/organizations/{org}/locale against a
// functions-framework hello-world on the same machine, all driven by autocannon at 32 connections,
// one after the other, in two shapes:
//  - through the local gateway (embedded DuckDB, default logging);
//  - the locale function alone under functions-framework's CLI, the shape that is deployed (the
//    Express-to-Fetch bridge, per-request logging to stdout), on the DuckDB file the gateway wrote.
// Goal (issues 3 and 6): in each shape at least half the hello-world throughput, p99 under 15 ms.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort, waitForAnswer } from '../../../shared/test/support/http.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
const ROOT_KEY = 'bench-root-key-0123456789abcdef0123456789';

function start(args: string[], env: Record<string, string>, cwd: string, logFile: string): ChildProcess {
  const out = openSync(logFile, 'w');
  return spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux; undefined elsewhere).
 * Throughput and p99 depend on what else the machine runs; the server's CPU time per request
 * does not, so it is reported beside them.
 */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function load(name: string, url: string, headers: Record<string, string>, server: ChildProcess) {
  // Warm-up: JIT, the key cache and DuckDB's caches, not counted.
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers });
  const cpuBefore = cpuSeconds(server.pid);
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  const cpuAfter = cpuSeconds(server.pid);
  if (r.non2xx || r.errors) throw new Error(`${name}: ${r.non2xx} non-2xx and ${r.errors} errors`);
  const cpuUsPerRequest = cpuBefore !== undefined && cpuAfter !== undefined ? Math.round(((cpuAfter - cpuBefore) * 1e6) / r.requests.total) : undefined;
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, cpu_us_per_request: cpuUsPerRequest };
}

const work = mkdtempSync(join(tmpdir(), 'ca-bench-'));
const [gwPort, helloPort, fnPort] = await Promise.all([freePort(), freePort(), freePort()]);
const frameworkMain = join(root, 'functions/locale/node_modules/@google-cloud/functions-framework/build/src/main.js');
const gateway = start(['--import', 'tsx', 'scripts/local-gateway.ts'], { PORT: String(gwPort), DATA_DIR: work, CA_ROOT_API_KEY: ROOT_KEY, LOG_LEVEL: 'INFO' }, root, join(work, 'gateway.log'));
const hello = start([frameworkMain, '--target=hello', `--source=${join(here, 'hello.mjs')}`, `--port=${helloPort}`], {}, join(root, 'functions/locale'), join(work, 'hello.log'));

let fn: ChildProcess | undefined;
try {
  const gw = `http://127.0.0.1:${gwPort}`;
  await Promise.all([waitForAnswer(`${gw}/health`), waitForAnswer(`http://127.0.0.1:${helloPort}/`)]);
  const rootHeaders = { 'x-ca-root-key': ROOT_KEY, 'content-type': 'application/json' };
  await fetch(`${gw}/api/v1/admin/bootstrap`, { method: 'POST', headers: rootHeaders });
  const onboarded = await fetch(`${gw}/api/v1/organizations/onboard`, {
    method: 'POST', headers: rootHeaders,
    body: JSON.stringify({ org_slug: 'bench_co', company_name: 'Bench Co', admin_email: 'ops@bench.test', subscription_plan: 'SCALE', default_currency: 'INR', default_timezone: 'Asia/Kolkata' }),
  });
  const { api_key: apiKey } = (await onboarded.json()) as { api_key: string };

  const baseline = await load('hello-world (functions-framework)', `http://127.0.0.1:${helloPort}/`, {}, hello);
  const locale = await load('GET /locale via local gateway', `${gw}/api/v1/organizations/bench_co/locale`, { 'x-api-key': apiKey }, gateway);

  // DuckDB has one writer per file: the gateway lets go of it before the function opens it.
  gateway.kill('SIGTERM');
  await once(gateway, 'exit');
  // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the function process (written when it exits).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  fn = start([...profile, '--import', 'tsx', frameworkMain, '--target=locale', '--source=src/index.ts', `--port=${fnPort}`],
    { NODE_ENV: 'production', DATA_DIR: work, CA_ROOT_API_KEY: ROOT_KEY, LOG_LEVEL: 'INFO' }, join(root, 'functions/locale'), join(work, 'function.log'));
  await waitForAnswer(`http://127.0.0.1:${fnPort}/health/live`);
  const deployed = await load('GET /locale, function under functions-framework', `http://127.0.0.1:${fnPort}/api/v1/organizations/bench_co/locale`, { 'x-api-key': apiKey }, fn);
  // The hello-world again right after, so both ratios compare with a baseline from the same minutes.
  const baselineAfter = await load('hello-world again', `http://127.0.0.1:${helloPort}/`, {}, hello);

  const helloRps = (baseline.rps + baselineAfter.rps) / 2;
  // CPU per request moves far less with the machine's other load than requests/s and p99 do.
  const helloCpu = baseline.cpu_us_per_request !== undefined && baselineAfter.cpu_us_per_request !== undefined ? (baseline.cpu_us_per_request + baselineAfter.cpu_us_per_request) / 2 : undefined;
  const shape = (r: typeof locale) => ({
    ...r, throughput_ratio: Number((r.rps / helloRps).toFixed(3)),
    cpu_ratio: helloCpu && r.cpu_us_per_request ? Number((r.cpu_us_per_request / helloCpu).toFixed(2)) : undefined,
    goals: { ratio_at_least_0_5: r.rps / helloRps >= 0.5, p99_under_15ms: r.p99 < 15 },
  });
  const report = {
    date: new Date().toISOString(), node: process.version, connections: CONNECTIONS, duration_s: DURATION,
    baseline, baseline_after: baselineAfter, gateway: shape(locale), functions_framework: shape(deployed),
  };
  console.table([baseline, locale, deployed, baselineAfter]);
  for (const [name, r] of [['local gateway', report.gateway], ['functions-framework', report.functions_framework]] as const) {
    console.log(`${name}: throughput ratio ${r.throughput_ratio.toFixed(2)} of the hello-world (goal ≥ 0.5); p99 ${r.p99} ms (goal < 15 ms; the hello-world's: ${baseline.p99} and ${baselineAfter.p99} ms); CPU per request ${r.cpu_ratio ?? '?'}x the hello-world's`);
  }
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'latest.json'), JSON.stringify(report, null, 2) + '\n');
} finally {
  if (gateway.exitCode === null) gateway.kill('SIGTERM');
  fn?.kill('SIGTERM');
  hello.kill('SIGTERM');
  if (fn && fn.exitCode === null) await once(fn, 'exit');
}
