/**
 * WebSocket close codes Drover uses, with the reason text a peer sees.
 * 4000–4999 are the application range of RFC 6455.
 */
export const CloseCode = {
  /** Normal shutdown of one side. */
  normal: 1000,
  /** ws closes with this itself when a message exceeds `maxPayload`. */
  tooLarge: 1009,
  /** The bytes were not a msgpack array of operations, or an operation had the wrong shape. */
  malformed: 4000,
  /** Missing or wrong token. */
  unauthorized: 4001,
  /** The peer speaks another protocol version. */
  versionMismatch: 4002,
  /** No hello within the time allowed, or no heartbeat. */
  timeout: 4003,
  /** An operation this side does not know. */
  unknownOperation: 4004,
  /** The scheduler asked this worker to leave (scale-down, lifetime, shutdown). */
  retired: 4005,
  /** The scheduler is shutting down. */
  shutdown: 4006,
  /** The peer left too many bytes unread (it does not read, or reads too slowly). */
  overloaded: 4007,
} as const;

/** The protocol version in every hello; bumped on incompatible changes. */
export const PROTOCOL_VERSION = 1;
