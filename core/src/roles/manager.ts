// `@drover/core/manager`: the ClusterManager a host embeds (in-process, or served over HTTP by
// ApiServer), its specs and API shapes, and the host hooks it takes (installation, log sink).
export * from '../manager/index.js';
export {
  defaultInstallation,
  droverScript,
  templateDirectoryOf,
  dashboardDirectoryOf,
  type Installation,
} from '../installation.js';
export { addLogSink, setLogLevel, type LogLevel, type LogRecord, type LogSink } from '../logger.js';
