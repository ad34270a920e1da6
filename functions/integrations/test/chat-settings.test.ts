import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { defaultLines } from '@cloudact/shared/integrations/genai/defaults';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { routes } from '../src/routes.js';
import { testDeps } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard } from '../../../shared/test/support/orgs.js';
import { startProviderStandIns, type ProviderStandIns } from './support/providers.js';

/**
 * The in-app assistant's settings through the integrations function, on the warehouse mode
 * whose mutating statements really overlap: save (201) against a VALID credential of the same
 * provider only, read, change, delete; providers with models from the pricing defaults;
 * validate-key against the providers' stand-ins; and two (then ten) saves at once leave one
 * active row.
 */
const KEYS = { openai: 'sk-proj-chatopenai00000000000001', anthropic: 'sk-ant-api03-chatanthropic00001', gemini: 'AIzaChatGemini0000000000000001' };
type Settings = { setting_id: string; provider: string; credential_id: string; model_id: string; model_name: string | null; temperature: number; max_tokens: number; max_history_messages: number; is_active: boolean };
type Fields = { details: { fields: Record<string, string[]> } };

let providers: ProviderStandIns;
let deps: Awaited<ReturnType<typeof testDeps>>;
let app: ReturnType<typeof buildFunctionApp>;
let key: string;
const ORG = 'chat_co';
const cred: Record<string, string> = {};

async function call<T = Settings>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await app.fetch(new Request(`http://fn/api/v1${path}`, {
    method, headers: { 'x-api-key': key, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }));
  return { status: res.status, body: (res.status === 204 ? {} : await res.json()) as T };
}
const C = `/chat-settings/${ORG}`;
const activeRows = () => deps.warehouse.query({ sql: `SELECT setting_id FROM ${deps.warehouse.table('organizations', 'org_chat_settings')} WHERE org_slug = @org AND is_active`, params: { org: ORG } });

beforeAll(async () => {
  providers = await startProviderStandIns();
  providers.accepted.add(KEYS.openai);
  providers.accepted.add(KEYS.anthropic); // gemini's key is refused: an INVALID credential
  deps = await testDeps({ ...providers.env(), AUTH_FAILURES_PER_MINUTE: '100000' }, { warehouse: await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 }) });
  await bootstrap(deps);
  key = (await onboard(deps, ORG, { subscription_plan: 'SCALE' })).api_key;
  app = buildFunctionApp('integrations', routes, deps);
  for (const [p, k] of Object.entries(KEYS)) {
    const res = await call<{ credential_id: string }>('POST', `/integrations/${ORG}/${p}/setup`, { credential: k });
    cred[p] = res.body.credential_id;
  }
});
afterAll(() => providers.close());

describe('chat settings', () => {
  it('GET answers 200 null before any save', async () => {
    expect(await call('GET', C)).toEqual({ status: 200, body: null });
  });

  it('POST saves with the defaults (201); refuses another provider\'s credential, an INVALID one and bad tuning (422 naming the field)', async () => {
    const wrong = await call<Fields>('POST', C, { provider: 'OPENAI', credential_id: cred.anthropic, model_id: 'gpt-4o' });
    expect(wrong.status).toBe(422);
    expect(Object.keys(wrong.body.details.fields)).toEqual(['body.credential_id']);
    const invalid = await call<Fields>('POST', C, { provider: 'GEMINI', model_id: 'gemini-2.5-pro' });
    expect(invalid.status).toBe(422);
    expect(invalid.body.details.fields['body.credential_id']![0]).toContain('INVALID');
    const temp = await call<Fields>('POST', C, { provider: 'OPENAI', model_id: 'gpt-4o', temperature: 2.5 });
    expect(temp.status).toBe(422);
    expect(JSON.stringify(temp.body)).toContain('temperature');
    const none = await call<Fields>('POST', C, { provider: 'DEEPSEEK', model_id: 'deepseek-chat' });
    expect(Object.keys(none.body.details.fields)).toEqual(['body.credential_id']);

    const saved = await call('POST', C, { provider: 'openai', credential_id: cred.openai, model_id: 'gpt-4o', system_prompt_extra: 'Answer in INR.' });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ provider: 'OPENAI', credential_id: cred.openai, model_id: 'gpt-4o', model_name: 'GPT-4o', temperature: 0.7, max_tokens: 4096, max_history_messages: 50, is_active: true });
    expect((await call('GET', C)).body).toMatchObject({ setting_id: saved.body.setting_id });
  });

  it('a second save replaces the first; PUT changes the active one; DELETE turns it off (204)', async () => {
    const first = (await call('GET', C)).body;
    const second = await call('POST', C, { provider: 'ANTHROPIC', model_id: 'claude-3-5-sonnet-20241022', temperature: 0.2 });
    expect(second.body).toMatchObject({ provider: 'ANTHROPIC', credential_id: cred.anthropic });
    expect(await activeRows()).toEqual([{ setting_id: second.body.setting_id }]);
    expect((await call('PUT', `${C}/${first.setting_id}`, { max_tokens: 8192 })).status).toBe(404); // no longer the active one
    const changed = await call('PUT', `${C}/${second.body.setting_id}`, { max_tokens: 8192, provider: 'OPENAI', model_id: 'gpt-4o-mini' });
    expect(changed.body).toMatchObject({ max_tokens: 8192, provider: 'OPENAI', credential_id: cred.openai, temperature: 0.2 });
    const bad = await call('PUT', `${C}/${second.body.setting_id}`, { max_tokens: 100 });
    expect(bad.status).toBe(422);
    expect((await call('DELETE', `${C}/${second.body.setting_id}`)).status).toBe(204);
    expect((await call('GET', C)).body).toBeNull();
    expect((await call('DELETE', `${C}/${second.body.setting_id}`)).status).toBe(404);
  });

  it('/providers lists each provider\'s models from the pricing defaults and the org\'s VALID credential', async () => {
    const res = await call<{ providers: { provider: string; models: { id: string; name: string }[]; has_credential: boolean; credential_id: string | null }[] }>('GET', `${C}/providers`);
    const by = new Map(res.body.providers.map((p) => [p.provider, p]));
    expect([...by.keys()]).toEqual(['OPENAI', 'ANTHROPIC', 'GEMINI', 'DEEPSEEK']);
    expect(by.get('OPENAI')).toMatchObject({ has_credential: true, credential_id: cred.openai });
    expect(by.get('GEMINI')).toMatchObject({ has_credential: false, credential_id: null });
    const fromFile = defaultLines('payg').filter((l) => l.provider === 'deepseek').map((l) => l.model);
    expect(by.get('DEEPSEEK')!.models.map((m) => m.id)).toEqual(fromFile);
    expect(by.get('OPENAI')!.models.some((m) => m.id.includes('embedding'))).toBe(false);
  });

  it('/validate-key checks the active credential with the provider', async () => {
    const ok = await call<Record<string, unknown>>('POST', `${C}/validate-key`, { provider: 'OPENAI', model_id: 'gpt-4o' });
    expect(ok.body).toMatchObject({ valid: true, provider: 'OPENAI', model_id: 'gpt-4o', credential_id: cred.openai });
    const refused = await call<Record<string, unknown>>('POST', `${C}/validate-key`, { provider: 'GEMINI' });
    expect(refused.body).toMatchObject({ valid: false, provider: 'GEMINI' });
    expect(typeof refused.body.error).toBe('string');
    const other = await call<Record<string, unknown>>('POST', `${C}/validate-key`, { provider: 'OPENAI', credential_id: cred.anthropic });
    expect(other.body).toMatchObject({ valid: false, credential_id: cred.anthropic });
    const unknown = await call<Fields>('POST', `${C}/validate-key`, { provider: 'MISTRAL' });
    expect(unknown.status).toBe(422);
  });

  it('two saves at once leave one active row, and so do ten', async () => {
    for (const n of [2, 10]) {
      const answers = await Promise.all(Array.from({ length: n }, (_, i) => call('POST', C, { provider: 'OPENAI', model_id: 'gpt-4o', temperature: i / 10 })));
      expect(answers.map((a) => a.status)).toEqual(Array<number>(n).fill(201));
      const active = await activeRows();
      expect(active).toHaveLength(1);
      expect(answers.map((a) => a.body.setting_id)).toContain(active[0]!.setting_id);
      expect((await call('GET', C)).body.setting_id).toBe(active[0]!.setting_id);
    }
  });
});
