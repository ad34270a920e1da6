import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Under vitest, the processes a test spawns check their warehouse statements with ZetaSQL too
 * (the preload wraps DuckDbWarehouse.open); nothing about it is on the scripts' own path.
 */
const TSX = ['--import', 'tsx', ...(process.env.ZETASQL_CHECK_URL ? ['--import', join(ROOT, 'shared/test/support/zetasql-preload.ts')] : [])];

export interface Started {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<number | null>;
}

/** Runs a TypeScript entry point under tsx, as the package scripts do, and waits for `ready` in its output. */
export async function startTs(script: string, args: string[], env: Record<string, string>, ready: RegExp, cwd = ROOT): Promise<Started & { match: RegExpMatchArray }> {
  const child = spawn(process.execPath, [...TSX, script, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${ready}:\n${out}`)), 20_000);
    const check = () => {
      const m = out.match(ready);
      if (m) { clearTimeout(timer); resolve(m); }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code} before ready:\n${out}`)); });
  });
  return {
    child,
    match,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      return code as number | null;
    },
  };
}

/** Runs a TypeScript script to completion. */
export async function runTs(script: string, args: string[], env: Record<string, string>, cwd = ROOT): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...TSX, script, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const [code] = await once(child, 'exit');
  return { code: code as number | null, stdout, stderr };
}
