/**
 * An option value that cannot be used (a size, a duration, a job-queue option): the message says what
 * is wrong and how to fix it.
 *
 * #### Notes
 * `field` is the option's camelCase name (e.g. `walltime`, `jobExtraDirectives[2]`), so a form can put
 * the message next to the right input.
 */
export class JobQueueConfigError extends Error {
  override readonly name = 'JobQueueConfigError';
  constructor(
    /** The option at fault. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
