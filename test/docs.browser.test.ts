import { existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientDocument } from '../scripts/gen-client.js';
import { ROOT, startTs, type Started } from './support/processes.js';

/**
 * The interactive reference of the local gateway (`/docs`), as a person uses it: headless
 * Chromium (Debian's `chromium`, driven by playwright-core) opens the page with every request
 * to anything but the gateway refused (no CDN, no network), finds the onboarding dry-run, enters
 * the root key under "Authorize", sends the dry-run with "Try it out" and reads the answer off
 * the page. The screenshot is kept in .data/artifacts/ (git-ignored). Without /usr/bin/chromium
 * (`.ci/run` installs it when it can) the browser test is reported as skipped.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const ARTIFACTS = join(ROOT, '.data/artifacts');
const ROOT_KEY = 'docs-test-root-key-0123456789abcdef012345';
const ORG = { org_slug: 'docs_co', company_name: 'Docs Co', admin_email: 'ops@docs.test', subscription_plan: 'STARTER', default_currency: 'INR', default_timezone: 'Asia/Kolkata' };

let gw: Started & { match: RegExpMatchArray };
let url: string;

beforeAll(async () => {
  const env = { PORT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'ca-docs-')), CA_ROOT_API_KEY: ROOT_KEY, LOCAL_ENCRYPTION_KEY: '', LOG_LEVEL: 'WARNING' };
  gw = await startTs('scripts/local-gateway.ts', [], env, /listening on (http:\/\/\S+)/);
  url = gw.match[1]!;
  const boot = await fetch(`${url}/api/v1/admin/bootstrap`, { method: 'POST', headers: { 'x-ca-root-key': ROOT_KEY } });
  expect(boot.status).toBe(200);
}, 30_000);
afterAll(async () => { await gw?.stop(); });

describe('the gateway reference', () => {
  it('serves the merged document the typed client is generated from at /openapi.json', async () => {
    const res = await fetch(`${url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(clientDocument());
  });

  it('serves /docs and each function\'s /docs as one self-contained page (no external script or style)', async () => {
    for (const path of ['/docs', '/onboard/docs', '/locale/docs']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('SwaggerUIBundle');
      expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=["']?(https?:)?\/\//i);
    }
  });

  it.skipIf(!hasChromium)('renders in Chromium and sends an onboarding dry-run with the root key entered on the page', async () => {
    const { chromium } = await import('playwright-core');
    const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ca-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 1400 },
    });
    try {
      const page = await context.newPage();
      const origin = new URL(url).origin;
      const elsewhere: string[] = [];
      const sent: { url: string; method: string; headers: Record<string, string>; body: string | null }[] = [];
      await page.route('**/*', (route) => {
        const req = route.request();
        if (new URL(req.url()).origin !== origin) {
          elsewhere.push(req.url());
          return route.abort();
        }
        sent.push({ url: req.url(), method: req.method(), headers: req.headers(), body: req.postData() });
        return route.continue();
      });
      const pageErrors: string[] = [];
      page.on('pageerror', (err) => pageErrors.push(String(err)));

      await page.goto(`${url}/docs`);
      // Grouped by function and tag.
      const tag = page.locator('.opblock-tag', { hasText: 'onboard · organizations' });
      await tag.waitFor({ timeout: 20_000 });
      expect(await page.locator('.opblock-tag').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('bootstrap · admin'), expect.stringContaining('locale')]));

      // The error envelope is among the schemas.
      const models = page.locator('section.models');
      if (!/is-open/.test((await models.getAttribute('class')) ?? '')) await models.locator('h4').first().click();
      await models.locator('.model-container', { hasText: 'ErrorEnvelope' }).waitFor({ timeout: 10_000 });

      // Authorize: both schemes are offered; the root key, as an admin would type it.
      await page.locator('.auth-wrapper .authorize').click();
      expect(await page.locator('.modal-ux .auth-container').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('X-CA-Root-Key'), expect.stringContaining('X-API-Key')]));
      const rootScheme = page.locator('.modal-ux .auth-container', { hasText: 'X-CA-Root-Key' });
      await rootScheme.locator('input').fill(ROOT_KEY);
      await rootScheme.locator('button.authorize').click();
      await page.locator('.modal-ux .btn-done').first().click();

      // The onboarding dry-run, through "Try it out".
      await tag.click();
      const op = page.locator('.opblock', { has: page.locator('[data-path="/api/v1/organizations/dryrun"]') });
      await op.locator('.opblock-summary').first().click();
      expect(await op.locator('.parameters').textContent()).toContain('Idempotency-Key');
      await op.locator('.try-out__btn').click();
      await op.locator('textarea.body-param__text').fill(JSON.stringify(ORG, null, 2));
      await op.locator('.execute').click();
      const live = op.locator('.live-responses-table tr.response');
      await live.locator('.response-col_status').waitFor({ timeout: 15_000 });
      const status = (await live.locator('.response-col_status').textContent())?.trim();
      const answer = await live.locator('.response-col_description pre').first().textContent();
      // The screenshot: the operation with its request body, the request sent and the answer.
      await page.setViewportSize({ width: 1280, height: 2300 });
      await op.locator('.opblock-summary').first().evaluate((el) => { el.scrollIntoView({ block: 'start' }); window.scrollBy(0, -260); });
      mkdirSync(ARTIFACTS, { recursive: true });
      const shot = join(ARTIFACTS, 'docs-dryrun.png');
      await page.screenshot({ path: shot });

      expect(status).toBe('200');
      expect(JSON.parse(answer!)).toMatchObject({ org_slug: 'docs_co', ready_for_onboarding: true });
      const dryrun = sent.find((r) => r.method === 'POST' && r.url.endsWith('/api/v1/organizations/dryrun'));
      expect(dryrun?.headers['x-ca-root-key']).toBe(ROOT_KEY);
      expect(JSON.parse(dryrun!.body!)).toEqual(ORG);
      expect(elsewhere).toEqual([]);
      expect(pageErrors).toEqual([]);
      expect(statSync(shot).size).toBeGreaterThan(10_000);
    } finally {
      await context.close();
    }
  }, 90_000);
});
