import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parse, stringify } from 'yaml';
import { defaultProfilesPath, deleteProfile, loadProfiles, saveProfile } from '../jobqueue/profiles.js';
import type { BatchKind } from '../jobqueue/options.js';
import type { ProfileModel } from './api-types.js';
import { ManagerError, notFound } from './errors.js';
import { SpecError } from './spec/spec-error.js';
import { validateClusterSpec } from './spec/validate-spec.js';

/**
 * Saved cluster specs, in the same `profiles.yaml` as the job queue's named profiles: batch kinds
 * under `profiles:` (so `loadProfiles` and scripts see them), local ones under `localProfiles:`.
 */
export class ProfileStore {
  constructor(readonly path: string = defaultProfilesPath()) {}

  async list(): Promise<ProfileModel[]> {
    const batch = [...(await loadProfiles(this.path))].map(([name, p]) => ({
      name,
      spec: {
        kind: p.kind,
        options: Object.fromEntries(Object.entries(p.options)),
        ...(p.tls ? { tls: p.tls } : {}),
      },
    }));
    const local = Object.entries(await this.localSection()).map(([name, spec]) => ({
      name,
      spec: validateClusterSpec(spec),
    }));
    return [...batch, ...local].sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(name: string): Promise<ProfileModel> {
    const found = (await this.list()).find((p) => p.name === name);
    if (!found) throw notFound('profile', name);
    return found;
  }

  /** Validates and saves a spec under `name` (replacing a profile of that name). */
  async save(name: string, input: unknown): Promise<ProfileModel> {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name))
      throw new ManagerError(
        400,
        'invalid-name',
        `"${name}" is not a profile name; use letters, digits and _ . -`,
        'name',
      );
    const spec = validateClusterSpec(input);
    await this.remove(name);
    if (spec.kind === 'local') {
      await this.writeLocal((all) => ({
        ...all,
        [name]: {
          kind: 'local',
          scale: spec.scale,
          adapt: spec.adapt,
          options: spec.options,
          ...(spec.tls ? { tls: spec.tls } : {}),
        },
      }));
    } else {
      try {
        await saveProfile(
          name,
          {
            kind: spec.kind as BatchKind,
            options: spec.options,
            ...(spec.tls ? { tls: spec.tls } : {}),
          },
          this.path,
        );
      } catch (e) {
        throw e instanceof Error && 'field' in e ? new SpecError(`options.${String(e.field)}`, e.message) : e;
      }
    }
    return this.get(name);
  }

  async remove(name: string): Promise<void> {
    await deleteProfile(name, this.path);
    await this.writeLocal((all) => {
      const { [name]: _gone, ...rest } = all;
      return rest;
    });
  }

  private async document(): Promise<Record<string, unknown>> {
    try {
      return (parse(await readFile(this.path, 'utf8')) as Record<string, unknown> | null) ?? {};
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw e;
    }
  }

  private async localSection(): Promise<Record<string, unknown>> {
    const section = (await this.document()).localProfiles;
    return section && typeof section === 'object' && !Array.isArray(section)
      ? (section as Record<string, unknown>)
      : {};
  }

  private async writeLocal(change: (all: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
    const doc = await this.document();
    const before = await this.localSection();
    const after = change(before);
    if (JSON.stringify(before) === JSON.stringify(after)) return;
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, stringify({ ...doc, localProfiles: after }));
    await rename(tmp, this.path);
  }
}
