import type { BatchKind } from '../options.js';
import type { BatchSystem } from './batch-system.js';
import { lsf } from './lsf.js';
import { pbsBatchSystem, type PbsFlavor } from './pbs.js';
import { sge } from './sge.js';
import { slurm } from './slurm.js';

/** Options that pick a dialect of a batch system. */
export interface BatchSystemOptions {
  /** PBS only: `pbspro` (PBS Pro, OpenPBS; default) or `torque`. */
  readonly pbsFlavor?: PbsFlavor;
}

/** The {@link BatchSystem} for a kind. */
export function getBatchSystem(kind: BatchKind, options: BatchSystemOptions = {}): BatchSystem {
  switch (kind) {
    case 'slurm':
      return slurm;
    case 'pbs':
      return pbsBatchSystem(options.pbsFlavor ?? 'pbspro');
    case 'lsf':
      return lsf;
    case 'sge':
      return sge;
  }
}
