import type { FieldDescriptor, SpecDescription } from '../manager/api-types.js';
import { el, uniqueId } from './dom.js';

/** One rendered form field: its wrapper, the input(s) and the place for its error. */
export interface FieldView {
  field: FieldDescriptor;
  wrapper: HTMLElement;
  input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
  error: HTMLElement;
  /** The adaptive field's extra inputs. */
  adapt?: { enabled: HTMLInputElement; minimum: HTMLInputElement; maximum: HTMLInputElement };
}

/**
 * Builds the input for a field, labelled, with its help text and an (empty) error line wired to it
 * through `aria-describedby`, so screen readers read the help and the error with the input.
 */
export function fieldView(field: FieldDescriptor, kinds: SpecDescription['kinds']): FieldView {
  const id = uniqueId('drover-field');
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const described = `${helpId} ${errorId}`;
  const placeholder =
    field.default !== undefined && field.type !== 'boolean' && field.type !== 'kind' && field.type !== 'adapt'
      ? `default: ${Array.isArray(field.default) ? field.default.join(', ') || 'none' : String(field.default)}`
      : undefined;
  let input: FieldView['input'];
  let adapt: FieldView['adapt'];
  const common = { id, name: field.path, 'aria-describedby': described, 'data-path': field.path };
  if (field.type === 'kind') {
    input = el(
      'select',
      common,
      ...kinds.map((k) =>
        el('option', { value: k.kind }, k.available ? k.label : `${k.label} (preview only)`),
      ),
    );
  } else if (field.type === 'boolean') {
    input = el('input', { ...common, type: 'checkbox' });
    if (field.default === true) input.checked = true;
  } else if (field.type === 'string[]' || field.type === 'lines' || field.type === 'string-map') {
    input = el('textarea', {
      ...common,
      rows: 2,
      placeholder: placeholder ?? 'one per line',
      spellcheck: 'false',
    });
  } else if (field.type === 'adapt') {
    const enabled = el('input', { ...common, type: 'checkbox' });
    const minimum = el('input', {
      type: 'text',
      inputmode: 'numeric',
      name: 'adapt.minimum',
      'aria-label': 'Adaptive minimum',
      value: '0',
      size: 4,
      disabled: true,
    });
    const maximum = el('input', {
      type: 'text',
      inputmode: 'numeric',
      name: 'adapt.maximum',
      'aria-label': 'Adaptive maximum',
      value: '4',
      size: 4,
      disabled: true,
    });
    enabled.addEventListener('change', () => {
      minimum.disabled = !enabled.checked;
      maximum.disabled = !enabled.checked;
    });
    input = enabled;
    adapt = { enabled, minimum, maximum };
  } else {
    input = el('input', {
      ...common,
      type: 'text',
      inputmode: field.type === 'integer' ? 'numeric' : undefined,
      placeholder,
      spellcheck: 'false',
      autocomplete: 'off',
    });
  }
  if (field.required) input.setAttribute('aria-required', 'true');
  const error = el('div', { id: errorId, class: 'drover-field-error', role: 'alert' });
  const label = el(
    'label',
    { for: id },
    field.label,
    field.required ? el('span', { class: 'drover-required', 'aria-hidden': 'true' }, ' *') : null,
  );
  const control = adapt
    ? el(
        'div',
        { class: 'drover-adapt' },
        input,
        el('span', {}, 'between'),
        adapt.minimum,
        el('span', {}, 'and'),
        adapt.maximum,
      )
    : input;
  const wrapper = el(
    'div',
    { class: `drover-field drover-field-${field.type}`, 'data-field': field.path },
    label,
    control,
    el('small', { id: helpId, class: 'drover-help' }, field.help),
    error,
  );
  return { field, wrapper, input, error, ...(adapt ? { adapt } : {}) };
}
