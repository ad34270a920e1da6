// `pnpm bench:locale`: warm, authenticated GET /api/v1/organizations/{org}/locale against a
// functions-framework hello-world on the same machine, all driven by autocannon at 32 connections,
// one after the other, in two shapes:
//  - through the local gateway (embedded DuckDB, default logging);
//  - the locale function alone under functions-framework's CLI, the shape that is deployed (the
//    Express-to-Fetch bridge, per-request logging to stdout), on the DuckDB file the gateway wrote.
// Goals: through the gateway at least half the hello-world throughput (issues 3 and 6); the
// deployed shape at least 0.6x its throughput with at most 1.5x its CPU per request (issue 22);
// p99 under 15 ms in each shape. Each is printed as met or MISSED (exit code 1 when one is missed).
//
// `npm run bench:locale` needs no environment: the rate limiter runs on every request (its cost is
// part of what is measured) with the budgets of functions/locale/bench/huge-budgets.yml, which
// never refuse (the default budgets would refuse such a burst). RATE_LIMITS=off measures without
// the limiter; RATE_LIMITS_FILE=<file> (relative to the repository root) uses other budgets.
// BENCH_SECONDS (default 10) per load; BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the function.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort, waitForAnswer } from '../../../shared/test/support/http.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
const ROOT_KEY = 'bench-root-key-0123456789abcdef0123456789';
const RATE_LIMITS = process.env.RATE_LIMITS ?? 'on';
/** Every path is the repository's, whatever the current folder (the function runs in its own). */
const fromRoot = (p: string) => (isAbsolute(p) ? p : resolve(root, p));
const RATE_LIMITS_FILE = fromRoot(process.env.RATE_LIMITS_FILE ?? 'functions/locale/bench/huge-budgets.yml');
const frameworkMain = join(root, 'functions/locale/node_modules/@google-cloud/functions-framework/build/src/main.js');

// What the benchmark needs, checked before anything starts: a missing file stops it here, not as
// a 500 on every request.
const needed = [
  frameworkMain, join(here, 'hello.mjs'), join(root, 'scripts/local-gateway.ts'), join(root, 'functions/locale/src/index.ts'),
  ...(RATE_LIMITS === 'off' ? [] : [RATE_LIMITS_FILE]),
];
const missing = needed.filter((f) => !existsSync(f));
if (missing.length) {
  console.error(`bench:locale cannot start; missing: ${missing.join(', ')}${missing.includes(frameworkMain) ? ' (run npm install)' : ''}`);
  process.exit(1);
}
/** What both servers run with, besides their own settings. */
const limiterEnv: Record<string, string> = RATE_LIMITS === 'off' ? { RATE_LIMITS: 'off' } : { RATE_LIMITS: 'on', RATE_LIMITS_FILE };

function start(args: string[], env: Record<string, string>, cwd: string, logFile: string): ChildProcess {
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  logs.set(child, logFile);
  return child;
}
const logs = new Map<ChildProcess, string>();

/** Waits until `child` answers at `url`; a child that exits first stops the benchmark with its output. */
async function ready(child: ChildProcess, url: string, name: string): Promise<void> {
  const exited = once(child, 'exit');
  const tail = () => {
    try {
      return `\n--- ${name} output ---\n${readFileSync(logs.get(child)!, 'utf8').split('\n').slice(-30).join('\n')}`;
    } catch {
      return '';
    }
  };
  try {
    const res = await waitForAnswer(url, exited, tail);
    if (!res.ok) throw new Error(`${name}: ${url} answered ${res.status}${tail()}`);
  } catch (err) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before answering${tail()}`);
    throw err;
  }
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
  if (r.non2xx || r.errors) {
    const codes = Object.entries(r.statusCodeStats ?? {}).map(([code, v]) => `${code}: ${(v as { count: number }).count}`).join(', ');
    throw new Error(`${name}: ${r.non2xx} non-2xx (${codes}) and ${r.errors} errors${/429/.test(codes) ? ' (the rate limiter refused: see RATE_LIMITS_FILE)' : ''}`);
  }
  const cpuUsPerRequest = cpuBefore !== undefined && cpuAfter !== undefined ? Math.round(((cpuAfter - cpuBefore) * 1e6) / r.requests.total) : undefined;
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, cpu_us_per_request: cpuUsPerRequest };
}

const work = mkdtempSync(join(tmpdir(), 'ca-bench-'));
const [gwPort, helloPort, fnPort] = await Promise.all([freePort(), freePort(), freePort()]);
const gateway = start(['--import', 'tsx', 'scripts/local-gateway.ts'], { PORT: String(gwPort), DATA_DIR: work, CA_ROOT_API_KEY: ROOT_KEY, LOG_LEVEL: 'INFO', ...limiterEnv }, root, join(work, 'gateway.log'));
const hello = start([frameworkMain, '--target=hello', `--source=${join(here, 'hello.mjs')}`, `--port=${helloPort}`], {}, join(root, 'functions/locale'), join(work, 'hello.log'));

let fn: ChildProcess | undefined;
try {
  const gw = `http://127.0.0.1:${gwPort}`;
  await Promise.all([ready(gateway, `${gw}/health`, 'local gateway'), ready(hello, `http://127.0.0.1:${helloPort}/`, 'hello-world')]);
  const rootHeaders = { 'x-ca-root-key': ROOT_KEY, 'content-type': 'application/json' };
  const booted = await fetch(`${gw}/api/v1/admin/bootstrap`, { method: 'POST', headers: rootHeaders });
  if (!booted.ok) throw new Error(`bootstrap answered ${booted.status}: ${await booted.text()}`);
  const onboarded = await fetch(`${gw}/api/v1/organizations/onboard`, {
    method: 'POST', headers: rootHeaders,
    body: JSON.stringify({ org_slug: 'bench_co', company_name: 'Bench Co', admin_email: 'ops@bench.test', subscription_plan: 'SCALE', default_currency: 'INR', default_timezone: 'Asia/Kolkata' }),
  });
  if (!onboarded.ok) throw new Error(`onboarding answered ${onboarded.status}: ${await onboarded.text()}`);
  const { api_key: apiKey } = (await onboarded.json()) as { api_key: string };

  const baseline = await load('hello-world (functions-framework)', `http://127.0.0.1:${helloPort}/`, {}, hello);
  const locale = await load('GET /locale via local gateway', `${gw}/api/v1/organizations/bench_co/locale`, { 'x-api-key': apiKey }, gateway);

  // DuckDB has one writer per file: the gateway lets go of it before the function opens it.
  gateway.kill('SIGTERM');
  await once(gateway, 'exit');
  // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the function process (written when it exits).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  fn = start([...profile, '--import', 'tsx', frameworkMain, '--target=locale', '--source=src/index.ts', `--port=${fnPort}`],
    { NODE_ENV: 'production', DATA_DIR: work, CA_ROOT_API_KEY: ROOT_KEY, LOG_LEVEL: 'INFO', ...limiterEnv }, join(root, 'functions/locale'), join(work, 'function.log'));
  await ready(fn, `http://127.0.0.1:${fnPort}/health/live`, 'locale function');
  // One authenticated request first: a function that cannot serve the route stops here, not after a run of 500s.
  const probe = await fetch(`http://127.0.0.1:${fnPort}/api/v1/organizations/bench_co/locale`, { headers: { 'x-api-key': apiKey } });
  if (!probe.ok) throw new Error(`locale function: GET /locale answered ${probe.status}: ${await probe.text()}`);
  const deployed = await load('GET /locale, function under functions-framework', `http://127.0.0.1:${fnPort}/api/v1/organizations/bench_co/locale`, { 'x-api-key': apiKey }, fn);
  // The hello-world again right after, so both ratios compare with a baseline from the same minutes.
  const baselineAfter = await load('hello-world again', `http://127.0.0.1:${helloPort}/`, {}, hello);

  const helloRps = (baseline.rps + baselineAfter.rps) / 2;
  // CPU per request moves far less with the machine's other load than requests/s and p99 do.
  const helloCpu = baseline.cpu_us_per_request !== undefined && baselineAfter.cpu_us_per_request !== undefined ? (baseline.cpu_us_per_request + baselineAfter.cpu_us_per_request) / 2 : undefined;
  const cpuRatio = (r: typeof locale) => (helloCpu && r.cpu_us_per_request ? r.cpu_us_per_request / helloCpu : undefined);
  /** Each goal: what it asks, and whether this run met it (undefined: not measurable here). */
  const goalsOf = (r: typeof locale, minRatio: number, maxCpu?: number) => ({
    [`throughput_ratio_at_least_${minRatio}`]: r.rps / helloRps >= minRatio,
    ...(maxCpu ? { [`cpu_per_request_at_most_${maxCpu}x`]: cpuRatio(r) === undefined ? undefined : cpuRatio(r)! <= maxCpu } : {}),
    p99_under_15ms: r.p99 < 15,
  });
  const shape = (r: typeof locale, minRatio: number, maxCpu?: number) => ({
    ...r, throughput_ratio: Number((r.rps / helloRps).toFixed(3)),
    cpu_ratio: cpuRatio(r) === undefined ? undefined : Number(cpuRatio(r)!.toFixed(2)),
    goals: goalsOf(r, minRatio, maxCpu),
  });
  const report = {
    date: new Date().toISOString(), node: process.version, connections: CONNECTIONS, duration_s: DURATION,
    rate_limits: RATE_LIMITS === 'off' ? 'off' : RATE_LIMITS_FILE,
    baseline, baseline_after: baselineAfter, gateway: shape(locale, 0.5), functions_framework: shape(deployed, 0.6, 1.5),
  };
  console.table([baseline, locale, deployed, baselineAfter]);
  console.log(`rate limiter: ${RATE_LIMITS === 'off' ? 'off' : `on, budgets ${RATE_LIMITS_FILE}`}; the hello-world's p99: ${baseline.p99} and ${baselineAfter.p99} ms; its CPU per request ${helloCpu ?? '?'} µs`);
  let missed = false;
  for (const [name, r] of [['local gateway', report.gateway], ['functions-framework (deployed shape)', report.functions_framework]] as const) {
    const verdicts = Object.entries(r.goals).map(([goal, ok]) => {
      if (ok === false) missed = true;
      return `${goal}: ${ok === undefined ? 'not measured' : ok ? 'met' : 'MISSED'}`;
    });
    console.log(`${name}: throughput ratio ${r.throughput_ratio.toFixed(2)} of the hello-world, p99 ${r.p99} ms, CPU per request ${r.cpu_us_per_request ?? '?'} µs (${r.cpu_ratio ?? '?'}x the hello-world's)\n  goals: ${verdicts.join('; ')}`);
  }
  if (missed) process.exitCode = 1;
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'latest.json'), JSON.stringify(report, null, 2) + '\n');
} finally {
  if (gateway.exitCode === null) gateway.kill('SIGTERM');
  fn?.kill('SIGTERM');
  hello.kill('SIGTERM');
  if (fn && fn.exitCode === null) await once(fn, 'exit');
}
