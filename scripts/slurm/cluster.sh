#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the job-array test (test/node/slurm.test.ts) and for trying the
# README's job-array script by hand. Needs Debian's slurm-wlm and munge, and root (slurmd runs jobs as their user).
#
#   scripts/slurm/cluster.sh start <state dir>   # munged, slurmctld, slurmd; returns once the node is idle
#   SLURM_CONF=<state dir>/slurm.conf sbatch …   # use it
#   scripts/slurm/cluster.sh stop <state dir>    # cancels every job, stops the daemons
#
# Everything lives in <state dir> (config, spool, state, logs, pid files) except munge's socket, which munge's
# clients look for at /run/munge; nothing of the machine's own Slurm configuration is used or touched.
set -euo pipefail
cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop <state dir>" >&2
  exit 2
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
export SLURM_CONF="$dir/slurm.conf"

stop() {
  scancel --quiet --full --user "$(id -un)" 2>/dev/null || true
  for d in slurmd slurmctld munged; do
    if [ -f "$dir/$d.pid" ]; then
      pid=$(cat "$dir/$d.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/$d.pid"
    fi
  done
}

start() {
  for tool in munged mungekey slurmctld slurmd sinfo; do
    command -v "$tool" >/dev/null || { echo "$0: $tool not found: apt-get install -y slurm-wlm munge" >&2; exit 2; }
  done
  [ "$(id -u)" = 0 ] || { echo "$0: run as root (slurmd must be able to start jobs)" >&2; exit 2; }
  stop
  host=$(hostname -s)
  cpus=$(nproc)
  mem=$(awk '/MemTotal/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
  mkdir -p "$dir/spool" "$dir/state" "$dir/log" /run/munge /etc/munge /var/lib/munge /var/log/munge
  [ -s /etc/munge/munge.key ] || mungekey --create --keyfile /etc/munge/munge.key
  chmod 0700 /etc/munge /var/lib/munge /var/log/munge
  chmod 0400 /etc/munge/munge.key
  chmod 0755 /run/munge
  munged --force --pid-file "$dir/munged.pid" --log-file "$dir/log/munged.log"
  cat > "$SLURM_CONF" <<CONF
ClusterName=fluctlab
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MinJobAge=300
KillWait=5
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  slurmctld -i -f "$SLURM_CONF"
  slurmd -f "$SLURM_CONF"
  for _ in $(seq 300); do
    # a client started before slurmctld listens retries for a minute: keep each try short
    state=$(timeout 2 sinfo -h -o %t 2>/dev/null | head -1 || true)
    if [ "$state" = idle ]; then
      echo "slurm: node $host idle ($cpus CPUs); SLURM_CONF=$SLURM_CONF"
      return 0
    fi
    sleep 0.1
  done
  echo "$0: the node did not become idle within 30 s (state: ${state:-none}); logs in $dir/log" >&2
  stop
  exit 1
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop <state dir>" >&2; exit 2 ;;
esac
