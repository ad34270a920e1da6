import type { Request as FfRequest, Response as FfResponse } from '@google-cloud/functions-framework';
import { loadConfig } from '../config.js';
import { fromFramework, writeAnswer } from '../http/bridge.js';
import { letBodyParseErrorsThrough } from '../http/framework-patch.js';
import { createHttpApp, type HttpApp } from '../http/router.js';
import type { RouteDef } from '../http/route.js';
import { createDeps, type DepsOverrides } from './create-deps.js';
import type { AppDeps } from '../context/index.js';
import { standardRoutes } from './standard-routes.js';

/** A function's HTTP app: its own routes plus health and OpenAPI routes, on the given deps. */
export function buildFunctionApp(name: string, routes: readonly RouteDef[], deps: AppDeps): HttpApp {
  return createHttpApp(name, [...routes, ...standardRoutes(name, () => routes)], deps);
}

export interface StartedFunction {
  app: HttpApp;
  deps: AppDeps;
  /** For `functions.http(name, handler)`. */
  handler(req: FfRequest, res: FfResponse): void | Promise<void>;
}

/**
 * Cold start of a deployed function: parse config (throws, naming the problem, so the instance
 * refuses to start), open adapters, build the router. Entry points call it with top-level
 * await so the framework registers the function only once it is ready.
 */
export async function startFunction(name: string, routes: readonly RouteDef[], env: Record<string, string | undefined>, overrides?: DepsOverrides): Promise<StartedFunction> {
  letBodyParseErrorsThrough();
  const config = loadConfig(env);
  const deps = await createDeps(config, overrides);
  const app = buildFunctionApp(name, routes, deps);
  return {
    app,
    deps,
    // No Fetch objects and no promise unless the route awaits something (exchange.ts).
    handler(req, res) {
      const answer = app.handle(fromFramework(req));
      if (answer instanceof Promise) return answer.then((a) => writeAnswer(a, res));
      writeAnswer(answer, res);
    },
  };
}
