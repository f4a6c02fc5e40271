import type { ClusterKind, FieldDescriptor } from '../manager/api-types.js';
import type { ClusterFormModel } from './cluster-form-model.js';
import type { DashboardModel } from './dashboard-model.js';
import { el, replaceChildren, uniqueId } from './dom.js';
import { fieldView, type FieldView } from './field-input.js';
import { ProfileSaver } from './profile-saver.js';
import type { View } from './view.js';

/**
 * The new-cluster form: saved profiles, every parameter of the chosen kind with its help and
 * inline errors, a job-script preview that follows each keystroke, copy / export / dry run (and
 * "Open in editor" where the host has editors), and start.
 *
 * #### Notes
 * The form's state lives in the {@link ClusterFormModel}; inputs write to it and are redrawn from
 * it. Inputs are built again only when the kind changes or a profile is loaded.
 */
export class ClusterFormView implements View {
  readonly element: HTMLElement;
  /** The id of the view's heading, for a host's `aria-labelledby`. */
  readonly titleId = uniqueId('drover-new-title');
  private form: ClusterFormModel | null = null;
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
  private readonly profileSelect = el('select', { 'aria-label': 'Load a saved profile' });
  private readonly formElement: HTMLFormElement;
  private readonly disconnect: (() => void)[] = [];

  constructor(private readonly model: DashboardModel) {
    const button = (label: string, action: () => unknown) =>
      el('button', { type: 'button', onclick: () => void action() }, label);
    const host = model.port.host;
    this.formElement = el(
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
          el(
            'div',
            { class: 'drover-button-row' },
            button('Copy', () => this.copy()),
            button('Export', () => this.form?.exportScript()),
            host.openDocument ? button('Open in editor', () => this.form?.openScript()) : null,
            button('Dry run', () => this.form?.runDryRun()),
          ),
        ),
        this.preview,
        this.dryRunOutput,
      ),
      el('div', { class: 'drover-button-row' }, this.startButton),
      this.status,
    );
    this.formElement.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.form?.start();
    });
    this.formElement.addEventListener('input', (event) => this.input(event.target as HTMLElement));
    this.formElement.addEventListener('change', (event) => this.input(event.target as HTMLElement));
    this.profileSelect.addEventListener('change', () => model.loadProfile(this.profileSelect.value));
    this.element = el(
      'div',
      { class: 'drover-form-view' },
      el(
        'div',
        { class: 'drover-panel-head' },
        el('h2', { id: this.titleId }, 'New cluster'),
        this.profileSelect,
        new ProfileSaver(model).element,
      ),
      this.formElement,
    );
    this.disconnect.push(
      model.changed.connect((change) => {
        if (change === 'description') this.attach();
        else if (change === 'profiles') this.renderProfiles();
      }),
    );
    this.renderProfiles();
    this.attach();
  }

  dispose(): void {
    for (const d of this.disconnect) d();
  }

  /** Connects to the form model once the spec description is there. */
  private attach(): void {
    const form = this.model.form;
    if (!form || form === this.form) {
      if (!form) this.status.textContent = 'Loading the form…';
      return;
    }
    this.form = form;
    this.disconnect.push(
      form.changed.connect((change) => (change === 'fields' ? this.renderFields() : this.renderState())),
    );
    this.renderFields();
    form.update();
  }

  /** An input changed: tell the model (which validates and asks for the preview). */
  private input(target: HTMLElement): void {
    const form = this.form;
    if (
      !form ||
      !(
        target instanceof HTMLInputElement ||
        target instanceof HTMLTextAreaElement ||
        target instanceof HTMLSelectElement
      )
    )
      return;
    const path = target.getAttribute('data-path') ?? target.name;
    if (path === 'kind') {
      if (target.value !== form.kind) form.setKind(target.value as ClusterKind);
    } else if (path === 'adapt' && target instanceof HTMLInputElement) {
      this.adaptInputs()?.forEach((i) => (i.disabled = !target.checked));
      form.setAdapt({ enabled: target.checked });
    } else if (path === 'adapt.minimum') form.setAdapt({ minimum: target.value });
    else if (path === 'adapt.maximum') form.setAdapt({ maximum: target.value });
    else if (target instanceof HTMLInputElement && target.type === 'checkbox')
      form.setValue(path, target.checked);
    else form.setValue(path, target.value);
  }

  private adaptInputs(): HTMLInputElement[] | undefined {
    const adapt = this.views.find((v) => v.adapt)?.adapt;
    return adapt && [adapt.minimum, adapt.maximum];
  }

  private renderFields(): void {
    const form = this.form!;
    const keepFocus = this.fieldsBox.querySelector('[data-path="kind"]')?.matches(':focus') ?? false;
    const open = this.fieldsBox.querySelector('details')?.open ?? false;
    this.views = form.fields().map((f) => fieldView(f, form.description.kinds));
    for (const v of this.views) {
      if (v.adapt) {
        v.adapt.enabled.checked = form.adapt.enabled;
        v.adapt.minimum.value = form.adapt.minimum;
        v.adapt.maximum.value = form.adapt.maximum;
        v.adapt.minimum.disabled = v.adapt.maximum.disabled = !form.adapt.enabled;
        continue;
      }
      const value = form.value(v.field);
      if (typeof value === 'boolean' && v.input instanceof HTMLInputElement) v.input.checked = value;
      else if (typeof value === 'string') v.input.value = value;
    }
    const section = (name: FieldDescriptor['section']): HTMLElement[] =>
      this.views.filter((v) => v.field.section === name).map((v) => v.wrapper);
    replaceChildren(
      this.fieldsBox,
      ...section('basic'),
      el(
        'details',
        { class: 'drover-advanced', open },
        el('summary', {}, 'Advanced parameters'),
        ...section('advanced'),
      ),
    );
    if (keepFocus) this.views.find((v) => v.field.type === 'kind')?.input.focus();
  }

  /** Errors under their fields, the preview, the status, the start button. */
  private renderState(): void {
    const form = this.form!;
    const { byField, unplaced } = form.errors();
    for (const v of this.views) {
      const message = byField.get(v.field.path);
      // Only on change: an error line is an alert, and writing it again would announce it again.
      if (v.error.textContent !== (message ?? '')) v.error.textContent = message ?? '';
      v.wrapper.classList.toggle('drover-invalid', message !== undefined);
      v.input.setAttribute('aria-invalid', message !== undefined ? 'true' : 'false');
      if (message !== undefined) v.wrapper.closest('details')?.setAttribute('open', '');
    }
    if (form.preview && this.preview.textContent !== form.preview.script) {
      this.preview.textContent = form.preview.script;
      this.preview.dataset.language = form.preview.language;
      this.preview.dataset.previewMs = form.preview.ms.toFixed(1);
    }
    if (this.status.textContent !== (unplaced ?? form.status))
      this.status.textContent = unplaced ?? form.status;
    this.startButton.disabled = !form.canStart();
    this.dryRunOutput.hidden = form.dryRun === null;
    this.dryRunOutput.textContent = form.dryRun?.text ?? '';
    if (form.dryRun?.accepted !== undefined)
      this.dryRunOutput.dataset.accepted = String(form.dryRun.accepted);
  }

  private renderProfiles(): void {
    const { profiles, selectedProfile } = this.model;
    replaceChildren(
      this.profileSelect,
      el('option', { value: '' }, profiles.length ? 'Load a profile…' : 'No saved profiles'),
      ...profiles.map((p) => el('option', { value: p.name }, `${p.name} (${p.spec.kind})`)),
    );
    this.profileSelect.value = selectedProfile;
  }

  private async copy(): Promise<void> {
    if (!this.form || (await this.form.copyScript())) return;
    // No clipboard (e.g. an embedding webview without permission): select it for Ctrl-C instead.
    const selection = this.element.ownerDocument.getSelection();
    const range = this.element.ownerDocument.createRange();
    range.selectNodeContents(this.preview);
    selection?.removeAllRanges();
    selection?.addRange(range);
  }
}
