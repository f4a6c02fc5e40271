/**
 * @drover/core — Drover's engine: scheduler, workers, client, clusters, manager. Front-ends that
 * need one role import its entry point instead: `@drover/core/client`, `/cluster`, `/manager`,
 * `/ui` (the browser components).
 */
export * from './roles/client.js';
export * from './roles/cluster.js';
export * from './roles/manager.js';
export { createLogger } from './logger.js';
