import { Packr, addExtension } from 'msgpackr';

/**
 * The msgpack codec every Drover process uses for frames, task arguments and results.
 *
 * #### Notes
 * `useRecords: false` keeps the bytes plain msgpack (readable by any msgpack library); `moreTypes` adds
 * typed arrays, Map/Set, Date, Error and BigInt. Functions and symbols cannot be sent: they fail with
 * {@link UnserializableError} instead of silently becoming `undefined`.
 */
export const codec = new Packr({ useRecords: false, moreTypes: true, mapsAsObjects: true });

/** A value that cannot be encoded: a function, a symbol, or a cyclic structure. */
export class UnserializableError extends Error {
  override name = 'UnserializableError';
}

/** A reference to another task's result inside task arguments; the worker replaces it by the value. */
export abstract class TaskReference {
  abstract readonly key: string;
}

/** Marker for a reference decoded where no value is at hand (e.g. the scheduler peeking at args). */
class DecodedReference extends TaskReference {
  constructor(readonly key: string) {
    super();
  }
}

const REFERENCE_EXTENSION = 0x44;
let collectedKeys: string[] | null = null;
let resolveReference: ((key: string) => unknown) | null = null;

addExtension({
  Class: TaskReference,
  type: REFERENCE_EXTENSION,
  write(ref: TaskReference) {
    collectedKeys?.push(ref.key);
    return ref.key;
  },
  read(key: string) {
    return resolveReference ? resolveReference(key) : new DecodedReference(key);
  },
});

for (const fnClass of [Function, async function () {}.constructor, function* () {}.constructor]) {
  addExtension({
    Class: fnClass as new () => unknown,
    type: 0x45,
    write() {
      throw new UnserializableError(
        'a function cannot be sent as a task argument or result; ship it by module reference ' +
          '({ module, export }) or call it inside the task',
      );
    },
    read: () => undefined,
  });
}

/**
 * Encodes task arguments (or a result) and returns the keys of the tasks they refer to.
 * Throws {@link UnserializableError} naming the problem.
 */
export function encodeValue(value: unknown): { bytes: Uint8Array; references: string[] } {
  const references: string[] = [];
  collectedKeys = references;
  try {
    // pack() returns a view of a reused buffer: copy it so it survives the next call.
    return { bytes: new Uint8Array(codec.pack(value)), references };
  } catch (error) {
    throw asUnserializable(error);
  } finally {
    collectedKeys = null;
  }
}

/** Decodes bytes made by {@link encodeValue}; `resolve` supplies the value of each task reference. */
export function decodeValue(bytes: Uint8Array, resolve?: (key: string) => unknown): unknown {
  resolveReference = resolve ?? null;
  try {
    return codec.unpack(bytes);
  } finally {
    resolveReference = null;
  }
}

function asUnserializable(error: unknown): Error {
  if (error instanceof UnserializableError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/symbol/i.test(message))
    return new UnserializableError('a symbol cannot be sent as a task argument or result');
  if (error instanceof RangeError) {
    return new UnserializableError(`the value cannot be encoded (${message}); is it cyclic or too deep?`);
  }
  return new UnserializableError(`the value cannot be encoded: ${message}`);
}
