import { http } from '@google-cloud/functions-framework';
import { startFunction } from '@cloudact/shared/app/function';
import { pipelineRegistry } from '@cloudact/shared/pipelines/registry/registry';
import { routes } from './routes.js';

// Cold start: a bad configuration (or pipeline registry) throws here, so the instance refuses to start and says why.
pipelineRegistry();
const started = await startFunction('pipelines', routes, process.env);

http('pipelines', started.handler);
