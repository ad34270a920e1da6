import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configsDir } from '../src/config.js';
import { loadSaasCatalog, saasCatalog } from '../src/saas/catalog.js';

/** The catalog is checked here, so a bad row fails the tests, never a request. */
describe('the SaaS catalog in configs/', () => {
  it('loads: 75 plans of 25 providers, every category from categories.yml, no plan name twice per provider', () => {
    const catalog = saasCatalog();
    expect(catalog.providers).toHaveLength(25);
    expect(catalog.providers.flatMap((p) => p.plans)).toHaveLength(75);
    for (const p of ['chatgpt_plus', 'claude_pro', 'copilot', 'cursor', 'teams', 'canva', 'slack', 'figma', 'notion', 'github', 'zoom']) expect(catalog.find(p), p).toBeDefined();
    expect(catalog.categories).toEqual(expect.arrayContaining(['ai', 'design', 'productivity', 'communication', 'development', 'project_management', 'automation', 'video', 'other']));
    expect(catalog.find('chatgpt_plus')!.plans.find((p) => p.plan_name === 'TEAM')).toMatchObject({ pricing_model: 'PER_SEAT', unit_price: '25', billing_cycle: 'monthly', category: 'ai' });
    expect(catalog.find('canva')!.plans.map((p) => p.plan_name)).toEqual(['FREE', 'PRO', 'PRO_ANNUAL', 'TEAM']);
  });

  const broken = (edit: (files: { csv: string; categories: string; providers: string }) => Partial<{ csv: string; categories: string; providers: string }>) => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-saas-'));
    cpSync(join(configsDir(), 'saas'), join(dir, 'saas'), { recursive: true });
    const paths = { csv: 'saas/seed/data/saas_subscription_plans.csv', categories: 'saas/categories.yml', providers: 'saas/providers.yml' };
    const files = { csv: '', categories: '', providers: '' };
    for (const k of Object.keys(paths) as (keyof typeof paths)[]) files[k] = readFileSync(join(dir, paths[k]), 'utf8');
    for (const [k, v] of Object.entries(edit(files))) writeFileSync(join(dir, paths[k as keyof typeof paths]), v);
    return () => loadSaasCatalog(dir);
  };

  it.each([
    ['an unknown category', (f: { csv: string }) => ({ csv: f.csv.replace(',ai,monthly', ',artificial,monthly') }), /category must be one of/],
    ['a float-spelled price', (f: { csv: string }) => ({ csv: f.csv.replace(',25,300,', ',2.5e1,300,') }), /decimal/],
    ['a plan name twice for a provider', (f: { csv: string }) => ({ csv: f.csv.replace('PRO_ANNUAL', 'PRO') }), /listed twice/],
    ['a missing cell', (f: { csv: string }) => ({ csv: f.csv.replace(',FLAT_FEE,20,240,', ',FLAT_FEE,20240,') }), /cells where the header/],
    ['a provider without a display name', (f: { providers: string }) => ({ providers: f.providers.replace(/\n {2}zoom: Zoom/, '') }), /no display name/],
    ['a discount without its value', (f: { csv: string }) => ({ csv: f.csv.replace('sub_teams_free,teams,FREE,Teams Free,communication,monthly,USD,FLAT_FEE,0,0,0,,', 'sub_teams_free,teams,FREE,Teams Free,communication,monthly,USD,FLAT_FEE,0,0,0,percent,') }), /go together/],
    ['categories without other', (f: { categories: string }) => ({ categories: f.categories.replace(/\n {2}- other/, '') }), /must include other/],
  ])('fails on %s', (_name, edit, message) => {
    expect(broken(edit as never)).toThrow(message);
  });
});
