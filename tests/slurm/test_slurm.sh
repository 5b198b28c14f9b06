#!/usr/bin/env bash
# The Slurm backend on a single-node cluster this test starts and stops itself
# (scripts/slurm_local_cluster.sh): a 2-method x 2-seed study (baseline, and gnn on the
# baseline's cached features, so the aftercorr dependency is exercised) submitted with
# --backend slurm, waited for and exported by its table job, each run's figures equal to the
# same study run locally; one running task is requeued (scontrol requeue), resumes from the
# checkpoint it wrote on Slurm's SIGTERM, the other requeues itself after the USR1 sent before a
# time limit (and only itself), each resumes once and ends with the uninterrupted figures; and
# a tune whose rungs run as job arrays ends with the local tune's files, and so does a tune of
# gnn on its shared baselines' cached features; and one run trained
# on two ranks of an `srun --ntasks 2` step (c10d over Gloo).
# Exit 77 (skipped) only when not root: the daemons need it.
set -euo pipefail
cli=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
cluster="$root/scripts/slurm_local_cluster.sh"
cleanup() {
  bash "$cluster" stop "$work/cluster" || true
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  # Without the epoch lines: CI keeps only so much of a failed test's output.
  for f in "$work"/slurm/slurm/1/logs/*.out; do
    [ -f "$f" ] && { echo "== $f"; grep -v '^epoch ' "$f"; }
  done >&2
  [ -f "$work/cluster/log/slurmctld.log" ] &&
    { echo "== slurmctld.log"; grep -v 'select/cons_tres' "$work/cluster/log/slurmctld.log" | tail -n 60; } >&2
  exit 1
}
# Polls `$1` (a command) every 0.5 s for at most $2 seconds.
wait_for() {
  local i
  for ((i = 0; i < $2 * 2; i++)); do eval "$1" && return 0; sleep 0.5; done
  return 1
}

set +e
env_line=$(bash "$cluster" start "$work/cluster" 2)
rc=$?
set -e
[ $rc -eq 77 ] && exit 77
[ $rc -eq 0 ] || fail "the test cluster did not start"
eval "$env_line"

flags=(--methods baseline,gnn --seeds 2 --per-class 10 --epochs 12 --image-size 12
       --max-test 200 --threads 1)
"$cli" compare "${flags[@]}" --out "$work/local" >"$work/local.log" || fail "the local study failed"

"$cli" compare "${flags[@]}" --out "$work/slurm" --backend slurm --max-parallel 2 \
  >"$work/submit.log" || fail "submitting failed: $(cat "$work/submit.log")"
cat "$work/submit.log"
runs_job=$(awk '$2 == "runs" {print $1}' "$work/submit.log")
gnn_job=$(awk '$2 == "features-gnn" {print $1}' "$work/submit.log")
table_job=$(awk '$2 == "table" {print $1}' "$work/submit.log")
[ -n "$runs_job" ] && [ -n "$gnn_job" ] && [ -n "$table_job" ] || fail "three jobs expected"
grep -q -- "--array=0,2%2" "$work/slurm/slurm/1/runs.sbatch" || fail "runs array is not 0,2%2"

# Both baselines are interrupted once their run has finished an epoch, well before the last:
# task 0 the way preemption does it (Slurm requeues the job and sends every process SIGTERM),
# task 2 with the USR1 that --signal=B:USR1@... sends the batch shell before a time limit (here
# sent at once by scancel), which the shell passes on, and the task requeues itself once the
# run has checkpointed. Slurm then holds a requeued job about two minutes (its BeginTime): the
# test lets each start three seconds later (slurmd refuses, as "Job credential revoked", a job
# started again within the second it was killed in: the run would fail, not resume). Task 2 gets its USR1 only once task 0 runs again, so a task
# that requeued more than itself (Slurm gives the array's last task the array's own job id, and
# `scontrol requeue <that id>` means every task) would interrupt task 0 a second time. Task 2
# is suspended (SIGSTOP) meanwhile, so it cannot finish its run before its USR1 on a slow
# machine; the figures do not depend on wall time.
for run in baseline-seed0 baseline-seed1; do
  wait_for "[ -s '$work/slurm/$run/metrics.jsonl' ]" 300 || fail "$run wrote no epoch"
done
for run in baseline-seed0 baseline-seed1; do
  [ -f "$work/slurm/$run/result.json" ] && fail "$run finished before it was interrupted"
done
release() {
  wait_for "squeue -h -j ${runs_job}_$1 -o %T | grep -q PENDING" 60 || fail "task $1 was not requeued"
  scontrol update JobId="${runs_job}_$1" StartTime=now+3
}
scontrol suspend "${runs_job}_2"
scontrol requeue "${runs_job}_0"
release 0
wait_for "squeue -h -j ${runs_job}_0 -o %T | grep -q RUNNING" 60 || fail "task 0 did not start again"
scontrol resume "${runs_job}_2"
[ -f "$work/slurm/baseline-seed1/result.json" ] && fail "baseline-seed1 finished before its USR1"
scancel --signal=USR1 --batch "${runs_job}_2"
release 2

wait_for "[ -f '$work/slurm/table.md' ]" 600 || fail "no table.md after 10 minutes"
status=$("$cli" status "$work/slurm")
echo "$status"
echo "$status" | head -1 | grep -q "4 runs: 4 done" || fail "not every run is done"
for task in 0 2; do
  log=$(cat "$work"/slurm/slurm/1/logs/runs-"${runs_job}"_$task.out)
  resumed=$(echo "$log" | grep -c "interrupted after epoch [0-9]*, resuming" || true)
  [ "$resumed" = 1 ] || fail "task $task resumed $resumed time(s), not once: $log"
done
grep -q "| gnn" "$work/slurm/table.md" || grep -q "| GNN" "$work/slurm/table.md" ||
  fail "table.md has no gnn row"

# Each run's figures as the uninterrupted local study's.
figures() {
  grep -o '"\(val_accuracy\|test_accuracy\|test_accuracy_last\|best_epoch\)": *[^,}]*' "$1" |
    tr -d ' '
}
for run in baseline-seed0 baseline-seed1 gnn-seed0 gnn-seed1; do
  a=$(figures "$work/local/$run/result.json")
  b=$(figures "$work/slurm/$run/result.json")
  [ -n "$a" ] || fail "$run: no figures in the local result.json"
  [ "$a" = "$b" ] || fail "$run: local $a but Slurm $b"
  echo "$run: $a" | tr '\n' ' '
  echo
done

# Runs tune with the given flags here and on Slurm into $work/<name>-local and -slurm; the
# Slurm log must match $2 (a submission); tune.json and best_config.json must be equal.
tune_both() {
  local name=$1 submitted=$2
  shift 2
  "$cli" tune "$@" --out "$work/$name-local" >"$work/$name-local.log" || fail "the local $name failed"
  "$cli" tune "$@" --out "$work/$name-slurm" --backend slurm --poll-seconds 1 \
    >"$work/$name-slurm.log" 2>&1 || fail "the Slurm $name failed: $(cat "$work/$name-slurm.log")"
  grep -q "$submitted" "$work/$name-slurm.log" ||
    fail "$name: no '$submitted' in $(cat "$work/$name-slurm.log")"
  for f in tune.json best_config.json; do
    cmp "$work/$name-local/$f" "$work/$name-slurm/$f" || fail "$name: $f differs between local and Slurm"
  done
  echo "$name: $(grep -m1 '^chosen' "$work/$name-slurm.log")"
}

# A tune whose rungs run as Slurm arrays: the same search as a local tune, file for file.
tune_both tune "rung 1/2: submitted 1 run(s) of .*/rung-0/trial-2 to Slurm" \
  --method baseline --space "lr=0.01..0.1:log" --trials 3 --eta 3 --rungs 2 --seeds 1 \
  --per-class 10 --epochs 6 --image-size 12 --max-test 200 --threads 1
[ -z "$(ls "$work"/tune-slurm/rung-0/trial-0/*.md 2>/dev/null)" ] || fail "tune: a trial wrote a table"

# A tune of a method on cached features: each seed's baseline runs first as an array of its own
# (DIR/features), then the trials' arrays read it.
tune_both gnn-tune "image stage: submitted 1 run(s) of .*/features to Slurm" \
  --method gnn --space "gnn_lr=0.001..0.1:log" --trials 2 --eta 2 --rungs 2 --seeds 1 \
  --gnn-epochs 20 --per-class 10 --epochs 3 --image-size 12 --max-test 200 --threads 1

# One run on two ranks of an srun step: each task joins through Slurm's variables (the store
# on the loopback, as MASTER_ADDR says), rank 0 writes the folder.
MASTER_ADDR=127.0.0.1 srun --ntasks 2 --cpus-per-task 1 "$cli" train --per-class 10 --epochs 2 \
  --image-size 12 --max-test 100 --threads 1 --out "$work/srun" >"$work/srun.log" 2>&1 ||
  fail "the 2-rank srun run failed: $(cat "$work/srun.log")"
grep -q '"world_size": *2' "$work/srun/result.json" || fail "srun run: world_size is not 2"
grep -q '"status": *"finished"' "$work/srun/result.json" || fail "srun run did not finish"
[ "$(grep -c '^run ' "$work/srun.log")" = 1 ] || fail "more than one rank spoke: $(cat "$work/srun.log")"
echo "srun: 2 ranks, $(grep -o '"test_accuracy": *[0-9.]*' "$work/srun/result.json")"
echo "PASS"
