/**
 * A cluster spec that cannot be used. `field` is the path of the value at fault in the spec
 * (`name`, `scale`, `adapt.maximum`, `options.walltime`, `options.jobExtraDirectives[1]`), so a
 * form can show the message next to the right input.
 */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  constructor(
    readonly field: string,
    /** What is wrong and how to fix it, without the field name. */
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}
