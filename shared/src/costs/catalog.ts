import { join } from 'node:path';
import { configsDir } from '../config.js';
import { readYamlFile } from '../yaml-file.js';

export interface CostProvider { slug: string; name: string; category: 'cloud' | 'llm' | 'saas' }

let providers: CostProvider[] | undefined;

/** configs/costs/providers.yml, read once. */
export function costProviders(): CostProvider[] {
  return (providers ??= (readYamlFile(join(configsDir(), 'costs/providers.yml')) as { providers: CostProvider[] }).providers);
}

/** The provider a filter value names (its slug or ProviderName, any case), or undefined. */
export function findProvider(value: string): CostProvider | undefined {
  const v = value.trim().toLowerCase();
  return costProviders().find((p) => p.slug === v || p.name.toLowerCase() === v);
}

/** FOCUS 1.2 ServiceCategory allowed values. */
export const SERVICE_CATEGORIES = [
  'AI and Machine Learning', 'Analytics', 'Business Applications', 'Compute', 'Databases', 'Developer Tools', 'Multicloud',
  'Identity', 'Integration', 'Internet of Things', 'Management and Governance', 'Media', 'Migration', 'Mobile', 'Networking',
  'Security', 'Storage', 'Web', 'Other',
] as const;

/** FOCUS 1.2 allowed values the FOCUS export checks (and the seed writes). */
export const CHARGE_CATEGORIES = ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'] as const;
export const CHARGE_FREQUENCIES = ['One-Time', 'Recurring', 'Usage-Based'] as const;
export const COST_CATEGORIES = ['cloud', 'llm', 'saas'] as const;
