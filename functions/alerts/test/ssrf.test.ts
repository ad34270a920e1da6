import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@cloudact/shared/config';
import { classifyAddress, refusedAddress, type OutboundPolicy } from '@cloudact/shared/alerts/outbound/address';
import { checkTargetUrl, send } from '@cloudact/shared/alerts/outbound/http';
import { TEST_ENCRYPTION_KEY, TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { alertsApp, type AlertsApp } from './support/app.js';
import { httpReceiver } from './support/receivers.js';

const strict: OutboundPolicy = { environment: 'development', allowLoopback: false };
const devLoopback: OutboundPolicy = { environment: 'development', allowLoopback: true };
const prod: OutboundPolicy = { environment: 'production', allowLoopback: true };

const FORBIDDEN = ['127.0.0.1', '127.8.9.10', '::1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '100.64.0.1', '169.254.169.254', '169.254.1.1', 'fd00::1', 'fd00:ec2::254', 'fe80::1', '0.0.0.0', '::', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '64:ff9b::10.0.0.1', '224.0.0.1', '[::1]'];

let hook: Awaited<ReturnType<typeof httpReceiver>>;
let strictApp: AlertsApp;
beforeAll(async () => {
  hook = await httpReceiver();
  strictApp = await alertsApp('ssrf_co', { env: { OUTBOUND_ALLOW_LOOPBACK: 'false' } });
}, 60_000);
afterAll(() => hook.close());

describe('outbound safety (SSRF)', () => {
  it('classifies loopback, private, link-local, metadata and reserved addresses, IPv4-mapped and NAT64 forms included', () => {
    for (const ip of FORBIDDEN) expect(classifyAddress(ip), ip).not.toBe('public');
    expect(classifyAddress('169.254.169.254')).toBe('metadata');
    expect(classifyAddress('fd00:ec2::254')).toBe('metadata');
    expect(classifyAddress('::ffff:a9fe:a9fe')).toBe('metadata');
    expect(classifyAddress('fd12:3456::1')).toBe('private');
    for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '172.32.0.1', '11.0.0.1']) expect(classifyAddress(ip), ip).toBe('public');
  });

  it('the development switch lets loopback through and nothing else; it never applies outside development', () => {
    expect(refusedAddress('127.0.0.1', devLoopback)).toBeUndefined();
    expect(refusedAddress('::1', devLoopback)).toBeUndefined();
    for (const ip of ['10.0.0.1', '169.254.169.254', 'fd00::1', '192.168.0.1']) expect(refusedAddress(ip, devLoopback), ip).toBeDefined();
    expect(refusedAddress('127.0.0.1', prod)).toBeDefined();
    expect(refusedAddress('127.0.0.1', strict)).toBeDefined();
  });

  it('https only outside development; credentials in URLs and non-public literal hosts are refused before any connection', () => {
    expect(() => checkTargetUrl('http://example.com/hook', { environment: 'production', allowLoopback: false })).toThrow(/https only/);
    expect(() => checkTargetUrl('http://example.com/hook', { environment: 'staging', allowLoopback: false })).toThrow(/https only/);
    expect(checkTargetUrl('https://example.com/hook', { environment: 'production', allowLoopback: false }).hostname).toBe('example.com');
    expect(() => checkTargetUrl('ftp://example.com/x', strict)).toThrow(/ftp/);
    expect(() => checkTargetUrl('https://user:pw@example.com/x', strict)).toThrow(/credentials/);
    for (const host of ['127.0.0.1', '10.0.0.1', '169.254.169.254', '[fd00::1]', '[::ffff:127.0.0.1]', 'localhost', 'metadata.google.internal']) {
      expect(() => checkTargetUrl(`https://${host}/x`, strict), host).toThrow(/refused/);
    }
  });

  it('a name is checked where it resolves, at connect time: localhost reached through send() is refused without the switch, reached with it', async () => {
    const url = new URL(`http://localhost:${hook.port}/named`);
    await expect(send(url, { method: 'POST', headers: {}, body: '{}' }, strict)).rejects.toThrow(/resolves to .*loopback/);
    expect(hook.got.some((r) => r.path === '/named')).toBe(false);
    const ok = await send(url, { method: 'POST', headers: {}, body: '{}' }, devLoopback);
    expect(ok.status).toBe(200);
  });

  it('over HTTP, without the switch: webhooks and Slack URLs to 127.0.0.1, 10.0.0.1, 169.254.169.254, [fd00::1] are 422 naming the field', async () => {
    const before = hook.got.length;
    for (const host of ['127.0.0.1', '10.0.0.1', '169.254.169.254', '[fd00::1]', 'localhost']) {
      const w = await strictApp.call('POST', '/channels', { channel_type: 'webhook', name: 'x', webhook_url: `http://${host}:${hook.port}/x` });
      expect(w.status, `${host} ${w.text}`).toBe(422);
      expect(w.body.detail ?? w.text).toContain('webhook_url');
      const s = await strictApp.call('POST', '/channels', { channel_type: 'slack', name: 'x', slack_webhook_url: `http://${host}/x` });
      expect(s.status, s.text).toBe(422);
    }
    expect(hook.got.length).toBe(before);
  });

  it('a response larger than the cap is cut, and a receiver that never answers times out', async () => {
    const big = await httpReceiver(() => ({ status: 200, body: 'x'.repeat(200_000) }));
    const r = await send(new URL(big.url('/big')), { method: 'POST', headers: {}, body: '{}' }, devLoopback, { timeoutMs: 2000, totalMs: 3000, maxResponseBytes: 1000 });
    expect(r).toMatchObject({ status: 200, truncated: true });
    expect(r.text.length).toBe(1000);
    await big.close();
    const { createServer } = await import('node:net');
    const silent = createServer((sock) => { sock.on('error', () => {}).resume(); /* reads, never answers */ });
    await new Promise<void>((res) => silent.listen(0, '127.0.0.1', () => res()));
    const port = (silent.address() as { port: number }).port;
    const t0 = Date.now();
    await expect(send(new URL(`http://127.0.0.1:${port}/`), { method: 'POST', headers: {}, body: '{}' }, devLoopback, { timeoutMs: 300, totalMs: 600, maxResponseBytes: 1000 })).rejects.toThrow(/within/);
    expect(Date.now() - t0).toBeLessThan(2000);
    await new Promise<void>((res) => silent.close(() => res()));
  });

  it('the config check refuses OUTBOUND_ALLOW_LOOPBACK outside development', () => {
    const base = { CA_ROOT_API_KEY: TEST_ROOT_KEY, LOCAL_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, DUCKDB_PATH: ':memory:', OUTBOUND_ALLOW_LOOPBACK: 'true' };
    expect(loadConfig({ ...base }).alerts.allowLoopback).toBe(true);
    expect(() => loadConfig({ ...base, ENVIRONMENT: 'staging' })).toThrow(/OUTBOUND_ALLOW_LOOPBACK=true is allowed in development only/);
    expect(() => loadConfig({ ...base, ENVIRONMENT: 'production' })).toThrow(/OUTBOUND_ALLOW_LOOPBACK=true is allowed in development only/);
  });
});
