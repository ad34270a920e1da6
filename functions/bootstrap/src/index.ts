import { http } from '@google-cloud/functions-framework';
import { startFunction } from '@cloudact/shared/app/function';
import { invokerRootRoute } from './invoker-root.js';
import { routes } from './routes.js';

// Cold start: a bad configuration throws here, so the instance refuses to start and says why.
// Besides its route table, the deployed function answers `gcloud functions call` at its root
// (invoker-root.ts); no gateway routes there.
const started = await startFunction('bootstrap', [...routes, invokerRootRoute], process.env);

http('bootstrap', started.handler);
