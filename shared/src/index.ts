// The shared library's common surface. Heavier parts (adapters, Polars) have their own entry
// points so a function loads only what it uses.
export * from './errors.js';
export * from './config.js';
export * from './logger.js';
export * from './http/route.js';
export * from './http/envelope.js';
export * from './http/router.js';
export * from './context/index.js';
export * from './auth/policy.js';
export * from './app/function.js';
export * from './app/create-deps.js';
export * from './warehouse/port.js';
export * from './warehouse/metering.js';
export * from './crypto/port.js';
