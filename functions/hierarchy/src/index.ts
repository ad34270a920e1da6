import { http } from '@google-cloud/functions-framework';
import { startFunction } from '@cloudact/shared/app/function';
import { defaultLevels } from '@cloudact/shared/hierarchy/levels/defaults';
import { routes } from './routes.js';

// Cold start: a bad configuration (or default levels file) throws here, so the instance refuses to start and says why.
defaultLevels();
const started = await startFunction('hierarchy', routes, process.env);

http('hierarchy', started.handler);
