#!/usr/bin/env bash
# batch-systems.sh up|down - start or stop every batch system the job-queue tests use:
# a single-node SLURM, Grid Engine, and the Torque (PBS) wrappers over SLURM. The LSF shim in
# test/fixtures/lsf-shim needs nothing started beyond SLURM.
#
#   up    idempotent; installs missing Debian packages (root); ~5 s when already installed
#   down  cancels every job and stops every daemon these scripts started (state is purged)
#
# SGE's qsub (/usr/bin) and the Torque wrappers' qsub (DROVER_TORQUE_DIR/bin) coexist because the
# wrappers are unpacked, not installed; see torque-wrappers.sh.
set -euo pipefail
cd "$(dirname "$0")"
case "${1:-}" in
  up)
    # The job-queue tests run several 1-CPU jobs at once; the jobs only sleep, so advertise 8 CPUs.
    SLURM_LOCAL_CPUS=${SLURM_LOCAL_CPUS:-8} bash slurm-start.sh >/dev/null
    bash torque-wrappers.sh >/dev/null
    # Grid Engine likewise: 8 slots in its queues.
    SGE_LOCAL_SLOTS=${SGE_LOCAL_SLOTS:-8} bash sge-start.sh >/dev/null
    ;;
  down)
    rc=0
    bash sge-stop.sh --purge || rc=1
    bash slurm-stop.sh --purge || rc=1
    exit $rc
    ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
