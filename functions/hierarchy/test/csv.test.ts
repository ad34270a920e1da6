import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from '@cloudact/shared/hierarchy/csv/format';
import { buildTree, hierarchyApp } from './support/app.js';

describe('CSV format', () => {
  it('round-trips quoted cells (commas, quotes, line breaks)', () => {
    const row = { entity_id: 'DEPT-A', entity_name: 'A, "the" first\nline', level: '1', level_code: 'c_suite', parent_id: '', owner_name: '', owner_email: '', description: ' padded ', metadata: '{"a":"b,c"}', sort_order: '1' };
    const parsed = parseCsv(toCsv([row]));
    expect('records' in parsed && parsed.records[1]).toEqual(Object.values(row));
  });
  it('writes a formula-like cell with a leading apostrophe, and the import takes it off again', async () => {
    const h = await hierarchyApp('formula_co');
    expect((await h.call('POST', '/entities', { entity_id: 'DEPT-F', entity_name: '=HYPERLINK("http://x")', level_code: 'c_suite', description: '+1 and @me' })).status).toBe(201);
    const csv = (await h.call('GET', '/export')).text;
    expect(csv.split('\r\n')[1]).toBe(`DEPT-F,"'=HYPERLINK(""http://x"")",1,c_suite,,,,'+1 and @me,,`);
    expect((await h.call('POST', '/import/preview', { csv_content: csv })).body.summary).toEqual({ creates: 0, updates: 0, deletes: 0, unchanged: 1 });
  });
  it('says where a quote is not closed', () => {
    expect(parseCsv('a,b\n"x,y\n')).toEqual({ error: 'line 3: a quoted cell is not closed' });
  });
});

describe('seed, export, preview, import', () => {
  it('seeds the 20 sample entities once; force rewrites the sample ids as new versions and keeps history', async () => {
    const h = await hierarchyApp();
    const first = await h.call('POST', '/entities/seed');
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ skipped: false, created_count: 20 });
    const tree = (await h.call('GET', '/tree')).body;
    expect(tree.stats).toEqual({ c_suite: 4, business_unit: 7, function: 9, total: 20 });
    expect((await h.call('POST', '/entities/seed')).body).toMatchObject({ skipped: true, created_count: 0 });
    await h.call('PUT', '/entities/TEAM-DATA', { entity_name: 'Data Platform' });
    const forced = await h.call('POST', '/entities/seed?force=true');
    expect(forced.body).toMatchObject({ created_count: 0, updated_count: 1, unchanged_count: 19 });
    expect((await h.versions('TEAM-DATA')).map((r) => [r.version, r.entity_name])).toEqual([[1, 'Data'], [2, 'Data Platform'], [3, 'Data']]);
  });

  it('export → edit → preview → import: the file becomes the hierarchy; a bad file is 422 with its problems as text and nothing changes', async () => {
    const h = await hierarchyApp();
    await buildTree(h);
    const exported = await h.call('GET', '/export');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/^attachment; filename="acme_co_hierarchy_2026-03-10\.csv"/);
    const lines = exported.text.trim().split('\r\n');
    expect(lines[0]).toBe('entity_id,entity_name,level,level_code,parent_id,owner_name,owner_email,description,metadata,sort_order');
    expect(lines).toHaveLength(6);

    // Same file: nothing to do.
    const same = await h.call('POST', '/import/preview', { csv_content: exported.text });
    expect(same.body).toMatchObject({ is_valid: true, has_changes: false, summary: { creates: 0, updates: 0, deletes: 0, unchanged: 5 } });

    // Rename PROJ-CTO, move TEAM-DATA under PROJ-OPS, add a team.
    const edited = [
      lines[0],
      'DEPT-CIO,Group CIO,1,c_suite,,,cio@acme.test,,,',
      'DEPT-COO,Group COO,1,c_suite,,,,,,',
      'PROJ-CTO,Platform Engineering,2,business_unit,DEPT-CIO,,,,,',
      'PROJ-OPS,Operations,2,business_unit,DEPT-COO,,,,,',
      'TEAM-DATA,Data,3,function,PROJ-OPS,,,,"{""cost_center"": ""CC-1""}",',
      'TEAM-NEW,New team,3,function,PROJ-CTO,Ann,ann@acme.test,"Builds, ships",,2',
    ].join('\n');
    const preview = await h.call('POST', '/import/preview', { csv_content: edited });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.summary).toEqual({ creates: 1, updates: 2, deletes: 0, unchanged: 3 });
    const update = preview.body.updates.find((u: any) => u.entity_id === 'TEAM-DATA');
    expect(update.changes.map((c: any) => c.field)).toEqual(['parent_id', 'path', 'path_ids', 'path_names']);

    // A bad file: nothing changes, and detail says why.
    const bad = edited.replace('TEAM-NEW,New team,3,function,PROJ-CTO,Ann,ann@acme.test', 'TEAM-NEW,New team,3,function,PROJ-NONE,Ann,not-an-email');
    const refused = await h.call('POST', '/import', { csv_content: bad });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/^The CSV was not imported \(nothing changed\): .*row 6 \(TEAM-NEW\): owner_email .*not an e-mail.*parent_id PROJ-NONE does not exist/);
    const badPreview = await h.call('POST', '/import/preview', { csv_content: bad });
    expect(badPreview.body.is_valid).toBe(false);
    expect(badPreview.body.validation_errors.map((e: any) => e.field)).toEqual(['owner_email', 'parent_id']);
    expect((await h.versions()).length).toBe(5);

    const imported = await h.call('POST', '/import', { csv_content: edited });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body).toMatchObject({ success: true, created_count: 1, updated_count: 2, deleted_count: 0, unchanged_count: 3, errors: [] });
    expect((await h.call('GET', '/entities/TEAM-DATA')).body.path).toBe('/DEPT-COO/PROJ-OPS/TEAM-DATA');

    // Full sync: a row left out is deleted, with no child left behind (its children must be left out too, or moved).
    const orphaning = edited.split('\n').filter((l) => !l.startsWith('PROJ-OPS')).join('\n');
    const orphan = await h.call('POST', '/import', { csv_content: orphaning });
    expect(orphan.status).toBe(422);
    expect(orphan.body.detail).toMatch(/TEAM-DATA.*parent_id PROJ-OPS does not exist/);
    const pruned = edited.split('\n').filter((l) => !l.startsWith('PROJ-OPS') && !l.startsWith('TEAM-DATA')).join('\n');
    const del = await h.call('POST', '/import', { csv_content: pruned });
    expect(del.body).toMatchObject({ deleted_count: 2 });
    expect((await h.versions()).filter((r) => r.end_date === null).map((r) => r.entity_id).sort()).toEqual(['DEPT-CIO', 'DEPT-COO', 'PROJ-CTO', 'TEAM-NEW']);
  });

  it('refuses files over the limits, unknown codes, cycles and bad metadata as 422 text', async () => {
    const h = await hierarchyApp();
    const head = 'entity_id,entity_name,level_code,parent_id,metadata';
    const many = [head, ...Array.from({ length: 1001 }, (_, i) => `DEPT-${i},D${i},c_suite,,`)].join('\n');
    const tooMany = await h.call('POST', '/import', { csv_content: many });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.detail).toMatch(/1001 rows; at most 1000/);
    const wrong = await h.call('POST', '/import', { csv_content: `${head}\nDEPT-A,A,board,,\nDEPT-B,B,c_suite,,{oops\nDEPT-A,again,c_suite,,\nDEPT-C,C,c_suite,,"{""x"": ""${'y'.repeat(11000)}""}"` });
    expect(wrong.status).toBe(422);
    expect(wrong.body.detail).toMatch(/metadata is not valid JSON/);
    expect(wrong.body.detail).toMatch(/entity_id DEPT-A is also on row 1/);
    expect(wrong.body.detail).toMatch(/level_code board is not one of the org's active levels/);
    expect(wrong.body.detail).toMatch(/metadata: at most 10240 bytes/);
    const missing = await h.call('POST', '/import', { csv_content: 'entity_name\nX' });
    expect(missing.status).toBe(422);
    expect(missing.body.detail).toMatch(/lacks the entity_id column/);
  });
});
