// The layer picture of shared/src, bottom to top. A module may import its own layer and the
// ones below it, never one above, and no cycles anywhere. `pnpm layers` (CI runs it with the
// tests) prints every violation; `pnpm layers:graph` prints the picture.
const layers = require('./layers.cjs');

const upward = layers.flatMap(([name, path], i) => {
  const above = layers.slice(i + 1).map(([, p]) => `(${p})`).join('|');
  return above ? [{ name: `no-upward-from-${name}`, severity: 'error', comment: `${name} must not import a layer above it`, from: { path }, to: { path: above } }] : [];
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'cycles make layers meaningless', from: {}, to: { circular: true } },
    ...upward,
    {
      name: 'functions-only-through-shared',
      severity: 'error',
      comment: 'a function imports shared and its own files, never another function',
      from: { path: '^functions/([^/]+)/src/' },
      to: { path: '^functions/([^/]+)/src/', pathNot: '^functions/$1/src/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|test|bench|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
