#!/usr/bin/env bash
# A single-node Slurm cluster in a folder of its own, for the tests and for trying
# `fewdata-cli compare --backend slurm` on one machine (root, Debian's slurm-wlm and munge):
#   eval "$(bash scripts/slurm_local_cluster.sh start DIR)"   # prints export SLURM_CONF=...
#   bash scripts/slurm_local_cluster.sh stop DIR
# Everything (munge key and socket, slurm.conf, state, logs, pid files) lives in DIR; the
# daemons listen on 127.0.0.1 only, on ports chosen at random, and `stop` ends exactly the
# processes `start` started, by their pid files.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR [CPUS]" >&2
  exit 2
fi

stop() {
  [ -f "$dir/slurm.conf" ] && SLURM_CONF="$dir/slurm.conf" scancel --user=root 2>/dev/null || true
  for p in slurmd slurmctld munged; do
    if [ -f "$dir/$p.pid" ]; then
      pid=$(cat "$dir/$p.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/$p.pid"
    fi
  done
}

case "$cmd" in
  stop)
    stop
    exit 0
    ;;
  start) ;;
  *)
    echo "usage: $0 start|stop DIR [CPUS]" >&2
    exit 2
    ;;
esac

[ "$(id -u)" -eq 0 ] || { echo "$0: the daemons need root" >&2; exit 77; }
for p in munged slurmctld slurmd sbatch; do
  command -v "$p" >/dev/null || { echo "$0: $p is missing (apt-get install slurm-wlm munge)" >&2; exit 1; }
done
cpus=${3:-$(nproc)}
mkdir -p "$dir"/{spool,state,log}
dir=$(cd "$dir" && pwd)
chmod 700 "$dir"
host=$(hostname -s)
# Two free ports next to each other, away from the defaults of a real cluster (6817/6818).
port=$((20000 + RANDOM % 30000))
head -c 1024 /dev/urandom >"$dir/munge.key"
chmod 600 "$dir/munge.key"
munged --force --socket="$dir/munge.sock" --key-file="$dir/munge.key" \
  --log-file="$dir/log/munged.log" --pid-file="$dir/munged.pid" --seed-file="$dir/munged.seed"
cat >"$dir/slurm.conf" <<CONF
ClusterName=fewdata-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge.sock
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmdSpoolDir=$dir/spool
StateSaveLocation=$dir/state
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MinJobAge=600
KillWait=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -c -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF" -N "$host"
for _ in $(seq 100); do
  sinfo -h -o %t 2>/dev/null | grep -q idle && { echo "export SLURM_CONF=$SLURM_CONF"; exit 0; }
  sleep 0.2
done
echo "$0: the node did not come up; logs in $dir/log" >&2
stop
exit 1
