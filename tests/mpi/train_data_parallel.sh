#!/usr/bin/env bash
# Data-parallel kobai train under mpirun: each rank computes its share of every batch, one
# allreduce combines the gradients. Asserts, on 400 digits, batch 40, Adam, float32, 100 steps:
#   1. -np 2 and -np 3 end with the parameters of one process to 1e-5 relative (MPI adds the
#      shards' gradients in its own order: float32 rounding per step, not bit for bit; measured
#      ~2e-7 after 100 steps);
#   2. a checkpoint written by 2 ranks (killed after iteration 70; the last checkpoint is 50)
#      resumes in one process, and one written by one process resumes on 2 ranks, and both finish
#      within 1e-5 of the uninterrupted run;
#   3. a last batch smaller than the ranks (an empty shard) changes nothing; --batch-size below the
#      number of ranks is refused;
#   4. --check-every catches a rank whose parameters drifted (KOBAI_TEST_DESYNC_AT), naming it,
#      exit status 1.
#   train_data_parallel.sh MPIEXEC KOBAI MODEL_DIFF WORKDIR
set -euo pipefail
mpiexec=$1 kobai=$2 model_diff=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work"
run=(train --hidden 16 --train-size 400 --test-size 100 --iterations 100 --batch-size 40 --seed 5
     --threads 1 --no-progress)
fail() { echo "FAILED: $*"; exit 1; }

"$kobai" "${run[@]}" --save-model one.model > one.txt
for ranks in 2 3; do
  "$mpiexec" --oversubscribe -np $ranks "$kobai" "${run[@]}" --check-every 10 --save-model np$ranks.model > np$ranks.txt
  grep -q "$ranks processes" np$ranks.txt || fail "-np $ranks does not say it ran on $ranks processes"
  [[ $(grep -c "status     completed" np$ranks.txt) -eq 1 ]] || fail "-np $ranks: not one summary (only rank 0 prints)"
  "$model_diff" np$ranks.model one.model 1e-5 || fail "-np $ranks differs from one process"
done
# 401 samples, batch 40: each epoch ends with a batch of 1, so rank 0's shard is empty then.
odd=(train --hidden 16 --train-size 401 --test-size 100 --epochs 3 --batch-size 40 --threads 1 --no-progress)
"$kobai" "${odd[@]}" --save-model odd-one.model > /dev/null
"$mpiexec" --oversubscribe -np 2 "$kobai" "${odd[@]}" --save-model odd-np2.model > /dev/null
"$model_diff" odd-np2.model odd-one.model 1e-5 || fail "an empty shard: -np 2 differs from one process"
err=$("$mpiexec" --oversubscribe -np 3 "$kobai" train --batch-size 2 --iterations 1 2>&1 >/dev/null) && fail "batch 2 on 3 ranks accepted"
grep -q "kobai: error: --batch-size 2 is smaller than the 3 processes" <<<"$err" || fail "batch < ranks: message was: $err"
# The comparison can fail: another seed's model is far from this one.
"$kobai" "${run[@]/--seed/--split-seed}" --save-model other.model > /dev/null
if "$model_diff" other.model one.model 1e-5 > /dev/null; then fail "model_diff passes different models"; fi

# 2 ranks killed after iteration 70 → resume in one process; and the other way round.
set +e
KOBAI_TEST_KILL_AT=70 "$mpiexec" --oversubscribe -np 2 "$kobai" "${run[@]}" --checkpoint np2.ckpt --checkpoint-every 50 > /dev/null 2>&1
[[ $? -ne 0 ]] || fail "the killed 2-rank job exited 0"
KOBAI_TEST_KILL_AT=70 "$kobai" "${run[@]}" --checkpoint one.ckpt --checkpoint-every 50 > /dev/null 2>&1
[[ $? -ne 0 ]] || fail "the killed one-process run exited 0"
set -e
"$kobai" "${run[@]}" --resume np2.ckpt --save-model np2-then-one.model > /dev/null
"$mpiexec" --oversubscribe -np 2 "$kobai" "${run[@]}" --resume one.ckpt --save-model one-then-np2.model > /dev/null
"$model_diff" np2-then-one.model one.model 1e-5 || fail "2 ranks then one process differs from one process"
"$model_diff" one-then-np2.model one.model 1e-5 || fail "one process then 2 ranks differs from one process"

# --check-every: rank 1 drifts after iteration 12; the check at 20 ends the job, naming rank 1.
set +e
KOBAI_TEST_DESYNC_AT=12 "$mpiexec" --oversubscribe -np 2 "$kobai" "${run[@]}" --check-every 10 > desync.txt 2> desync.err
status=$?
set -e
cat desync.err
[[ $status -eq 1 ]] || fail "a drifted rank: exit status $status, expected 1"
grep -q "rank 1 of 2: --check-every: after iteration 20 this rank's parameters" desync.err ||
  fail "the message does not name rank 1 and iteration 20"
echo PASS
