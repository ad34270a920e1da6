// The layers of shared/src, bottom to top (.dependency-cruiser.cjs enforces them; test/layers.test.ts
// checks that every folder has one).
module.exports = [
  ['errors', '^shared/src/(errors|settle|lazy)\\.ts$|^shared/src/types/'],
  ['config', '^shared/src/(config|logger|csv|yaml-file)\\.ts$'],
  ['ports', '^shared/src/(warehouse|crypto|secrets|i18n)/'],
  ['context', '^shared/src/context/'],
  ['auth', '^shared/src/auth/'],
  ['domain', '^shared/src/(orgs|bootstrap|costs|saas|integrations|idempotency|limits|pipelines|hierarchy|budgets|forecast|alerts)/'],
  ['http', '^shared/src/http/'],
  ['app', '^shared/src/app/'],
  ['gateway', '^shared/src/gateway/'],
  ['entry', '^shared/src/index\\.ts$'],
];
