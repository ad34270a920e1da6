// `pnpm bench:locale`: warm, authenticated GET /api/v1/organizations/{org}/locale through the
// local gateway (embedded DuckDB, default logging) against a functions-framework hello-world on
// the same machine, both driven by autocannon at 32 connections, one after the other.
// Goal (issue 3): at least half the hello-world throughput, p99 under 15 ms.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
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

async function load(name: string, url: string, headers: Record<string, string>) {
  // Warm-up: JIT, the key cache and DuckDB's caches, not counted.
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers });
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  if (r.non2xx || r.errors) throw new Error(`${name}: ${r.non2xx} non-2xx and ${r.errors} errors`);
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total };
}

const work = mkdtempSync(join(tmpdir(), 'ca-bench-'));
const [gwPort, helloPort] = await Promise.all([freePort(), freePort()]);
const gateway = start(['--import', 'tsx', 'scripts/local-gateway.ts'], { PORT: String(gwPort), DATA_DIR: work, CA_ROOT_API_KEY: ROOT_KEY, LOG_LEVEL: 'INFO' }, root, join(work, 'gateway.log'));
const hello = start([join(root, 'functions/locale/node_modules/@google-cloud/functions-framework/build/src/main.js'), '--target=hello', `--source=${join(here, 'hello.mjs')}`, `--port=${helloPort}`], {}, join(root, 'functions/locale'), join(work, 'hello.log'));

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

  const baseline = await load('hello-world (functions-framework)', `http://127.0.0.1:${helloPort}/`, {});
  const locale = await load('GET /locale via local gateway', `${gw}/api/v1/organizations/bench_co/locale`, { 'x-api-key': apiKey });
  const ratio = locale.rps / baseline.rps;
  const report = {
    date: new Date().toISOString(), node: process.version, connections: CONNECTIONS, duration_s: DURATION,
    baseline, locale, throughput_ratio: Number(ratio.toFixed(3)),
    goals: { ratio_at_least_0_5: ratio >= 0.5, p99_under_15ms: locale.p99 < 15 },
  };
  console.table([baseline, locale]);
  console.log(`throughput ratio ${ratio.toFixed(2)} (goal ≥ 0.5); locale p99 ${locale.p99} ms (goal < 15 ms)`);
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'latest.json'), JSON.stringify(report, null, 2) + '\n');
} finally {
  gateway.kill('SIGTERM');
  hello.kill('SIGTERM');
}
