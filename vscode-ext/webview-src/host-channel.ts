// The webview's side of the typed postMessage channel to the extension host.
import type {
  HostHook,
  HostMessage,
  ManagerOperation,
  ReplyError,
  WebviewMessage,
} from '../src/webview/messages';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** A rejected call, with the spec field the manager named. */
export class HostCallError extends Error {
  constructor(readonly reply: ReplyError) {
    super(reply.message);
  }
}

/**
 * Requests with ids and their replies, pushed messages to listeners, and the webview state
 * (`getState`/`setState`, kept across hide/show and given to the serializer on reload).
 */
export class HostChannel {
  private readonly vscode = acquireVsCodeApi();
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners: ((message: HostMessage) => void)[] = [];
  private nextId = 1;

  constructor() {
    window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
      const message = event.data;
      if (message.type === 'reply') {
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (!waiting) return;
        if (message.ok) waiting.resolve(message.value);
        else waiting.reject(new HostCallError(message.error));
      } else for (const listener of this.listeners) listener(message);
    });
  }

  /** Calls the manager through the extension host. */
  request<T>(operation: ManagerOperation, ...args: unknown[]): Promise<T> {
    return this.call({ type: 'request', id: this.nextId++, operation, args });
  }

  /** Calls a hook of the host (save a file, copy, open a document, notify). */
  host<T>(hook: HostHook, ...args: unknown[]): Promise<T> {
    return this.call({ type: 'host', id: this.nextId++, hook, args });
  }

  send(message: WebviewMessage): void {
    this.vscode.postMessage(message);
  }

  onMessage(listener: (message: HostMessage) => void): void {
    this.listeners.push(listener);
  }

  getState<T>(): T | undefined {
    return (this.vscode.getState() as T | undefined) ?? undefined;
  }

  setState(state: unknown): void {
    this.vscode.setState(state);
  }

  private call<T>(message: WebviewMessage & { id: number }): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.set(message.id, { resolve: resolve as (v: unknown) => void, reject });
      this.vscode.postMessage(message);
    });
  }
}
