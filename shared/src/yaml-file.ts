import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * The value of a YAML config file. A deploy bundle carries a JSON twin of each of its configs/
 * YAML files (`<file>.json`, written by infra/deploy/build-function.ts from the same file), read
 * with JSON.parse instead of loading the yaml package (~28 ms) and parsing (~10 ms): functions
 * that check a config file at cold start (pipelines, hierarchy) pay neither. Without a twin (the
 * repository, tests, a RATE_LIMITS_FILE of the operator's) the YAML itself is parsed.
 */
export function readYamlFile(file: string): unknown {
  const twin = `${file}.json`;
  if (existsSync(twin)) return JSON.parse(readFileSync(twin, 'utf8')) as unknown;
  return parse(readFileSync(file, 'utf8'));
}
