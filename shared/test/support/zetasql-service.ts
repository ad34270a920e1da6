import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AnalyzerOptionsProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/AnalyzerOptionsProto';
import type { SimpleTableProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/SimpleTableProto';
import type { TypeProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/TypeProto';
import { describeType } from './zetasql-types.js';
import { bigQueryLanguage } from './zetasql-dialect.js';

/**
 * The analyzer side of the ZetaSQL check, run once per test run in vitest's main process
 * (globalSetup): Google's ZetaSQL analyzer as the npm package's gRPC server binary, behind a
 * small HTTP front (zetasql-front.ts) that every test worker and every gateway process a test
 * spawns talks to. One server and one cache for the whole run: the same statement sent by twenty
 * test files is analyzed once.
 */

export interface AnalyzeInput {
  sql: string;
  params: { name: string; type: TypeProto }[];
  tables: SimpleTableProto[];
}

export type AnalyzeOutcome = { ok: true } | { ok: false; message: string };

/** What a worker posts: the statement, and who sent it (for the report). */
export interface CheckRequest {
  input: AnalyzeInput;
  /** The test (or process) that sent it. */
  origin: string;
  /** A guard test's deliberately wrong statement: analyzed, never counted as a rejection. */
  probe?: boolean;
  /** Sent by a process a test worker spawned: that worker's pid, to hand the rejection back to it. */
  parent?: string;
}

export interface Rejection {
  message: string;
  sql: string;
  params: Record<string, string>;
  sentBy: string[];
  parent?: string;
}

interface GrpcError { code?: number; details?: string; message?: string }
interface ZetaClient {
  analyze(request: object): Promise<unknown>;
  formatSql(request: { sql: string }): Promise<unknown>;
}
interface ZetaModule { ZetaSQLClient: { init(port: number): void; getInstance(): ZetaClient } }

const INVALID_ARGUMENT = 3;
/** Runs "$0" "$@" (the server); kills it when stdin closes; exits with the server's status. */
const WATCHDOG = 'exec 3<&0; "$0" "$@" & server=$!; (read -r _ <&3; kill -9 "$server" 2>/dev/null) & wait "$server"';
const paramTypes = (input: AnalyzeInput) => Object.fromEntries(input.params.map((p) => [p.name, describeType(p.type)]));
const READY_TIMEOUT_MS = 30_000;

/** The server binary the package ships for this platform; absent ones fail loudly at start. */
function serverBinary(): string {
  const lib = dirname(createRequire(import.meta.url).resolve('@fivetrandevelopers/zetasql'));
  const name = `remote_server${process.arch.startsWith('arm') ? '_arm' : ''}${process.platform === 'darwin' ? '' : '.so'}`;
  return join(lib, 'zetasql', name);
}

async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

export class ZetaSqlAnalyzer {
  private readonly cache = new Map<string, Promise<AnalyzeOutcome>>();
  readonly rejections = new Map<string, Rejection>();
  requests = 0;
  analyses = 0;
  /** Statements received per test file or spawned process: shows what the check covered. */
  readonly bySource = new Map<string, number>();
  analyzerMs = 0;
  /** Every distinct statement analyzed, with its parameter types, for the report. */
  readonly analyzed: { sql: string; params: Record<string, string>; ok: boolean }[] = [];
  /** Rejections in spawned processes, per spawning worker, until that worker claims them. */
  private readonly unclaimed = new Map<string, Rejection[]>();

  private constructor(private readonly child: ChildProcess, private readonly client: ZetaClient, private readonly options: AnalyzerOptionsProto) {}

  /** Starts the server binary; throws (with its output) when it cannot start or does not answer. */
  static async start(): Promise<ZetaSqlAnalyzer> {
    const binary = serverBinary();
    if (!existsSync(binary)) throw new Error(`ZetaSQL check: the analyzer binary ${binary} is missing (platform ${process.platform}-${process.arch})`);
    const port = await freePort();
    // Through a small sh watchdog: when this process dies, however it dies, its end of the stdin
    // pipe closes and the watchdog kills the server, so no analyzer outlives a killed test run.
    const child = spawn('sh', ['-c', WATCHDOG, binary, 'localhost', String(port)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (err) => reject(new Error(`ZetaSQL check: cannot run ${binary}: ${err.message}`)));
      child.once('exit', (code, signal) => reject(new Error(`ZetaSQL check: ${binary} exited (${code ?? signal}) before answering:\n${output}`)));
    });
    failed.catch(() => undefined);
    const zetasql = createRequire(import.meta.url)('@fivetrandevelopers/zetasql') as ZetaModule;
    zetasql.ZetaSQLClient.init(port);
    const client = zetasql.ZetaSQLClient.getInstance();
    const deadline = Date.now() + READY_TIMEOUT_MS;
    try {
      for (;;) {
        const ready = await Promise.race([client.formatSql({ sql: 'SELECT 1' }).then(() => true, () => false), failed]);
        if (ready) break;
        if (Date.now() > deadline) throw new Error(`ZetaSQL check: ${binary} did not answer on port ${port} within ${READY_TIMEOUT_MS} ms:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } catch (err) {
      child.stdin!.end();
      throw err;
    }
    const language = bigQueryLanguage();
    return new ZetaSqlAnalyzer(child, client, {
      languageOptions: language,
      errorMessageMode: 'ERROR_MESSAGE_MULTI_LINE_WITH_CARET',
      defaultTimezone: 'UTC',
      parameterMode: 'PARAMETER_NAMED',
    });
  }

  analyze(input: AnalyzeInput): Promise<AnalyzeOutcome> {
    this.requests++;
    const key = JSON.stringify(input);
    let outcome = this.cache.get(key);
    if (!outcome) {
      outcome = this.run(input);
      this.cache.set(key, outcome);
      // An infrastructure failure is not an answer about the statement: do not keep it.
      outcome.catch(() => this.cache.delete(key));
    }
    return outcome;
  }

  private async run(input: AnalyzeInput): Promise<AnalyzeOutcome> {
    this.analyses++;
    const started = performance.now();
    try {
      await this.client.analyze({
        options: { ...this.options, queryParameters: input.params },
        simpleCatalog: {
          name: 'bigquery',
          table: input.tables,
          builtinFunctionOptions: { languageOptions: this.options.languageOptions },
        },
        sqlStatement: input.sql,
      });
      this.analyzed.push({ sql: input.sql, params: paramTypes(input), ok: true });
      return { ok: true };
    } catch (err) {
      const e = err as GrpcError;
      if (e.code === INVALID_ARGUMENT) {
        this.analyzed.push({ sql: input.sql, params: paramTypes(input), ok: false });
        return { ok: false, message: e.details ?? String(e.message) };
      }
      throw new Error(`ZetaSQL check: the analyzer failed (gRPC code ${e.code}): ${e.details ?? e.message}`);
    } finally {
      this.analyzerMs += performance.now() - started;
    }
  }

  record(req: CheckRequest, outcome: AnalyzeOutcome): void {
    if (outcome.ok || req.probe) return;
    this.recordRejection({ message: outcome.message, sql: req.input.sql, params: paramTypes(req.input), sentBy: [req.origin], ...(req.parent ? { parent: req.parent } : {}) });
  }

  claim(parent: string): Rejection[] {
    const list = this.unclaimed.get(parent) ?? [];
    this.unclaimed.delete(parent);
    return list;
  }

  /** One entry per distinct statement and parameter types, listing every test that sent it. */
  recordRejection(r: Rejection): void {
    if (r.parent) this.unclaimed.set(r.parent, [...(this.unclaimed.get(r.parent) ?? []), r]);
    const key = JSON.stringify([r.sql, r.params]);
    const known = this.rejections.get(key);
    if (!known) {
      const { parent: _, ...rest } = r;
      this.rejections.set(key, { ...rest, sentBy: [...r.sentBy] });
      return;
    }
    for (const o of r.sentBy) if (!known.sentBy.includes(o)) known.sentBy.push(o);
  }

  stop(): void {
    this.child.stdin!.end();
  }
}
