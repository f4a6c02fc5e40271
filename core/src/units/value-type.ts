/**
 * The kinds of value an option takes (a size, a duration, a list, …): what the validator parses
 * and what a form shows an input for. The job queue's options and the manager's form fields share
 * this one list. Imports nothing, so the browser build can use it.
 */
export type ValueType =
  | 'integer'
  /** A fraction or other real number, e.g. 0.8. */
  | 'number'
  | 'bytes'
  | 'duration'
  | 'string'
  | 'boolean'
  | 'string[]'
  | 'lines'
  | 'number-map'
  | 'string-map'
  | 'command';
