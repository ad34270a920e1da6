import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** A folder of shared/src that no layer names would escape the layer check: each must have one. */
const root = join(import.meta.dirname, '..');
const layers = createRequire(import.meta.url)(join(root, 'layers.cjs')) as [string, string][];

describe('layer picture', () => {
  it('every file and folder of shared/src belongs to exactly one layer', () => {
    for (const entry of readdirSync(join(root, 'shared/src'), { withFileTypes: true })) {
      const path = `shared/src/${entry.name}${entry.isDirectory() ? '/x.ts' : ''}`;
      const owners = layers.filter(([, re]) => new RegExp(re).test(path)).map(([name]) => name);
      expect(owners, path).toHaveLength(1);
    }
  });
});
