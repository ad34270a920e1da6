import { createServer as createNetServer } from 'node:net';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on an ephemeral loopback port; returns the base URL and a closer. */
export async function listen(server: Server): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Envelope {
  error: string;
  message: string;
  details?: { fields?: Record<string, string[]> } & Record<string, unknown>;
  request_id: string;
}

/** A port that was free a moment ago, for processes that must be told their port up front. */
export async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Polls `url` until it answers (any status), up to ~20 s; stops early when `gaveUp` settles. */
export async function waitForAnswer(url: string, gaveUp?: Promise<unknown>, describe: () => string = () => ''): Promise<Response> {
  let done = false;
  void gaveUp?.then(() => { done = true; });
  for (let i = 0; i < 200 && !done; i++) {
    try { return await fetch(url); } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  throw new Error(`${url} never answered ${describe()}`);
}
