/**
 * What a task needs from a worker: resources (cores, gpus, memory in bytes, custom names) and an
 * optional named pool. Tasks with the same needs share one interned {@link Requirement}, and each
 * requirement has its own ready queue, so a GPU task waiting for a GPU never blocks CPU tasks.
 */
export interface Requirement {
  readonly id: number;
  /** Always has `cores` (default 1). */
  readonly resources: Readonly<Record<string, number>>;
  readonly pool: string | null;
  readonly signature: string;
}

/** Resource names every worker has, even when it declares none of them (then with amount 0). */
export const STANDARD_RESOURCES = ['cores', 'gpus', 'memory'] as const;

const RESOURCE_NAME = /^[A-Za-z_][\w.-]{0,63}$/;

/** Bad resource or pool requests, raised at submit. */
export class RequirementError extends Error {
  override name = 'RequirementError';
}

/** Checks a resource map from the wire and fills in the default of one core. */
export function normalizeResources(raw: unknown): Record<string, number> {
  const resources: Record<string, number> = { cores: 1 };
  if (raw === null || raw === undefined) return resources;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new RequirementError('resources must be an object such as { gpus: 1, cores: 4 }');
  }
  for (const [name, amount] of Object.entries(raw)) {
    if (!RESOURCE_NAME.test(name)) {
      throw new RequirementError(`resource name '${name}' is not valid: use letters, digits, '_', '.', '-'`);
    }
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
      throw new RequirementError(`resource '${name}' must be a non-negative number, got ${String(amount)}`);
    }
    resources[name] = amount;
  }
  return resources;
}

/** Interns requirements by content. */
export class Requirements {
  private readonly bySignature = new Map<string, Requirement>();
  readonly all: Requirement[] = [];

  get(resources: Record<string, number>, pool: string | null): Requirement {
    const names = Object.keys(resources).sort();
    const signature = names.map((n) => `${n}=${resources[n]}`).join(',') + (pool ? `@${pool}` : '');
    let requirement = this.bySignature.get(signature);
    if (!requirement) {
      requirement = { id: this.all.length, resources, pool, signature };
      this.bySignature.set(signature, requirement);
      this.all.push(requirement);
    }
    return requirement;
  }
}
