import { http } from '@google-cloud/functions-framework';
import { startFunction } from '@cloudact/shared/app/function';
import { routes } from './routes.js';

// Cold start: a bad configuration throws here, so the instance refuses to start and says why.
const started = await startFunction('alerts', routes, process.env);

http('alerts', started.handler);
