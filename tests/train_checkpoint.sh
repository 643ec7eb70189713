#!/usr/bin/env bash
# kobai train's checkpoints end to end: a run killed with SIGKILL mid-epoch and resumed, and one
# stopped by SIGINT (Ctrl-C) and resumed, end with the same bytes as an uninterrupted run; corrupt,
# truncated and mismatched checkpoints are refused (exit 2, a message naming the problem) and left
# as they were. Usage: train_checkpoint.sh KOBAI_EXE WORK_DIR
set -euo pipefail
kobai=$1
work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work"

# 300 digits, batch 20: 15 iterations per epoch, 45 in all; Adam (its moments are in the checkpoint).
run=(train --hidden 16 --train-size 300 --test-size 100 --epochs 3
     --batch-size 20 --seed 3 --no-progress)
fail() { echo "FAILED: $*"; exit 1; }

"$kobai" "${run[@]}" --save-model full.model > full.txt

# SIGKILL after iteration 25 (mid-epoch 2); the last checkpoint is iteration 21.
set +e
KOBAI_TEST_KILL_AT=25 "$kobai" "${run[@]}" --checkpoint killed.ckpt --checkpoint-every 7 > /dev/null 2>&1
rc=$?
set -e
[[ $rc -eq 137 ]] || fail "the killed run exited with $rc, expected 137 (SIGKILL)"
[[ -f killed.ckpt ]] || fail "no checkpoint after the kill"
ls killed.ckpt.tmp-* 2>/dev/null && fail "a temporary file was left behind"
cp killed.ckpt killed.before
"$kobai" "${run[@]}" --resume killed.ckpt --checkpoint killed.ckpt --save-model resumed.model > resumed.txt
cmp full.model resumed.model || fail "the resumed run's model differs from the uninterrupted one"
grep -q "iteration 45" resumed.txt || fail "the resumed run did not end at iteration 45"

# SIGINT (Ctrl-C) after iteration 9: a checkpoint at iteration 9, exit 130; resuming ends the same.
set +e
KOBAI_TEST_INTERRUPT_AT=9 "$kobai" "${run[@]}" --checkpoint stopped.ckpt --checkpoint-every 100 > stopped.txt 2>&1
rc=$?
set -e
[[ $rc -eq 130 ]] || fail "the interrupted run exited with $rc, expected 130"
grep -q "stopped at iteration 9" stopped.txt || fail "the interrupted run did not say where it stopped"
"$kobai" "${run[@]}" --resume stopped.ckpt --checkpoint stopped.ckpt --save-model stopped.model > /dev/null
cmp full.model stopped.model || fail "the run resumed after Ctrl-C differs from the uninterrupted one"

# Refusals: exit 2, a message naming the file and the problem, the checkpoint untouched.
refuse() {  # refuse FILE EXPECTED-TEXT [extra options...]
  local file=$1 expected=$2
  shift 2
  cp "$file" "$file.before"
  set +e
  "$kobai" "${run[@]}" --resume "$file" --checkpoint "$file" "$@" > out.txt 2> err.txt
  local rc=$?
  set -e
  [[ $rc -eq 2 ]] || fail "resuming from $file exited with $rc, expected 2 ($(cat err.txt))"
  grep -qF -- "$expected" err.txt || fail "expected '$expected' in: $(cat err.txt)"
  cmp "$file" "$file.before" || fail "$file was changed by a refused run"
}
cp killed.before corrupt.ckpt
printf '\x55' | dd of=corrupt.ckpt bs=1 seek=200 conv=notrunc status=none
refuse corrupt.ckpt "checksum mismatch: the file is corrupt"
head -c 1000 killed.before > truncated.ckpt
refuse truncated.ckpt "(truncated)"
cp killed.before other.ckpt
refuse other.ckpt "belongs to another run: the checkpoint was written with split_seed=0, this run has split_seed=1" --split-seed 1
refuse full.model "is a model, not a checkpoint"
echo "not a checkpoint" > text.ckpt
refuse text.ckpt "not a kobai model or checkpoint"

# kobai predict reads the model and agrees with the training run's last test accuracy.
"$kobai" predict --model full.model --train-size 300 --test-size 100 --json > predict.json
accuracy=$(grep -o '"accuracy":[0-9.]*' predict.json | cut -d: -f2)
grep -q "test accuracy" full.txt || fail "no test accuracy in the training output"
trained=$(grep -o 'test accuracy [0-9.]*%' full.txt | grep -o '[0-9.]*')
awk -v p="$accuracy" -v t="$trained" 'BEGIN { d = p * 100 - t; exit !(d < 0.006 && d > -0.006) }' ||
  fail "predict's accuracy $accuracy differs from training's $trained%"
# --optimizers: one run per optimizer from the same start; bad lists refused with exit 2.
"$kobai" train --optimizers sgd,momentum,adagrad,adam --hidden 16 --train-size 300 --test-size 100 \
  --iterations 30 --batch-size 20 --json > compare.json
[[ $(grep -o '"optimizer":"[a-z]*"' compare.json | tr '\n' ' ') == '"optimizer":"gd" "optimizer":"momentum" "optimizer":"adagrad" "optimizer":"adam" ' ]] ||
  fail "--optimizers did not run sgd, momentum, adagrad, adam in order: $(head -c 300 compare.json)"
set +e
"$kobai" train --optimizers sgd,lbfgs --train-size 300 --test-size 100 > out.txt 2> err.txt
rc=$?
set -e
[[ $rc -eq 2 ]] && grep -q "'lbfgs' is not a first-order optimizer" err.txt || fail "--optimizers sgd,lbfgs: rc $rc, $(cat err.txt)"
# --report (one run and a comparison): a whole HTML page written; a bad path refused before any
# training, with exit 2, a message naming it and no file (the page's contents: train_report.spec.mjs).
"$kobai" train --hidden 16 --train-size 300 --test-size 100 --iterations 12 --batch-size 50 --report one.html > one.txt
grep -q "report     one.html" one.txt && tail -c 8 one.html | grep -q "</html>" || fail "--report: one.html not written whole"
grep -q '"misclassified"' one.html && grep -q "kobai train --hidden 16" one.html || fail "--report: one.html lacks its data or command"
"$kobai" train --optimizers sgd,adam --hidden 16 --train-size 300 --test-size 100 --iterations 12 --batch-size 50 \
  --json --report two.html > two.json
grep -q '"report":"two.html"' two.json && tail -c 8 two.html | grep -q "</html>" || fail "--report: two.html not written"
for bad in "no-such-dir/r.html:directory 'no-such-dir' does not exist" "r.txt:must end in .html, got 'r.txt'"; do
  set +e
  "$kobai" train --optimizers sgd,adam --train-size 300 --test-size 100 --report "${bad%%:*}" > out.txt 2> err.txt
  rc=$?
  set -e
  [[ $rc -eq 2 ]] && grep -qF "${bad#*:}" err.txt && [[ ! -s out.txt && ! -e "${bad%%:*}" ]] ||
    fail "--report ${bad%%:*}: rc $rc, $(cat err.txt)"
done
echo "all checkpoint checks passed"
