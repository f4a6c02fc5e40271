export * from './jobqueue/index.js';
