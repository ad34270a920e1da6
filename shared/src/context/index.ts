// The bottom layer every other part may import: who is calling, what a verb gets, and the
// interfaces of what is built at cold start. Types and tiny helpers only, no I/O.
export * from './org.js';
export * from './principal.js';
export * from './deps.js';
export * from './ctx.js';
export * from './exports.js';
