import type { Connection } from '../protocol/connection.js';
import type { ClientToScheduler, SchedulerToClient } from '../protocol/operations.js';
import type { FunctionRecord } from './function-table.js';
import type { Requirement } from './requirements.js';

/** Options a client registered under a small id, shared by its tasks. */
export interface ClientOptions {
  requirement: Requirement;
  retries: number;
  /** Milliseconds a task may run once started; null: no limit. */
  timeoutMs: number | null;
}

/** A connected client: its connection and the ids it uses for functions and options. */
export class ClientRecord {
  readonly functions = new Map<number, FunctionRecord>();
  readonly options = new Map<number, ClientOptions>();
  /** Workers whose data address this client was told. */
  readonly knownWorkers = new Set<number>();
  /** Topics it subscribed to (`task-stream`). */
  readonly topics = new Set<string>();

  constructor(
    readonly id: number,
    readonly name: string,
    readonly connection: Connection<ClientToScheduler, SchedulerToClient>,
  ) {}
}
