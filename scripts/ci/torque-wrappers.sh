#!/usr/bin/env bash
# torque-wrappers.sh - make Debian's `slurm-wlm-torque` (Slurm's Torque/PBS-compatible qsub, qstat,
# qdel) usable over the local SLURM started by slurm-start.sh, for the PBS tests.
#
# Why unpacked and not installed: slurm-wlm-torque and gridengine-client both ship /usr/bin/qsub and
# conflict in dpkg. We unpack the wrappers into $DROVER_TORQUE_DIR (default /opt/drover-ci/torque)
# so that SGE can stay installed: the PBS tests call $DROVER_TORQUE_DIR/bin/qsub explicitly and the
# SGE tests call SGE's /usr/bin/qsub. The wrappers run "${FindBin::Bin}/sbatch", so the Slurm client
# commands are linked next to them.
#
# Idempotent and bounded (apt waits at most 900 s for the dpkg lock). Root is needed only the first
# time (apt). Prints the bin directory on stdout.
set -euo pipefail
DIR=${DROVER_TORQUE_DIR:-/opt/drover-ci/torque}
BIN=$DIR/bin
log() { echo "[torque-wrappers] $*" >&2; }

if [ -x "$BIN/qsub" ] && [ -x "$BIN/qstat" ] && [ -x "$BIN/qdel" ] && perl -MSlurm -e 1 2>/dev/null; then
  echo "$BIN"; exit 0
fi
[ "$(id -u)" = 0 ] || { log "ERROR: first run needs root (apt-get)"; exit 1; }
command -v sbatch >/dev/null || { log "ERROR: SLURM client missing; run scripts/ci/slurm-start.sh first"; exit 1; }
export DEBIAN_FRONTEND=noninteractive
apt_() { apt-get -o DPkg::Lock::Timeout=900 "$@"; }
if ! perl -MSlurm -e 1 2>/dev/null || ! perl -MSwitch -e 1 2>/dev/null; then
  log "installing the wrappers' Perl dependencies"
  apt_ install -y libslurm-perl libslurmdb-perl libswitch-perl >/dev/null \
    || { apt_ update >/dev/null; apt_ install -y libslurm-perl libslurmdb-perl libswitch-perl >/dev/null; }
fi
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
chmod 755 "$T"   # apt-get download drops privileges to _apt, which must be able to write here
log "downloading slurm-wlm-torque"
(cd "$T" && { apt_ download slurm-wlm-torque >/dev/null 2>&1 \
  || { apt_ update >/dev/null; apt_ download slurm-wlm-torque >/dev/null 2>&1; }; })
deb=$(ls "$T"/slurm-wlm-torque_*.deb)
dpkg-deb -x "$deb" "$T/x"
install -d "$BIN"
for c in qsub qstat qdel; do install -m 0755 "$T/x/usr/bin/$c" "$BIN/$c"; done
for c in sbatch squeue scontrol scancel srun salloc sinfo; do ln -sf "$(command -v $c)" "$BIN/$c"; done
log "wrappers in $BIN"
echo "$BIN"
