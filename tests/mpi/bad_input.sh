#!/usr/bin/env bash
# A typed mistake under mpirun: every rank parses the same command line, rank 0 alone says what is
# wrong (one "kobai: error:" line naming the value), and the job ends with kobai's exit code 2.
#   bad_input.sh MPIEXEC KOBAI
set -uo pipefail
mpiexec=$1 kobai=$2
err=$("$mpiexec" --oversubscribe -np 2 "$kobai" sweep --function beale --lr 0,1 2>&1 >/dev/null)
status=$?
echo "$err"
[[ $status -eq 2 ]] || { echo "FAIL: exit status $status, expected 2"; exit 1; }
count=$(grep -c "kobai: error: --lr must be > 0, got 0" <<<"$err")
[[ $count -eq 1 ]] || { echo "FAIL: the message appears $count times, expected once"; exit 1; }
echo PASS
