import type { FunctionDefinition, InlineFunctionDefinition } from '../protocol/messages.js';

/** A function the scheduler can send to workers, with a scheduler-wide id. */
export interface FunctionRecord {
  readonly id: number;
  readonly definition: FunctionDefinition;
}

/** Functions by content, so the same function from many clients is sent to a worker once. */
export class FunctionTable {
  private readonly bySignature = new Map<string, FunctionRecord>();
  private nextId = 1;

  intern(definition: FunctionDefinition): FunctionRecord {
    const signature = JSON.stringify(definition);
    let record = this.bySignature.get(signature);
    if (!record) {
      record = { id: this.nextId++, definition };
      this.bySignature.set(signature, record);
    }
    return record;
  }
}

/** Checks a function definition from the wire. */
export function parseFunctionDefinition(raw: unknown): FunctionDefinition {
  const def = raw as Partial<Record<string, unknown>> | null;
  if (def && def.kind === 'inline') return parseInline(def);
  if (def && def.kind === 'module' && typeof def.module === 'string' && typeof def.export === 'string') {
    return { kind: 'module', module: def.module, export: def.export };
  }
  if (def && def.kind === 'command') return { kind: 'command' };
  throw new Error('function definition must be inline {name, source}, module {module, export} or command');
}

function parseInline(def: Partial<Record<string, unknown>>): InlineFunctionDefinition {
  if (typeof def.source !== 'string' || typeof def.name !== 'string')
    throw new Error('an inline function definition needs a name and a source');
  if (def.captured === undefined) return { kind: 'inline', name: def.name, source: def.source };
  const captured = def.captured as Partial<Record<string, unknown>> | null;
  if (
    !captured ||
    typeof captured.values !== 'string' ||
    !captured.functions ||
    typeof captured.functions !== 'object'
  )
    throw new Error('captured values of an inline function must be {values, functions}');
  const functions: Record<string, InlineFunctionDefinition> = {};
  for (const [name, fn] of Object.entries(captured.functions as Record<string, unknown>))
    functions[name] = parseInline((fn ?? {}) as Partial<Record<string, unknown>>);
  return {
    kind: 'inline',
    name: def.name,
    source: def.source,
    captured: { values: captured.values, functions },
  };
}
