#!/usr/bin/env bash
# A rank killed in the middle of a job must end the whole job, with a message naming it, within
# seconds (no rank left waiting in a collective for one that is gone).
#   killed_rank.sh MPIEXEC KOBAI WORKDIR -- kobai arguments…
# Starts `mpirun -np 2` (each rank writes its PID first), kills rank 1 with SIGKILL once the job is
# running, and asserts: mpirun exits non-zero within 15 s of the kill, and its message names rank 1.
set -euo pipefail
mpiexec=$1 kobai=$2 work=$3
shift 4
rm -rf "$work" && mkdir -p "$work"
"$mpiexec" --oversubscribe -np 2 sh -c 'echo $$ > "$0/pid.$OMPI_COMM_WORLD_RANK"; exec "$@"' "$work" "$kobai" "$@" \
  >"$work/stdout" 2>"$work/stderr" &
job=$!
for _ in $(seq 100); do [[ -s "$work/pid.1" ]] && break; sleep 0.1; done
[[ -s "$work/pid.1" ]] || { echo "rank 1 never started"; kill "$job"; exit 1; }
sleep 1  # let both ranks get into their work
victim=$(cat "$work/pid.1")
kill -KILL "$victim"
killed_at=$(date +%s%N)
status=0
for _ in $(seq 150); do kill -0 "$job" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$job" 2>/dev/null; then
  echo "the job still runs 15 s after rank 1 (pid $victim) was killed"; kill "$job"; exit 1
fi
wait "$job" || status=$?
ended_in=$(( ($(date +%s%N) - killed_at) / 1000000 ))
echo "job ended ${ended_in} ms after rank 1 was killed, exit status $status; its message:"
cat "$work/stderr"
[[ $status -ne 0 ]] || { echo "FAIL: mpirun exited 0"; exit 1; }
grep -q "rank 1" "$work/stderr" || { echo "FAIL: the message does not name rank 1"; exit 1; }
grep -qi "signal 9\|killed" "$work/stderr" || { echo "FAIL: the message does not say it was killed"; exit 1; }
echo PASS
