// One unit for scaling, as dask-jobqueue users expect: scale(n) and adapt({ minimum, maximum })
// count workers; scale({ jobs }) and adapt({ minimumJobs, maximumJobs }) count jobs.
import { describe, expect, it } from 'vitest';
import { adaptBoundsInJobs, jobsForScale, LocalCluster } from '@drover/core';

const shape = { processes: 2, cores: 4, memoryBytes: 8e9 };

describe('scale and adapt count the same unit', () => {
  it('adapt({ minimum, maximum }) counts workers, rounded up to whole jobs like scale(n)', () => {
    expect(adaptBoundsInJobs({ minimum: 1, maximum: 6 }, 2)).toMatchObject({
      minimumJobs: 1,
      maximumJobs: 3,
    });
    expect(jobsForScale(6, shape)).toBe(3);
    expect(adaptBoundsInJobs({ maximum: 5 }, 2).maximumJobs).toBe(jobsForScale(5, shape));
  });

  it('adapt({ minimumJobs, maximumJobs }) counts jobs, as scale({ jobs })', () => {
    expect(adaptBoundsInJobs({ minimumJobs: 0, maximumJobs: 4, intervalMs: 500 }, 2)).toEqual({
      minimumJobs: 0,
      maximumJobs: 4,
      intervalMs: 500,
    });
    expect(jobsForScale({ jobs: 4 }, shape)).toBe(4);
  });

  it('refuses both units at once, and jobs on a local cluster', async () => {
    expect(() => adaptBoundsInJobs({ maximum: 4, maximumJobs: 2 }, 2)).toThrow(/not both/);
    const cluster = await LocalCluster.start({ workers: 0 });
    try {
      expect(() => cluster.adapt({ maximumJobs: 2 })).toThrow(/a local cluster has no jobs/);
    } finally {
      await cluster.close();
    }
  });
});
