/**
 * The global names a function task can use on a worker (a Node ≥ 20 worker thread running an ES
 * module): the language's built-ins and Node's. An inline function that uses any other name from
 * around it must be sent with that value (`capture`), since only its source text travels.
 *
 * #### Notes
 * A fixed list rather than the submitting process's `globalThis`: a Deno kernel has globals
 * (`Deno`, a cell's top-level `var`s and functions) that a worker does not.
 */
export const WORKER_GLOBALS: ReadonlySet<string> = new Set(
  (
    'AbortController AbortSignal AggregateError Array ArrayBuffer Atomics BigInt BigInt64Array ' +
    'BigUint64Array Blob Boolean BroadcastChannel Buffer ByteLengthQueuingStrategy CompressionStream ' +
    'CountQueuingStrategy Crypto CryptoKey CustomEvent DOMException DataView Date DecompressionStream ' +
    'Error EvalError Event EventTarget File FinalizationRegistry Float32Array Float64Array FormData ' +
    'Function Headers Infinity Int16Array Int32Array Int8Array Intl JSON Map Math MessageChannel ' +
    'MessageEvent MessagePort NaN Number Object Performance PerformanceEntry PerformanceMark ' +
    'PerformanceMeasure PerformanceObserver PerformanceObserverEntryList PerformanceResourceTiming ' +
    'Promise Proxy RangeError ReadableByteStreamController ReadableStream ReadableStreamBYOBReader ' +
    'ReadableStreamBYOBRequest ReadableStreamDefaultController ReadableStreamDefaultReader ' +
    'ReferenceError Reflect RegExp Request Response Set SharedArrayBuffer String SubtleCrypto Symbol ' +
    'SyntaxError TextDecoder TextDecoderStream TextEncoder TextEncoderStream TransformStream ' +
    'TransformStreamDefaultController TypeError URIError URL URLSearchParams Uint16Array Uint32Array ' +
    'Uint8Array Uint8ClampedArray WeakMap WeakRef WeakSet WebAssembly WritableStream ' +
    'WritableStreamDefaultController WritableStreamDefaultWriter atob btoa clearImmediate ' +
    'clearInterval clearTimeout console crypto decodeURI decodeURIComponent encodeURI ' +
    'encodeURIComponent escape eval fetch global globalThis isFinite isNaN parseFloat parseInt ' +
    'performance process queueMicrotask setImmediate setInterval setTimeout structuredClone undefined unescape'
  ).split(' '),
);
