import type {
  ClusterKind,
  ClusterModel,
  ClusterSpec,
  FieldDescriptor,
  SpecDescription,
} from '../manager/api-types.js';
import { ApiRequestError, type DroverApi } from './api-client.js';
import { el, replaceChildren } from './dom.js';
import { fieldText, readField } from './field-values.js';
import { fieldView, type FieldView } from './field-input.js';

/** Options of {@link ClusterForm}. */
export interface ClusterFormOptions {
  api: DroverApi;
  description: SpecDescription;
  /** Called with the new cluster once it runs. */
  onCreated?: (cluster: ClusterModel) => void;
}

/**
 * The new-cluster form: every parameter of the chosen kind with its help, inline validation, a
 * job-script preview that follows each keystroke, copy / export / dry run, and start.
 *
 * #### Notes
 * Nothing is sent to create a cluster while any field has an error: the start button is disabled
 * and the submit handler checks again. Every preview request carries a sequence number; answers to
 * older keystrokes are dropped, so the preview always shows the latest text.
 */
export class ClusterForm {
  readonly element: HTMLFormElement;
  private kind: ClusterKind = 'local';
  private views: FieldView[] = [];
  private readonly fieldsBox = el('div', { class: 'drover-fields' });
  private readonly preview = el('pre', {
    class: 'drover-preview',
    'aria-label': 'Job script preview',
    tabindex: 0,
    'data-testid': 'preview',
  });
  private readonly status = el('p', { class: 'drover-form-status', role: 'status', 'aria-live': 'polite' });
  private readonly startButton = el('button', { type: 'submit', class: 'drover-primary' }, 'Start cluster');
  private readonly dryRunOutput = el('pre', { class: 'drover-dry-run', hidden: true });
  private clientErrors = new Map<string, string>();
  private serverError: { field: string; message: string } | null = null;
  private sequence = 0;
  private saved = new Map<string, string | boolean>();
  private busy = false;

  constructor(private readonly options: ClusterFormOptions) {
    const copy = el('button', { type: 'button', onclick: () => void this.copyScript() }, 'Copy');
    const exportButton = el('button', { type: 'button', onclick: () => void this.exportScript() }, 'Export');
    const dryRun = el('button', { type: 'button', onclick: () => void this.dryRun() }, 'Dry run');
    this.element = el(
      'form',
      { class: 'drover-cluster-form', novalidate: true, 'aria-label': 'New cluster' },
      this.fieldsBox,
      el(
        'section',
        { class: 'drover-preview-box', 'aria-label': 'Preview' },
        el(
          'div',
          { class: 'drover-preview-head' },
          el('h3', {}, 'Preview'),
          el('div', { class: 'drover-button-row' }, copy, exportButton, dryRun),
        ),
        this.preview,
        this.dryRunOutput,
      ),
      el('div', { class: 'drover-button-row' }, this.startButton),
      this.status,
    );
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.start();
    });
    this.element.addEventListener('input', () => this.changed());
    this.element.addEventListener('change', (event) => {
      if ((event.target as HTMLElement).getAttribute('data-path') === 'kind') this.switchKind();
      else this.changed();
    });
    this.renderFields();
    this.changed();
  }

  /** Fills the form from a spec (e.g. a saved profile). */
  load(spec: ClusterSpec): void {
    this.saved.clear();
    this.kind = spec.kind;
    if (spec.name) this.saved.set('name', spec.name);
    if (spec.scale !== undefined) this.saved.set('scale', String(spec.scale));
    for (const [k, v] of Object.entries(spec.tls ?? {})) if (v) this.saved.set(`tls.${k}`, v);
    for (const [k, v] of Object.entries(spec.options ?? {})) {
      const field = this.options.description.fields.find((f) => f.path === `options.${k}`);
      if (field) this.saved.set(field.path, field.type === 'boolean' ? Boolean(v) : fieldText(field, v));
    }
    this.renderFields();
    if (spec.adapt) {
      const view = this.views.find((v) => v.adapt)!;
      view.adapt!.enabled.checked = true;
      view.adapt!.minimum.disabled = view.adapt!.maximum.disabled = false;
      view.adapt!.minimum.value = String(spec.adapt.minimum);
      view.adapt!.maximum.value = String(spec.adapt.maximum);
    }
    this.changed();
  }

  /** The spec the form holds now, and the fields whose text cannot be read. */
  read(): { spec: ClusterSpec; errors: Map<string, string> } {
    const errors = new Map<string, string>();
    const spec: ClusterSpec = { kind: this.kind, options: {} };
    for (const view of this.views) {
      const { field } = view;
      if (field.type === 'kind') continue;
      if (field.type === 'adapt') {
        const a = view.adapt!;
        if (!a.enabled.checked) continue;
        const min = readField(
          { ...field, type: 'integer', label: 'Minimum', required: true },
          a.minimum.value,
        );
        const max = readField(
          { ...field, type: 'integer', label: 'Maximum', required: true },
          a.maximum.value,
        );
        if ('error' in min) errors.set('adapt', `minimum: ${min.error}`);
        else if ('error' in max) errors.set('adapt', `maximum: ${max.error}`);
        else if ('value' in min && 'value' in max)
          spec.adapt = { minimum: min.value as number, maximum: max.value as number };
        continue;
      }
      const checked = view.input instanceof HTMLInputElement && view.input.checked;
      if (field.type === 'boolean' && checked === (field.default === true)) continue; // default: leave out
      const reading = readField(field, view.input.value, checked);
      if ('error' in reading) errors.set(field.path, reading.error);
      else if ('value' in reading) setPath(spec, field.path, reading.value);
    }
    return { spec, errors };
  }

  /** The spec the form holds, or null while any field is invalid. */
  validSpec(): ClusterSpec | null {
    const { spec, errors } = this.read();
    return errors.size > 0 || this.hasErrors() ? null : spec;
  }

  private switchKind(): void {
    this.remember();
    const select = this.views.find((v) => v.field.type === 'kind')!.input;
    this.kind = select.value as ClusterKind;
    this.renderFields();
    this.changed();
  }

  /** Keeps typed values across kind switches (cores typed for SLURM stay for PBS). */
  private remember(): void {
    for (const v of this.views) {
      if (v.field.type === 'kind' || v.field.type === 'adapt') continue;
      this.saved.set(
        v.field.path,
        v.input instanceof HTMLInputElement && v.input.type === 'checkbox' ? v.input.checked : v.input.value,
      );
    }
  }

  private renderFields(): void {
    const { description } = this.options;
    const fields = description.fields.filter((f) => f.kinds.includes(this.kind));
    this.views = fields.map((f) => fieldView(f, description.kinds));
    for (const v of this.views) {
      const saved = this.saved.get(v.field.path);
      if (v.field.type === 'kind') v.input.value = this.kind;
      else if (typeof saved === 'boolean' && v.input instanceof HTMLInputElement) v.input.checked = saved;
      else if (typeof saved === 'string') v.input.value = saved;
      else if (v.field.path === 'scale') v.input.value = this.kind === 'local' ? '2' : '1';
    }
    const section = (name: FieldDescriptor['section']): HTMLElement[] =>
      this.views.filter((v) => v.field.section === name).map((v) => v.wrapper);
    replaceChildren(
      this.fieldsBox,
      ...section('basic'),
      el(
        'details',
        { class: 'drover-advanced' },
        el('summary', {}, 'Advanced parameters'),
        ...section('advanced'),
      ),
    );
  }

  /** After every keystroke: check locally, show errors, ask the server for the preview. */
  private changed(): void {
    const { spec, errors } = this.read();
    this.clientErrors = errors;
    this.serverError = null;
    this.showErrors();
    if (errors.size > 0) {
      this.setStatus(
        `Fix ${errors.size === 1 ? 'the highlighted field' : `${errors.size} highlighted fields`} to update the preview.`,
      );
      return;
    }
    void this.refreshPreview(spec);
  }

  private async refreshPreview(spec: ClusterSpec): Promise<void> {
    const sequence = ++this.sequence;
    const started = performance.now();
    try {
      const result = await this.options.api.render(spec);
      if (sequence !== this.sequence) return;
      this.preview.textContent = result.script;
      this.preview.dataset.language = result.language;
      const ms = performance.now() - started;
      this.preview.dataset.previewMs = ms.toFixed(1);
      this.setStatus(this.kindNote() ?? '');
    } catch (e) {
      if (sequence !== this.sequence) return;
      if (e instanceof ApiRequestError && e.field) {
        this.serverError = { field: e.field, message: e.message };
        this.showErrors();
        this.setStatus('Fix the highlighted field to update the preview.');
      } else this.setStatus(`Preview failed: ${(e as Error).message}`);
    }
  }

  private kindNote(): string | undefined {
    return this.options.description.kinds.find((k) => k.kind === this.kind)?.note;
  }

  /** Puts each error under its field; a server error for a field not on the form goes to the status. */
  private showErrors(): void {
    const all = new Map(this.clientErrors);
    let unplaced: string | null = null;
    if (this.serverError) {
      const view = this.viewFor(this.serverError.field);
      if (view) all.set(view.field.path, this.serverError.message);
      else unplaced = this.serverError.message;
    }
    for (const v of this.views) {
      const message = all.get(v.field.path);
      v.error.textContent = message ?? '';
      v.wrapper.classList.toggle('drover-invalid', message !== undefined);
      v.input.setAttribute('aria-invalid', message !== undefined ? 'true' : 'false');
      if (message !== undefined) v.wrapper.closest('details')?.setAttribute('open', '');
    }
    if (unplaced) this.setStatus(unplaced);
    const blocked = all.size > 0 || unplaced !== null || this.busy;
    this.startButton.disabled = blocked || !this.available();
  }

  private available(): boolean {
    return this.options.description.kinds.find((k) => k.kind === this.kind)?.available ?? false;
  }

  /** The view for an error path: `options.jobExtraDirectives[1]` → that list, `adapt.maximum` → adapt. */
  private viewFor(path: string): FieldView | undefined {
    const base = path.replace(/\[\d+\]$/, '');
    return (
      this.views.find((v) => v.field.path === base) ??
      this.views.find((v) => base.startsWith(`${v.field.path}.`) || base === v.field.path)
    );
  }

  private hasErrors(): boolean {
    return this.clientErrors.size > 0 || this.serverError !== null;
  }

  private async start(): Promise<void> {
    const { spec, errors } = this.read();
    if (errors.size > 0 || this.hasErrors() || this.busy) {
      this.showErrors();
      return; // nothing is submitted while a field is invalid
    }
    this.busy = true;
    this.showErrors();
    this.setStatus('Starting…');
    try {
      const cluster = await this.options.api.create(spec);
      this.setStatus(`Started ${cluster.name}.`);
      this.options.onCreated?.(cluster);
    } catch (e) {
      if (e instanceof ApiRequestError && e.field && e.status === 400) {
        this.serverError = { field: e.field, message: e.message };
        this.setStatus('Fix the highlighted field.');
      } else this.setStatus(`Could not start: ${(e as Error).message}`);
    } finally {
      this.busy = false;
      this.showErrors();
    }
  }

  private async copyScript(): Promise<void> {
    const text = this.preview.textContent ?? '';
    try {
      await navigator.clipboard.writeText(text);
      this.setStatus('Copied the preview.');
    } catch {
      // No clipboard permission (e.g. an embedding webview): select it for Ctrl-C instead.
      const range = document.createRange();
      range.selectNodeContents(this.preview);
      document.getSelection()?.removeAllRanges();
      document.getSelection()?.addRange(range);
      this.setStatus('Selected the preview; press Ctrl-C to copy.');
    }
  }

  private async exportScript(): Promise<void> {
    const { spec, errors } = this.read();
    if (errors.size > 0 || this.hasErrors()) return;
    try {
      const { blob, fileName } = await this.options.api.export(spec);
      const url = URL.createObjectURL(blob);
      const link = el('a', { href: url, download: fileName, hidden: true });
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.setStatus(`Exported ${fileName}.`);
    } catch (e) {
      this.setStatus(`Export failed: ${(e as Error).message}`);
    }
  }

  private async dryRun(): Promise<void> {
    const { spec, errors } = this.read();
    if (errors.size > 0 || this.hasErrors()) return;
    this.dryRunOutput.hidden = false;
    this.dryRunOutput.textContent = 'Running the dry run…';
    try {
      const result = await this.options.api.dryRun(spec);
      this.dryRunOutput.textContent = `${result.accepted ? 'Accepted' : 'Refused'}${result.command ? ` (${result.command})` : ''}\n${result.message}`;
      this.dryRunOutput.dataset.accepted = String(result.accepted);
    } catch (e) {
      this.dryRunOutput.textContent = `Dry run failed: ${(e as Error).message}`;
    }
  }

  private setStatus(text: string): void {
    this.status.textContent = text;
  }
}

/** Sets `options.cores` or `name` on a spec. */
function setPath(spec: ClusterSpec, path: string, value: unknown): void {
  if (path.startsWith('options.')) (spec.options ??= {})[path.slice('options.'.length)] = value;
  else if (path.startsWith('tls.')) (spec.tls ??= {})[path.slice('tls.'.length) as 'cert'] = value as string;
  else (spec as unknown as Record<string, unknown>)[path] = value;
}
