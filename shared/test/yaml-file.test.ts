import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configsDir } from '../src/config.js';
import { readYamlFile } from '../src/yaml-file.js';

describe('YAML config files and their JSON twins (deploy bundles)', () => {
  it('reads the twin when there is one, else the YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-yaml-'));
    const file = join(dir, 'x.yml');
    writeFileSync(file, 'a: 1\n');
    expect(readYamlFile(file)).toEqual({ a: 1 });
    writeFileSync(`${file}.json`, '{"a":2}');
    expect(readYamlFile(file)).toEqual({ a: 2 });
  });

  it('every YAML file of configs/ means the same as JSON (what the build writes)', () => {
    const files = readdirSync(configsDir(), { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && /\.ya?ml$/.test(e.name));
    expect(files.length).toBeGreaterThan(5);
    for (const e of files) {
      const value = parse(readFileSync(join(e.parentPath, e.name), 'utf8')) as unknown;
      expect(JSON.parse(JSON.stringify(value)), e.name).toEqual(value);
    }
  });
});
