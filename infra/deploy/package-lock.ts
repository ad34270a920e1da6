// A package-lock.json for a function bundle, derived offline from the workspace's pnpm-lock.yaml.
//
// Cloud Functions' Node.js buildpack runs `npm ci` when the source has a package-lock.json, so every
// package it installs, direct or transitive, is the one the lockfile names. This file makes that
// lockfile from the versions pnpm resolved and the tests ran against: the same packages at the
// same versions (and integrity hashes), each dependency edge resolving to the version pnpm
// resolved it to, laid out as npm's hoisted node_modules tree. No registry is asked.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

interface PnpmPackage {
  resolution: { integrity?: string; tarball?: string };
  engines?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  hasBin?: boolean;
  bundledDependencies?: string[] | boolean;
}
interface PnpmSnapshot { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }
export interface PnpmLock {
  importers?: Record<string, { dependencies?: Record<string, { version: string }> }>;
  packages?: Record<string, PnpmPackage>;
  snapshots?: Record<string, PnpmSnapshot>;
}

export interface NpmLockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  engines?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  bin?: Record<string, string>;
  optional?: boolean;
}
export interface NpmLock { name: string; lockfileVersion: 3; requires: true; packages: Record<string, NpmLockEntry> }

/** One package version (`name@version`, peers folded in) and what it depends on, by folder name. */
interface Pkg { key: string; name: string; version: string; deps: Map<string, { key: string; optional: boolean }> }

/** `1.2.3(peer@4)` → `name@1.2.3(peer@4)`; an alias `string-width@4.2.3` is already a key. */
function snapshotKey(name: string, ref: string): string {
  if (ref.startsWith('link:') || ref.startsWith('file:')) throw new Error(`pnpm-lock.yaml: ${name} is ${ref}, not a registry package`);
  return /^\d/.test(ref) ? `${name}@${ref}` : ref;
}
const baseKey = (key: string) => key.replace(/\(.*$/, '');
function splitKey(key: string): { name: string; version: string } {
  const base = baseKey(key);
  const at = base.indexOf('@', 1);
  return { name: base.slice(0, at), version: base.slice(at + 1) };
}

/**
 * Every package the given direct dependencies pull in, per pnpm-lock.yaml. pnpm keeps one snapshot
 * per set of resolved peers (`debug@4.4.3` and `debug@4.4.3(supports-color@10.2.2)`); npm installs
 * a version once, so those merge, and two snapshots of one version that disagree on a dependency's
 * version are refused rather than guessed.
 */
export function closureOf(lock: PnpmLock, direct: Record<string, string>): Map<string, Pkg> {
  const out = new Map<string, Pkg>();
  const queue = Object.entries(direct).map(([name, ref]) => snapshotKey(name, ref));
  const seen = new Set<string>();
  for (let snap = queue.shift(); snap !== undefined; snap = queue.shift()) {
    if (seen.has(snap)) continue;
    seen.add(snap);
    const entry = lock.snapshots?.[snap];
    if (!entry) throw new Error(`pnpm-lock.yaml has no snapshot ${snap}`);
    const key = baseKey(snap);
    const { name, version } = splitKey(key);
    const pkg = out.get(key) ?? { key, name, version, deps: new Map() };
    out.set(key, pkg);
    for (const [deps, optional] of [[entry.dependencies, false], [entry.optionalDependencies, true]] as const) {
      for (const [dep, ref] of Object.entries(deps ?? {})) {
        const depSnap = snapshotKey(dep, ref);
        const had = pkg.deps.get(dep);
        if (had && had.key !== baseKey(depSnap)) throw new Error(`pnpm-lock.yaml: ${key} depends on ${dep} as both ${had.key} and ${baseKey(depSnap)}`);
        pkg.deps.set(dep, { key: baseKey(depSnap), optional: optional && (had?.optional ?? true) });
        queue.push(depSnap);
      }
    }
  }
  return out;
}

type Chain = readonly string[];
const location = (chain: Chain) => chain.map((n) => `node_modules/${n}`).join('/');

/**
 * npm's layout: each package as high in node_modules as it can go without another version of it
 * being found first by anything that needs it. Placed breadth-first from the root, so the root's
 * own dependencies are all at the top; the result is checked by Node's own lookup afterwards.
 */
function layout(pkgs: Map<string, Pkg>, direct: Map<string, { key: string; optional: boolean }>): Map<string, { chain: Chain; pkg: Pkg }> {
  const placed = new Map<string, { chain: Chain; pkg: Pkg }>(); // by location
  /** Every package already laid out: what it found each dependency as (the depth of that folder's parent). */
  const looked: { chain: Chain; found: Map<string, number> }[] = [];
  const depsOf = (chain: Chain) => (chain.length ? placed.get(location(chain))!.pkg.deps : direct);
  /** Node's lookup from the package at `chain`: its own node_modules, then each parent's; the depth it finds `name` at. */
  const lookup = (chain: Chain, name: string): number | undefined => {
    for (let n = chain.length; n >= 0; n--) if (placed.has(location([...chain.slice(0, n), name]))) return n;
    return undefined;
  };
  const under = (chain: Chain, base: Chain) => base.every((n, i) => chain[i] === n);
  const queue: Chain[] = [[]];
  for (let chain = queue.shift(); chain !== undefined; chain = queue.shift()) {
    const found = new Map<string, number>();
    looked.push({ chain, found });
    for (const [name, { key }] of [...depsOf(chain)].sort(([a], [b]) => a.localeCompare(b, 'en'))) {
      const have = lookup(chain, name);
      if (have !== undefined && placed.get(location([...chain.slice(0, have), name]))!.pkg.key === key) {
        found.set(name, have);
        continue;
      }
      // As high as it can go: below the other version of `name` this package would find first...
      let level = have === undefined ? 0 : have + 1;
      // ...and not in front of a version some package already laid out found higher up. The
      // package's own node_modules always qualifies: nothing below it is laid out yet.
      while (level < chain.length && looked.some((l) => under(l.chain, chain.slice(0, level)) && (l.found.get(name) ?? Infinity) < level)) level++;
      const at = [...chain.slice(0, level), name];
      const pkg = pkgs.get(key);
      if (!pkg) throw new Error(`pnpm-lock.yaml: ${key} is missing from the closure`);
      placed.set(location(at), { chain: at, pkg });
      found.set(name, level);
      queue.push(at);
    }
  }
  // Node's lookup from every package (and the root) finds exactly the version pnpm resolved.
  for (const chain of [[], ...[...placed.values()].map((p) => p.chain)]) {
    for (const [name, { key }] of depsOf(chain)) {
      const depth = lookup(chain, name);
      const got = depth === undefined ? 'nothing' : placed.get(location([...chain.slice(0, depth), name]))!.pkg.key;
      if (got !== key) throw new Error(`package-lock layout: ${location(chain) || 'the root'} would find ${name} as ${got}, not ${key}`);
    }
  }
  return placed;
}

/** The registry tarball npm would record for a package. */
const tarballOf = (name: string, version: string) => `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`;

/**
 * pnpm-lock.yaml says a package has executables but not which; npm links them from the lockfile,
 * so they are read from the package as pnpm installed it (node_modules/.pnpm, the same version).
 */
function binsOf(root: string, name: string, version: string): Record<string, string> {
  const store = join(root, 'node_modules/.pnpm');
  const prefix = `${name.replace('/', '+')}@${version}`;
  const dir = existsSync(store) ? readdirSync(store).find((d) => (d === prefix || d.startsWith(`${prefix}_`)) && existsSync(join(store, d, 'node_modules', name, 'package.json'))) : undefined;
  if (!dir) throw new Error(`${name}@${version} has executables, but is not installed under node_modules/.pnpm to read them from (run pnpm install)`);
  const { bin } = JSON.parse(readFileSync(join(store, dir, 'node_modules', name, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const map = typeof bin === 'string' ? { [name.split('/').pop()!]: bin } : (bin ?? {});
  return Object.fromEntries(Object.entries(map).map(([cmd, file]) => [cmd, file.replace(/^\.\//, '')]));
}

/**
 * The package-lock.json (v3) for a bundle whose package.json lists `dependencies` (exact
 * versions) and whose snapshots are `refs` (the importer's pnpm versions, peers included).
 */
export function packageLockFor(opts: { name: string; engines: Record<string, string>; dependencies: Record<string, string>; refs: Record<string, string>; lock: PnpmLock; root: string }): NpmLock {
  const { lock } = opts;
  const pkgs = closureOf(lock, opts.refs);
  const direct = new Map(Object.keys(opts.dependencies).map((name) => [name, { key: baseKey(snapshotKey(name, opts.refs[name]!)), optional: false }]));
  for (const [name, version] of Object.entries(opts.dependencies)) {
    if (splitKey(direct.get(name)!.key).version !== version) throw new Error(`package.json asks for ${name}@${version}, pnpm-lock.yaml resolved ${direct.get(name)!.key}`);
  }
  const placed = layout(pkgs, direct);

  // Optional: reached from the root only through an optional dependency (npm then skips it on a
  // platform it does not support, as pnpm did).
  const required = new Set<string>();
  const walk = (chain: Chain, deps: Pkg['deps']) => {
    for (const [name, { optional }] of deps) {
      if (optional) continue;
      let at: string | undefined;
      for (let n = chain.length; n >= 0 && !at; n--) if (placed.has(location([...chain.slice(0, n), name]))) at = location([...chain.slice(0, n), name]);
      if (!at || required.has(at)) continue;
      required.add(at);
      const node = placed.get(at)!;
      walk(node.chain, node.pkg.deps);
    }
  };
  walk([], direct);

  const packages: Record<string, NpmLockEntry> = { '': { name: opts.name, dependencies: opts.dependencies, engines: opts.engines } as NpmLockEntry };
  const spec = (folder: string, key: string) => {
    const { name, version } = splitKey(key);
    return name === folder ? version : `npm:${name}@${version}`;
  };
  for (const at of [...placed.keys()].sort((a, b) => a.localeCompare(b, 'en'))) {
    const { chain, pkg } = placed.get(at)!;
    const meta = lock.packages?.[pkg.key];
    if (!meta?.resolution.integrity) throw new Error(`pnpm-lock.yaml: ${pkg.key} has no registry integrity`);
    if (meta.bundledDependencies) throw new Error(`${pkg.key} bundles dependencies, which this lockfile derivation does not handle`);
    const entry: NpmLockEntry = {};
    if (chain[chain.length - 1] !== pkg.name) entry.name = pkg.name;
    entry.version = pkg.version;
    entry.resolved = meta.resolution.tarball ?? tarballOf(pkg.name, pkg.version);
    entry.integrity = meta.resolution.integrity;
    const deps = [...pkg.deps].sort(([a], [b]) => a.localeCompare(b, 'en'));
    const hard = deps.filter(([, d]) => !d.optional);
    const soft = deps.filter(([, d]) => d.optional);
    if (hard.length) entry.dependencies = Object.fromEntries(hard.map(([n, d]) => [n, spec(n, d.key)]));
    if (soft.length) entry.optionalDependencies = Object.fromEntries(soft.map(([n, d]) => [n, spec(n, d.key)]));
    if (meta.engines) entry.engines = meta.engines;
    if (meta.os) entry.os = meta.os;
    if (meta.cpu) entry.cpu = meta.cpu;
    if (meta.libc) entry.libc = meta.libc;
    if (meta.hasBin) entry.bin = binsOf(opts.root, pkg.name, pkg.version);
    if (!required.has(at)) entry.optional = true;
    packages[at] = entry;
  }
  return { name: opts.name, lockfileVersion: 3, requires: true, packages };
}

export function readPnpmLock(file: string): PnpmLock {
  return parseYaml(readFileSync(file, 'utf8')) as PnpmLock;
}
