import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { configsDir } from '../../config.js';
import { readYamlFile } from '../../yaml-file.js';
import { LevelFieldsZ, levelProblem, type LevelFields } from './fields.js';

/**
 * The default levels (configs/system/hierarchy.yml), checked once: an org without level rows of
 * its own reads these, and its first level write stores them (levels/store.ts).
 */
const FileZ = z.strictObject({ levels: z.array(LevelFieldsZ).min(1) });

let cached: readonly LevelFields[] | undefined;

export function parseDefaultLevels(text: string): readonly LevelFields[] {
  return checkDefaultLevels(parse(text));
}

function checkDefaultLevels(value: unknown): readonly LevelFields[] {
  const { levels } = FileZ.parse(value);
  const problem = levelProblem(levels.map((l) => ({ ...l, is_active: true })));
  if (problem) throw new Error(`hierarchy.yml: ${problem.field}: ${problem.message}`);
  return levels;
}

export function defaultLevels(): readonly LevelFields[] {
  return (cached ??= checkDefaultLevels(readYamlFile(join(configsDir(), 'system/hierarchy.yml'))));
}
