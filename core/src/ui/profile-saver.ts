import type { DashboardModel } from './dashboard-model.js';
import { el } from './dom.js';

/** The names the profile store accepts. */
const PROFILE_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * "Save profile": stores the form's spec under a name, for the profile list (and for JupyterLab and
 * VS Code, which read the same profiles).
 */
export class ProfileSaver {
  readonly element: HTMLElement;
  private readonly name = el('input', {
    type: 'text',
    class: 'drover-profile-name',
    'aria-label': 'Profile name',
    placeholder: 'profile name',
    autocomplete: 'off',
  });
  private readonly status = el('span', { class: 'drover-note', role: 'status', 'aria-live': 'polite' });

  constructor(private readonly model: DashboardModel) {
    const button = el('button', { type: 'button', onclick: () => void this.save() }, 'Save profile');
    this.name.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      event.preventDefault(); // not the form's submit: Enter here saves
      void this.save();
    });
    this.element = el('div', { class: 'drover-profile-saver' }, this.name, button, this.status);
  }

  private async save(): Promise<void> {
    const name = this.name.value.trim();
    if (!PROFILE_NAME.test(name)) {
      this.say(
        name === ''
          ? 'Give the profile a name first.'
          : 'A profile name uses letters, digits and _ . - only.',
        true,
      );
      this.name.focus();
      return;
    }
    const spec = this.model.form?.validSpec() ?? null;
    if (!spec) {
      this.say('Fix the highlighted fields before saving.', true);
      return;
    }
    try {
      const profile = await this.model.port.saveProfile(name, spec);
      this.model.profileSaved(profile); // the list shows it before the message says so
      this.say(`Saved profile ${profile.name}.`, false);
    } catch (error) {
      this.say(`Could not save: ${(error as Error).message}`, true);
    }
  }

  private say(message: string, problem: boolean): void {
    this.status.textContent = message;
    this.name.setAttribute('aria-invalid', String(problem && !PROFILE_NAME.test(this.name.value.trim())));
  }
}
