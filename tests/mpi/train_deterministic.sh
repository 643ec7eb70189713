#!/usr/bin/env bash
# kobai train --deterministic: the same parameters, bit for bit, in one process (with or without
# threads) and on 2 and 3 ranks. 400 digits, batch 40 (4 chunks of 10), Adam, 120 steps:
#   1. one process, -np 2 and -np 3: the saved models are the same bytes (`cmp`; model_diff with
#      tolerance 0 prints the comparison), and every epoch row's losses and accuracy print the
#      same; and with products large enough to be split over threads (784-100-10, chunks of 40),
#      --threads 1, --threads 2 and -np 2 at 2 threads per rank end with the same bytes;
#   2. float64 too (Eigen's products instead of kobai's AVX-512 ones): -np 2 = one process;
#   3. a checkpoint written by 3 ranks (killed after iteration 70; the last checkpoint is 50)
#      resumed in one process ends with the bytes of the uninterrupted run;
#   4. the same comparison catches what it should: without --deterministic, 2 ranks end with other
#      bits than one process (they agree to ~1e-7: tests/mpi/train_data_parallel.sh);
#   5. --chunk-size without --deterministic, or 0, is refused.
#   train_deterministic.sh MPIEXEC KOBAI MODEL_DIFF WORKDIR
set -euo pipefail
mpiexec=$1 kobai=$2 model_diff=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work"
run=(train --hidden 16 --train-size 400 --test-size 100 --iterations 120 --batch-size 40 --seed 5
     --deterministic --chunk-size 10 --no-progress)
fail() { echo "FAILED: $*"; exit 1; }
# The epoch rows without their time column (wall time differs from run to run).
rows() { awk '/^ +[0-9.]+ +[0-9]+ /{ $NF = ""; print }' "$1"; }

"$kobai" "${run[@]}" --threads 1 --save-model one.model > one.txt
grep -q "deterministic chunks of 10 samples" one.txt || fail "the header does not say --deterministic: $(cat one.txt)"
[[ $(rows one.txt | wc -l) -ge 3 ]] || fail "no epoch rows in: $(cat one.txt)"
# Threads within a rank: 784-100-10 with chunks of 40 makes products of 6.3 MFLOP, which kobai
# splits over 2 threads (>= 2 MFLOP each, nn/gemm_avx512.hpp); chunks of 10 would stay on one.
wide=(train --hidden 100 --train-size 400 --test-size 100 --iterations 100 --batch-size 80 --seed 5
      --deterministic --chunk-size 40 --no-progress)
"$kobai" "${wide[@]}" --threads 1 --save-model wide1.model > /dev/null
"$kobai" "${wide[@]}" --threads 2 --save-model wide2.model > /dev/null
cmp wide1.model wide2.model || fail "one process: --threads 2 differs from --threads 1"
"$mpiexec" --oversubscribe -np 2 "$kobai" "${wide[@]}" --threads 2 --save-model wide-np2.model > /dev/null
cmp wide1.model wide-np2.model || fail "-np 2 --threads 2 differs from one process at --threads 1"
for ranks in 2 3; do
  "$mpiexec" --oversubscribe -np $ranks "$kobai" "${run[@]}" --threads 1 --check-every 10 \
    --save-model np$ranks.model > np$ranks.txt
  grep -q "summed in order across $ranks processes" np$ranks.txt || fail "-np $ranks: header: $(cat np$ranks.txt)"
  "$model_diff" np$ranks.model one.model 0
  cmp np$ranks.model one.model || fail "-np $ranks --deterministic differs from one process"
  diff <(rows np$ranks.txt) <(rows one.txt) || fail "-np $ranks prints other losses than one process"
done

"$kobai" "${run[@]}" --dtype double --threads 1 --save-model one64.model > /dev/null
"$mpiexec" --oversubscribe -np 2 "$kobai" "${run[@]}" --dtype double --threads 1 --save-model np2-64.model > /dev/null
cmp np2-64.model one64.model || fail "float64: -np 2 --deterministic differs from one process"

set +e
KOBAI_TEST_KILL_AT=70 "$mpiexec" --oversubscribe -np 3 "$kobai" "${run[@]}" --threads 1 \
  --checkpoint np3.ckpt --checkpoint-every 50 > /dev/null 2>&1
[[ $? -ne 0 ]] || fail "the killed 3-rank job exited 0"
set -e
"$kobai" "${run[@]}" --threads 1 --resume np3.ckpt --save-model np3-then-one.model > /dev/null
cmp np3-then-one.model one.model || fail "3 ranks (checkpoint at 50) then one process differs from one process"

plain=(train --hidden 16 --train-size 400 --test-size 100 --iterations 120 --batch-size 40 --seed 5 --no-progress)
"$kobai" "${plain[@]}" --threads 1 --save-model plain-one.model > /dev/null
"$mpiexec" --oversubscribe -np 2 "$kobai" "${plain[@]}" --threads 1 --save-model plain-np2.model > /dev/null
if cmp -s plain-np2.model plain-one.model; then fail "without --deterministic 2 ranks gave one process's bits"; fi
"$model_diff" plain-np2.model plain-one.model 1e-5 || fail "without --deterministic: beyond 1e-5"

for bad in "--chunk-size 5|--chunk-size 5 applies to --deterministic only" \
           "--deterministic --chunk-size 0|--chunk-size must be >= 1, got 0"; do
  set +e
  err=$("$kobai" train --iterations 1 ${bad%%|*} 2>&1 >/dev/null)
  status=$?
  set -e
  [[ $status -eq 2 ]] || fail "'${bad%%|*}': exit status $status, expected 2"
  grep -qF -- "${bad#*|}" <<<"$err" || fail "'${bad%%|*}': the message was: $err"
done
echo PASS
