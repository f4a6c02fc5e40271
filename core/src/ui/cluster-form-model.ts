import type {
  ClusterKind,
  ClusterModel,
  ClusterSpec,
  FieldDescriptor,
  SpecDescription,
} from '../manager/api-types.js';
import { ApiRequestError } from './api-request-error.js';
import { fieldText, readField } from './field-values.js';
import type { ManagerPort } from './manager-port.js';
import { Signal } from './signal.js';

/** What changed in a {@link ClusterFormModel}: `fields` means the inputs must be built again. */
export type FormChange = 'fields' | 'state';

/** The adaptive field as typed. */
export interface AdaptText {
  enabled: boolean;
  minimum: string;
  maximum: string;
}

/** The result of the last dry run, as shown under the preview. */
export interface DryRunState {
  text: string;
  accepted?: boolean;
}

/** What a form keeps in the host's UI state, so a reloaded webview shows what was typed. */
interface SavedForm {
  kind: ClusterKind;
  values: [string, string | boolean][];
  adapt: AdaptText;
}

const UI_STATE_KEY = 'form';

/**
 * The new-cluster form's state: the kind, the text of every field typed so far (kept across kind
 * switches), errors, the preview and the outcome of the last action; views only draw it.
 *
 * #### Notes
 * Nothing is sent to create a cluster while any field has an error. Every preview request carries
 * a sequence number; answers to older keystrokes are dropped, so the preview always shows the latest.
 */
export class ClusterFormModel {
  readonly changed = new Signal<FormChange>();
  kind: ClusterKind = 'local';
  adapt: AdaptText = { enabled: false, minimum: '0', maximum: '4' };
  /** The job script (batch) or command and code (local) for the spec as typed. */
  preview: { script: string; language: string; ms: number } | null = null;
  status = '';
  dryRun: DryRunState | null = null;
  busy = false;
  private readonly values = new Map<string, string | boolean>();
  private clientErrors = new Map<string, string>();
  private serverError: { field: string; message: string } | null = null;
  private sequence = 0;

  constructor(
    private readonly port: ManagerPort,
    readonly description: SpecDescription,
    /** Called with the new cluster once the manager accepted it. */
    private readonly onCreated?: (cluster: ClusterModel) => void,
  ) {
    this.restore();
    this.materialiseDefaults();
  }

  /** The fields of the chosen kind, in order. */
  fields(): FieldDescriptor[] {
    return this.description.fields.filter((f) => f.kinds.includes(this.kind));
  }

  /** The text (or checked state) a field shows. */
  value(field: FieldDescriptor): string | boolean {
    if (field.type === 'kind') return this.kind;
    const v = this.values.get(field.path);
    if (field.type === 'boolean') return typeof v === 'boolean' ? v : field.default === true;
    return typeof v === 'string' ? v : '';
  }

  /** Whether the chosen kind can be started by this manager (else preview, dry run, export only). */
  available(): boolean {
    return this.kindInfo()?.available ?? false;
  }

  /** Switches the kind; what was typed stays for the fields the kinds share. */
  setKind(kind: ClusterKind): void {
    if (!this.description.kinds.some((k) => k.kind === kind))
      throw new Error(`kind ${kind} is not one of ${this.description.kinds.map((k) => k.kind).join(', ')}`);
    this.kind = kind;
    this.materialiseDefaults();
    this.changed.emit('fields');
    this.update();
  }

  /** One field was typed in. */
  setValue(path: string, value: string | boolean): void {
    if (this.values.get(path) === value) return; // a change event after the input events
    this.values.set(path, value);
    this.update();
  }

  /** The adaptive bounds were typed in or switched. */
  setAdapt(adapt: Partial<AdaptText>): void {
    this.adapt = { ...this.adapt, ...adapt };
    this.update();
  }

  /** Fills the form from a spec (e.g. a saved profile). */
  load(spec: ClusterSpec): void {
    this.values.clear();
    this.kind = spec.kind;
    if (spec.name) this.values.set('name', spec.name);
    if (spec.scale !== undefined) this.values.set('scale', String(spec.scale));
    for (const [k, v] of Object.entries(spec.tls ?? {})) if (v) this.values.set(`tls.${k}`, v);
    for (const [k, v] of Object.entries(spec.options ?? {})) {
      const field = this.description.fields.find((f) => f.path === `options.${k}`);
      if (field) this.values.set(field.path, field.type === 'boolean' ? Boolean(v) : fieldText(field, v));
    }
    this.adapt = spec.adapt
      ? { enabled: true, minimum: String(spec.adapt.minimum), maximum: String(spec.adapt.maximum) }
      : { enabled: false, minimum: '0', maximum: '4' };
    this.materialiseDefaults();
    this.changed.emit('fields');
    this.update();
  }

  /** The spec the form holds now, and the fields whose text cannot be read. */
  read(): { spec: ClusterSpec; errors: Map<string, string> } {
    const errors = new Map<string, string>();
    const spec: ClusterSpec = { kind: this.kind, options: {} };
    for (const field of this.fields()) {
      if (field.type === 'kind') continue;
      if (field.type === 'adapt') {
        if (!this.adapt.enabled) continue;
        const bound = (label: string, text: string) =>
          readField({ ...field, type: 'integer', label, required: true }, text);
        const min = bound('Minimum', this.adapt.minimum);
        const max = bound('Maximum', this.adapt.maximum);
        if ('error' in min) errors.set('adapt', `minimum: ${min.error}`);
        else if ('error' in max) errors.set('adapt', `maximum: ${max.error}`);
        else if ('value' in min && 'value' in max)
          spec.adapt = { minimum: min.value as number, maximum: max.value as number };
        continue;
      }
      const value = this.value(field);
      if (field.type === 'boolean' && value === (field.default === true)) continue; // default: leave out
      const reading = readField(field, typeof value === 'string' ? value : '', value === true);
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

  /**
   * The error to show under each field (by field path) and, for a server error naming a field the
   * form does not show, the message for the status line.
   */
  errors(): { byField: Map<string, string>; unplaced: string | null } {
    const byField = new Map(this.clientErrors);
    let unplaced: string | null = null;
    if (this.serverError) {
      const field = this.fieldFor(this.serverError.field);
      if (field) byField.set(field.path, this.serverError.message);
      else unplaced = this.serverError.message;
    }
    return { byField, unplaced };
  }

  /** Whether the start button may be pressed. */
  canStart(): boolean {
    const { byField, unplaced } = this.errors();
    return byField.size === 0 && unplaced === null && !this.busy && this.available();
  }

  /** Checks locally after every change and asks the manager for the preview. */
  update(): void {
    const { spec, errors } = this.read();
    this.clientErrors = errors;
    this.serverError = null;
    this.save();
    if (errors.size > 0) {
      this.sequence++; // an answer still under way is for text that is gone
      this.say(
        `Fix ${errors.size === 1 ? 'the highlighted field' : `${errors.size} highlighted fields`} to update the preview.`,
      );
      return;
    }
    this.changed.emit('state');
    void this.refreshPreview(spec);
  }

  /** Creates the cluster; nothing is sent while a field is invalid. */
  async start(): Promise<void> {
    const { spec, errors } = this.read();
    if (errors.size > 0 || this.hasErrors() || this.busy) {
      this.changed.emit('state');
      return;
    }
    this.busy = true;
    this.say('Starting…');
    try {
      const cluster = await this.port.create(spec);
      this.busy = false;
      this.say(`Started ${cluster.name}.`);
      this.onCreated?.(cluster);
    } catch (e) {
      this.busy = false;
      if (e instanceof ApiRequestError && e.field && e.status === 400) {
        this.serverError = { field: e.field, message: e.message };
        this.say('Fix the highlighted field.');
      } else this.say(`Could not start: ${(e as Error).message}`);
    }
  }

  /** Puts the preview on the clipboard; false when the host could not. */
  async copyScript(): Promise<boolean> {
    try {
      await this.port.host.copyText(this.preview?.script ?? '');
      this.say('Copied the preview.');
      return true;
    } catch {
      this.say('Selected the preview; press Ctrl-C to copy.');
      return false;
    }
  }

  /** Saves the job script through the host (a download, a save dialog). */
  async exportScript(): Promise<void> {
    const spec = this.validSpec();
    if (!spec) return;
    try {
      const { text, fileName } = await this.port.export(spec);
      await this.port.host.saveFile(fileName, text);
      this.say(`Exported ${fileName}.`);
    } catch (e) {
      this.say(`Export failed: ${(e as Error).message}`);
    }
  }

  /** Opens the job script in an editor of the host, where it has one. */
  async openScript(): Promise<void> {
    const spec = this.validSpec();
    const open = this.port.host.openDocument?.bind(this.port.host);
    if (!spec || !open) return;
    try {
      const { text, fileName } = await this.port.export(spec);
      await open(fileName, text, this.preview?.language ?? 'bash');
      this.say(`Opened ${fileName}.`);
    } catch (e) {
      this.say(`Could not open the script: ${(e as Error).message}`);
    }
  }

  /** Asks the batch system whether it would take the job. */
  async runDryRun(): Promise<void> {
    const spec = this.validSpec();
    if (!spec) return;
    this.dryRun = { text: 'Running the dry run…' };
    this.changed.emit('state');
    try {
      const result = await this.port.dryRun(spec);
      this.dryRun = {
        text: `${result.accepted ? 'Accepted' : 'Refused'}${result.command ? ` (${result.command})` : ''}\n${result.message}`,
        accepted: result.accepted,
      };
    } catch (e) {
      this.dryRun = { text: `Dry run failed: ${(e as Error).message}` };
    }
    this.changed.emit('state');
  }

  private async refreshPreview(spec: ClusterSpec): Promise<void> {
    const sequence = ++this.sequence;
    const started = performance.now();
    try {
      const result = await this.port.render(spec);
      if (sequence !== this.sequence) return;
      this.preview = { script: result.script, language: result.language, ms: performance.now() - started };
      this.say(this.kindInfo()?.note ?? '');
    } catch (e) {
      if (sequence !== this.sequence) return;
      if (e instanceof ApiRequestError && e.field) {
        this.serverError = { field: e.field, message: e.message };
        this.say('Fix the highlighted field to update the preview.');
      } else this.say(`Preview failed: ${(e as Error).message}`);
    }
  }

  private say(status: string): void {
    this.status = status;
    this.changed.emit('state');
  }

  private hasErrors(): boolean {
    return this.clientErrors.size > 0 || this.serverError !== null;
  }

  private kindInfo(): SpecDescription['kinds'][number] | undefined {
    return this.description.kinds.find((k) => k.kind === this.kind);
  }

  /** The field for an error path: `options.jobExtraDirectives[1]` → that list, `adapt.maximum` → adapt. */
  private fieldFor(path: string): FieldDescriptor | undefined {
    const base = path.replace(/\[\d+\]$/, '');
    const fields = this.fields();
    return fields.find((f) => f.path === base) ?? fields.find((f) => base.startsWith(`${f.path}.`));
  }

  /** The start size a new form shows: two workers (local) or one job (batch), kept once shown. */
  private materialiseDefaults(): void {
    if (!this.values.has('scale')) this.values.set('scale', this.kind === 'local' ? '2' : '1');
  }

  private save(): void {
    const saved: SavedForm = { kind: this.kind, values: [...this.values], adapt: this.adapt };
    this.port.host.uiState.set(UI_STATE_KEY, saved);
  }

  /** What was typed before the host reloaded the view. */
  private restore(): void {
    const saved = this.port.host.uiState.get<SavedForm>(UI_STATE_KEY);
    if (!saved || !this.description.kinds.some((k) => k.kind === saved.kind)) return;
    this.kind = saved.kind;
    for (const [path, value] of saved.values ?? [])
      if (typeof path === 'string' && (typeof value === 'string' || typeof value === 'boolean'))
        this.values.set(path, value);
    if (saved.adapt) this.adapt = { ...this.adapt, ...saved.adapt };
  }
}

/** Sets `options.cores`, `tls.cert` or `name` on a spec. */
function setPath(spec: ClusterSpec, path: string, value: unknown): void {
  if (path.startsWith('options.')) (spec.options ??= {})[path.slice('options.'.length)] = value;
  else if (path.startsWith('tls.')) (spec.tls ??= {})[path.slice('tls.'.length) as 'cert'] = value as string;
  else (spec as unknown as Record<string, unknown>)[path] = value;
}
