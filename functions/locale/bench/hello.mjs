// The baseline: the smallest functions-framework HTTP function, served by the same framework.
import { http } from '@google-cloud/functions-framework';

http('hello', (_req, res) => {
  res.json({ hello: 'world' });
});
