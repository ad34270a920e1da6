import { ConfigError, type Config } from '../config.js';
import { loadProviderRegistry } from '../integrations/registry.js';
import { ratePolicy } from '../limits/policy.js';

/**
 * Cold start: the files a variable names are parsed and checked now (loadConfig has already
 * found them readable), so a wrong one stops the start naming the variable instead of failing
 * every request that needs it. Only files named by a variable: the default ones in configs/ are
 * the bundle's own, checked by the tests, and parsed on first use, so that the YAML parser does
 * not load before a probe's answer (test/cold-start.test.ts).
 */
export function checkConfiguredFiles(config: Config): void {
  const problems: string[] = [];
  const check = (name: string, file: string, read: () => unknown) => {
    try {
      read();
    } catch (err) {
      problems.push(`${name}: ${file} is not valid: ${describe(err)}`);
    }
  };
  if (config.rateLimitsFile) check('RATE_LIMITS_FILE', config.rateLimitsFile, () => ratePolicy(config.rateLimitsFile));
  const providersFile = config.integrations.providersFile;
  if (providersFile) check('PROVIDERS_FILE', providersFile, () => loadProviderRegistry(config, providersFile));
  if (problems.length) throw new ConfigError(problems);
}

function describe(err: unknown): string {
  if (err instanceof ConfigError) return err.problems.join('; ');
  const issues = (err as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
  if (Array.isArray(issues)) return issues.map((i) => `${i.path.map(String).join('.') || '(top)'}: ${i.message}`).join('; ');
  return err instanceof Error ? err.message : String(err);
}
