/** Values a function is shipped with, by the function `capture` returned. */
const captures = new WeakMap<
  object,
  { fn: (...args: never[]) => unknown; values: Record<string, unknown> }
>();

/**
 * The function `fn`, to be shipped to workers with `values`: the variables it uses from around it
 * (a notebook's earlier cells, an enclosing function). On the worker each name is bound to its value.
 *
 * ```ts
 * const scale = 3;
 * const scaled = client.map(capture({ scale }, (x: number) => x * scale), [1, 2, 3]); // [3, 6, 9]
 * ```
 *
 * #### Notes
 * Values are copied when the function is first submitted (later changes are not seen: capture
 * again for new values) and travel like task arguments (msgpack: numbers, strings, arrays, plain
 * objects, typed arrays, Date). A function value is shipped as source in turn and may itself be a
 * `capture(...)`. Send large data once with `scatter` and pass
 * the future as an argument instead.
 */
export function capture<F extends (...args: never[]) => unknown>(values: Record<string, unknown>, fn: F): F {
  if (!values || typeof values !== 'object' || Array.isArray(values))
    throw new TypeError(
      'capture: the first argument is an object of the values to send, e.g. capture({ scale }, fn)',
    );
  if (typeof fn !== 'function')
    throw new TypeError('capture: the second argument must be the function to ship');
  const inner = capturedOf(fn);
  if (inner) return capture({ ...inner.values, ...values }, inner.fn as F); // a capture of a capture: one set
  const wrapper = ((...args: never[]) => fn(...args)) as F;
  Object.defineProperty(wrapper, 'name', { value: fn.name });
  captures.set(wrapper, { fn, values });
  return wrapper;
}

/** The function and values behind a `capture(...)` result, or null for any other function. */
export function capturedOf(
  fn: unknown,
): { fn: (...args: never[]) => unknown; values: Record<string, unknown> } | null {
  return (typeof fn === 'function' && captures.get(fn)) || null;
}
