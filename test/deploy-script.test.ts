import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lockedVersions } from '../infra/deploy/build-function.js';
import { ROOT } from './support/processes.js';

/**
 * deploy.sh as a dry run: fake `gcloud` and `bq` first on PATH record every call (one JSON array
 * of arguments per line) and answer the few reads the script makes. Nothing touches the network;
 * the bundles are really built (into a temporary DIST_DIR).
 */
const work = mkdtempSync(join(tmpdir(), 'ca-deploy-'));
const bin = join(work, 'bin');
mkdirSync(bin);
const fake = `#!/usr/bin/env node
const fs = require('fs');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify([require('path').basename(process.argv[1]), ...args]) + '\\n');
const has = (s) => args.join(' ').includes(s);
const existing = (process.env.FAKE_EXISTING || '').split(',');
if (has('functions describe')) process.stdout.write('https://' + args[2] + '-abc.a.run.app\\n');
else if (has('apis describe') && has('managedService')) process.stdout.write('cloudact-0123.apigateway.p.cloud.goog\\n');
else if (has('apis describe')) process.exit(existing.includes('api') ? 0 : 1);
else if (has('gateways describe')) process.exit(existing.includes('gateway') ? 0 : 1);
else if (has('sinks describe') && has('writerIdentity')) process.stdout.write('serviceAccount:service-42@gcp-sa-logging.iam.gserviceaccount.com\\n');
else if (has('sinks describe')) process.exit(existing.includes('sink') ? 0 : 1);
else if (has('secrets versions access')) process.stdout.write('root-key-from-secret-manager-0123456789\\n');
else if (has('scheduler jobs describe')) process.exit(existing.includes('scheduler') ? 0 : 1);
else if (has('api-configs create')) fs.copyFileSync(args.find((a) => a.startsWith('--openapi-spec=')).slice(15), process.env.FAKE_SPEC);
else if (has('buckets describe')) process.exit(existing.includes('bucket') ? 0 : 1);
else if (has('buckets update')) fs.copyFileSync(args.find((a) => a.startsWith('--lifecycle-file=')).slice(17), process.env.FAKE_SPEC + '.lifecycle.json');
`;

const baseEnv = {
  GCP_PROJECT_ID: 'cloudact-prod', REGION: 'europe-west1', KMS_KEY_NAME: 'projects/cloudact-prod/locations/europe/keyRings/ca/cryptoKeys/org-secrets',
  ROOT_KEY_SECRET: 'ca-root-key', SERVICE_ACCOUNT: 'fn@cloudact-prod.iam.gserviceaccount.com', GATEWAY_SA: 'gw@cloudact-prod.iam.gserviceaccount.com',
  CORS_ORIGINS: 'https://app.cloudact.test,https://admin.cloudact.test',
};

interface Run { code: number | null; calls: string[][]; output: string; spec: string; lifecycle: string }

async function deploy(name: string, env: Record<string, string>, args: string[] = []): Promise<Run> {
  const log = join(work, `${name}.log`);
  const spec = join(work, `${name}.spec.yaml`);
  writeFileSync(log, '');
  const child = spawn('bash', [join(ROOT, 'infra/deploy/deploy.sh'), ...args], {
    cwd: work,
    env: { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '', FAKE_LOG: log, FAKE_SPEC: spec, DIST_DIR: join(work, `dist-${name}`), ...baseEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  const calls = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]);
  return { code, calls, output, spec: existsSync(spec) ? readFileSync(spec, 'utf8') : '', lifecycle: existsSync(`${spec}.lifecycle.json`) ? readFileSync(`${spec}.lifecycle.json`, 'utf8') : '' };
}

const flag = (call: string[], name: string) => call.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const find = (calls: string[][], ...words: string[]) => calls.filter((c) => words.every((w) => c.includes(w)));

let fresh: Run;
beforeAll(async () => {
  for (const tool of ['gcloud', 'bq']) {
    writeFileSync(join(bin, tool), fake, { flag: 'w' });
    chmodSync(join(bin, tool), 0o755);
  }
  fresh = await deploy('fresh', {});
  if (fresh.code !== 0) throw new Error(`deploy.sh failed:\n${fresh.output}`);
}, 180_000);

describe('deploy.sh (dry run with a recording gcloud)', () => {
  it('names the project on every gcloud and bq call', () => {
    expect(fresh.calls.length).toBeGreaterThan(30);
    for (const call of fresh.calls) {
      const project = call[0] === 'bq' ? flag(call, 'project_id') : flag(call, 'project') ?? (call[1] === 'projects' ? call[3] : undefined);
      expect(project, call.join(' ')).toBe('cloudact-prod');
    }
  });

  it('deploys each function with 1 CPU, concurrent requests, the root key as a secret and a lease longer than the timeout', () => {
    const deploys = find(fresh.calls, 'functions', 'deploy');
    expect(deploys.map((c) => c[3])).toEqual(['cloudact-bootstrap', 'cloudact-onboard', 'cloudact-integrations', 'cloudact-locale', 'cloudact-subscriptions', 'cloudact-costs', 'cloudact-pipelines', 'cloudact-hierarchy', 'cloudact-budgets', 'cloudact-alerts']);
    for (const call of deploys) {
      expect(flag(call, 'cpu')).toBe('1');
      expect(Number(flag(call, 'concurrency'))).toBeGreaterThan(1);
      expect(flag(call, 'set-secrets')).toBe('CA_ROOT_API_KEY=ca-root-key:latest');
      const env = Object.fromEntries(flag(call, 'set-env-vars')!.replace(/^\^@\^/, '').split('@').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
      expect(env).not.toHaveProperty('CA_ROOT_API_KEY');
      expect(env).not.toHaveProperty('CA_ROOT_API_KEY_SECRET');
      expect(env).toMatchObject({ ENVIRONMENT: 'production', KMS_KEY_NAME: baseEnv.KMS_KEY_NAME, CORS_ORIGINS: baseEnv.CORS_ORIGINS });
      const timeout = Number(flag(call, 'timeout')!.replace(/s$/, ''));
      expect(Number(env.FUNCTION_TIMEOUT_SECONDS)).toBe(timeout);
      expect(Number(env.ONBOARDING_LEASE_SECONDS)).toBeGreaterThan(timeout);
    }
  });

  it('grants the runtime service account exactly the roles the code needs', () => {
    const member = `serviceAccount:${baseEnv.SERVICE_ACCOUNT}`;
    const roles = fresh.calls.filter((c) => c.includes('add-iam-policy-binding') && flag(c, 'member') === member).map((c) => flag(c, 'role'));
    // readSessionUser: every columnar read (the cost views) opens a Storage Read API session
    // (bigquery.readsessions.create), which neither dataEditor nor jobUser may do.
    // objectAdmin (on the export bucket only) and tokenCreator (on itself only): export jobs.
    expect(roles.sort()).toEqual(['roles/bigquery.dataEditor', 'roles/bigquery.jobUser', 'roles/bigquery.readSessionUser', 'roles/cloudkms.cryptoKeyEncrypterDecrypter', 'roles/iam.serviceAccountTokenCreator', 'roles/secretmanager.secretAccessor', 'roles/storage.objectAdmin']);
    const kms = find(fresh.calls, 'kms', 'keys', 'add-iam-policy-binding')[0]!;
    expect([kms[4], flag(kms, 'keyring'), flag(kms, 'location')]).toEqual(['org-secrets', 'ca', 'europe']);
    expect(find(fresh.calls, 'secrets', 'add-iam-policy-binding')[0]).toContain('ca-root-key');
  });

  it('creates the export bucket (private, in the datasets\' location) with a lifecycle rule, grants its roles on it alone, and names it to the functions', () => {
    const bucket = 'gs://cloudact-prod-cloudact-exports';
    const create = find(fresh.calls, 'buckets', 'create', bucket)[0]!;
    expect(flag(create, 'location')).toBe('US');
    expect(create).toContain('--uniform-bucket-level-access');
    expect(create).toContain('--public-access-prevention');
    expect(JSON.parse(fresh.lifecycle)).toEqual({ rule: [{ action: { type: 'Delete' }, condition: { age: 1 } }] });
    const member = `serviceAccount:${baseEnv.SERVICE_ACCOUNT}`;
    const onBucket = find(fresh.calls, 'buckets', 'add-iam-policy-binding', bucket)[0]!;
    expect([flag(onBucket, 'member'), flag(onBucket, 'role')]).toEqual([member, 'roles/storage.objectAdmin']);
    const signer = find(fresh.calls, 'iam', 'service-accounts', 'add-iam-policy-binding', baseEnv.SERVICE_ACCOUNT)[0]!;
    expect([flag(signer, 'member'), flag(signer, 'role')]).toEqual([member, 'roles/iam.serviceAccountTokenCreator']);
    expect(fresh.calls.some((c) => c.includes('iamcredentials.googleapis.com'))).toBe(true);
    // No project-wide storage or token role.
    expect(fresh.calls.filter((c) => c[1] === 'projects' && /storage|TokenCreator/.test(flag(c, 'role') ?? ''))).toEqual([]);
    for (const call of find(fresh.calls, 'functions', 'deploy')) expect(flag(call, 'set-env-vars')).toContain('@EXPORT_BUCKET=cloudact-prod-cloudact-exports');
  });

  it('enables the BigQuery Storage API (the cost views read through it) before deploying a function', () => {
    const enables = fresh.calls.filter((c) => c[1] === 'services' && c[2] === 'enable');
    const storage = enables.findIndex((c) => c.includes('bigquerystorage.googleapis.com'));
    expect(storage, JSON.stringify(enables)).toBeGreaterThanOrEqual(0);
    const at = fresh.calls.indexOf(enables[storage]!);
    expect(at).toBeLessThan(fresh.calls.findIndex((c) => c[1] === 'functions' && c[2] === 'deploy'));
  });

  it('creates the API and the gateway when absent, then publishes a config with every function URL', () => {
    expect(find(fresh.calls, 'apis', 'create', 'cloudact')).toHaveLength(1);
    expect(find(fresh.calls, 'gateways', 'create', 'cloudact-gateway')).toHaveLength(1);
    expect(find(fresh.calls, 'gateways', 'update')).toHaveLength(0);
    const config = find(fresh.calls, 'api-configs', 'create')[0]!;
    const create = find(fresh.calls, 'gateways', 'create')[0]!;
    expect(flag(create, 'api-config')).toBe(config[4]);
    expect(fresh.spec).toContain('https://cloudact-locale-abc.a.run.app');
    expect(fresh.spec).not.toMatch(/__[A-Z]+_URL__/);
    expect(fresh.spec).not.toContain('/admin/dev/');
  });

  it('routes request log lines that carry a key id into the key-usage dataset, and lets the sink write there', () => {
    const sink = find(fresh.calls, 'sinks', 'create', 'cloudact-key-usage')[0]!;
    expect(sink[5]).toBe('bigquery.googleapis.com/projects/cloudact-prod/datasets/org_key_usage');
    expect(sink).toContain('--use-partitioned-tables');
    expect(flag(sink, 'log-filter')).toMatch(/jsonPayload\.org_api_key_id:\*/);
    expect(find(fresh.calls, 'bq', 'mk')[0]).toContain('cloudact-prod:org_key_usage');
    const grant = fresh.calls.find((c) => flag(c, 'member') === 'serviceAccount:service-42@gcp-sa-logging.iam.gserviceaccount.com');
    expect(grant && flag(grant, 'role')).toBe('roles/bigquery.dataEditor');
  });

  it('creates the hourly alert evaluation job: process-all of the alerts function, with an identity token and the root key from Secret Manager', () => {
    const job = find(fresh.calls, 'scheduler', 'jobs', 'create', 'http', 'cloudact-alerts-hourly')[0]!;
    expect(job, JSON.stringify(fresh.calls.filter((c) => c.includes('scheduler')))).toBeDefined();
    expect(flag(job, 'schedule')).toBe('0 * * * *');
    expect(flag(job, 'uri')).toBe('https://cloudact-alerts-abc.a.run.app/api/v1/admin/alerts/process-all');
    expect(flag(job, 'http-method')).toBe('POST');
    expect(flag(job, 'oidc-service-account-email')).toBe('gw@cloudact-prod.iam.gserviceaccount.com');
    expect(flag(job, 'oidc-token-audience')).toBe('https://cloudact-alerts-abc.a.run.app');
    expect(flag(job, 'headers')).toBe('Content-Type=application/json,X-CA-Root-Key=root-key-from-secret-manager-0123456789');
    expect(find(fresh.calls, 'secrets', 'versions', 'access', 'latest')[0]).toContain('--secret=ca-root-key');
    expect(flag(job, 'message-body')).toBe('{}');
    // Due digests every 15 minutes: the same call, digests only.
    const digests = find(fresh.calls, 'scheduler', 'jobs', 'create', 'http', 'cloudact-alerts-digests')[0]!;
    expect(flag(digests, 'schedule')).toBe('*/15 * * * *');
    expect(flag(digests, 'message-body')).toBe('{"alert_types":["summary"]}');
    expect(flag(digests, 'uri')).toBe(flag(job, 'uri'));
    expect(flag(digests, 'headers')).toBe(flag(job, 'headers'));
  });

  it('updates what already exists instead of creating it again', async () => {
    const again = await deploy('again', { FAKE_EXISTING: 'api,gateway,sink,bucket,scheduler' }, ['locale']);
    expect(again.code, again.output).toBe(0);
    expect(find(again.calls, 'functions', 'deploy').map((c) => c[3])).toEqual(['cloudact-locale']);
    expect(find(again.calls, 'apis', 'create')).toHaveLength(0);
    expect(find(again.calls, 'gateways', 'create')).toHaveLength(0);
    expect(find(again.calls, 'gateways', 'update', 'cloudact-gateway')).toHaveLength(1);
    expect(find(again.calls, 'sinks', 'create')).toHaveLength(0);
    expect(find(again.calls, 'sinks', 'update', 'cloudact-key-usage')).toHaveLength(1);
    expect(find(again.calls, 'buckets', 'create')).toHaveLength(0);
    expect(find(again.calls, 'buckets', 'update')).toHaveLength(1);
    expect(find(again.calls, 'scheduler', 'create')).toHaveLength(0);
    expect(find(again.calls, 'scheduler', 'update', 'cloudact-alerts-hourly')).toHaveLength(1);
    expect(find(again.calls, 'scheduler', 'update', 'cloudact-alerts-digests')).toHaveLength(1);
  }, 60_000);

  it('refuses a lease that does not outlive the timeout, and a malformed KMS key name, before calling gcloud', async () => {
    const lease = await deploy('lease', { FUNCTION_TIMEOUT_SECONDS: '300', ONBOARDING_LEASE_SECONDS: '300' });
    expect(lease.code).not.toBe(0);
    expect(lease.output).toMatch(/ONBOARDING_LEASE_SECONDS \(300\) must exceed FUNCTION_TIMEOUT_SECONDS \(300\)/);
    const kms = await deploy('kms', { KMS_KEY_NAME: 'org-secrets' });
    expect(kms.code).not.toBe(0);
    expect(kms.output).toMatch(/KMS_KEY_NAME must be/);
    expect([...lease.calls, ...kms.calls]).toEqual([]);
  });

  it('pins every bundle dependency to the version in pnpm-lock.yaml', () => {
    const locked = lockedVersions();
    for (const fn of ['locale', 'costs']) {
      const pkg = JSON.parse(readFileSync(join(work, 'dist-fresh', fn, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
      expect(Object.keys(pkg.dependencies).length).toBeGreaterThan(0);
      for (const [name, version] of Object.entries(pkg.dependencies)) {
        expect(version, name).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
        expect(version, name).toBe(locked[name]);
      }
    }
  });
});
