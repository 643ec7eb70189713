#!/usr/bin/env bash
# Ctrl-C under mpirun: every rank stops after the same step (each step's reduction carries the
# ranks' stop flags), rank 0 prints one summary and writes the checkpoint, and the checkpoint
# resumes — bit for bit (--deterministic): resumed and stopped again 7 steps later, the parameters
# are those of one uninterrupted process stopped at the same step.
#   A. SIGINT to rank 1 alone (a user's `kill -INT`, a scheduler): the job ends with status 130.
#   B. SIGINT to mpirun (Ctrl-C in its terminal: the ranks have process groups of their own, and
#      Open MPI's mpirun passes it on as SIGTERM, which kobai takes for Ctrl-C; SIGKILL follows
#      1 s later): the job ends at once, non-zero (mpirun's own status), with one summary and a
#      checkpoint written whole.
#   train_interrupt.sh MPIEXEC KOBAI MODEL_DIFF WORKDIR
set -euo pipefail
mpiexec=$1 kobai=$2 model_diff=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work"
# 100 steps per epoch: a row every ~60 ms. With 10 (a row every ~0.6 ms) the rows outran mpirun's
# forwarding of output once it began ending the job, rank 0 blocked writing one, and mpirun's
# SIGKILL came before it could stop: the job ended without its checkpoint.
run=(train --hidden 16 --train-size 4000 --test-size 100 --iterations 1000000 --batch-size 40 --seed 5
     --deterministic --threads 1 --no-progress --checkpoint-every 1000000)
fail() { echo "FAILED: $*"; exit 1; }

# interrupt CASE TARGET: starts 2 ranks (each writes its PID), sends SIGINT to TARGET (rank1 or
# mpirun) once training runs, waits for the job; sets $status and $stopped_at.
interrupt() {
  local name=$1 target=$2
  "$mpiexec" --oversubscribe -np 2 sh -c 'echo $$ > "$0/$1.pid.$OMPI_COMM_WORLD_RANK"; shift; exec "$@"' \
    "$work" "$name" "$kobai" "${run[@]}" --checkpoint "$name.ckpt" > "$name.out" 2> "$name.err" &
  local job=$!
  for _ in $(seq 300); do grep -q "epoch iteration" "$name.out" 2>/dev/null && [[ -s $name.pid.1 ]] && break; sleep 0.1; done
  grep -q "epoch iteration" "$name.out" || { kill "$job"; fail "$name: training never started: $(cat "$name.err")"; }
  sleep 1
  if [[ $target == mpirun ]]; then kill -INT "$job"; else kill -INT "$(cat "$name.pid.1")"; fi
  local sent=$(date +%s%N)
  for _ in $(seq 150); do kill -0 "$job" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$job" 2>/dev/null; then kill -KILL "$job"; fail "$name: the job still runs 15 s after SIGINT"; fi
  status=0
  wait "$job" || status=$?
  echo "$name: SIGINT to $target; the job ended $(( ($(date +%s%N) - sent) / 1000000 )) ms later, status $status"
  cat "$name.out" "$name.err"
  [[ $(grep -c "status     stopped" "$name.out") -eq 1 ]] || fail "$name: not one 'stopped' summary"
  stopped_at=$(sed -n 's/.*stopped at iteration \([0-9]*\) on request.*/\1/p' "$name.out")
  [[ -n $stopped_at && -s $name.ckpt ]] || fail "$name: no iteration or no checkpoint"
  grep -q "checkpoint $name.ckpt (iteration $stopped_at)" "$name.out" || fail "$name: the checkpoint is not at $stopped_at"
  ls "$name".ckpt.tmp-* 2>/dev/null && fail "$name: a temporary file was left behind"
  # Resume in one process and stop 7 steps later; one uninterrupted process stopped there agrees.
  local at=$((stopped_at + 7)) rc=0
  KOBAI_TEST_INTERRUPT_AT=$at "$kobai" "${run[@]}" --resume "$name.ckpt" --checkpoint "$name-resumed.ckpt" \
    > /dev/null 2>&1 || rc=$?
  [[ $rc -eq 130 ]] || fail "$name: the resumed run exited $rc, expected 130"
  KOBAI_TEST_INTERRUPT_AT=$at "$kobai" "${run[@]}" --checkpoint "$name-straight.ckpt" > /dev/null 2>&1 || true
  "$model_diff" "$name-resumed.ckpt" "$name-straight.ckpt" 0 || fail "$name: the resumed run differs from one process"
}

interrupt rank1 rank1
[[ $status -eq 130 ]] || fail "SIGINT to rank 1: the job ended with $status, expected 130"
interrupt mpirun mpirun
[[ $status -ne 0 ]] || fail "SIGINT to mpirun: the job ended with status 0"
echo PASS
