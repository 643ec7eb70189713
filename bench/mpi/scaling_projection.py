#!/usr/bin/env python3
"""The ring model's projection of data-parallel speed-up past one machine (docs/scaling.md).

    /usr/bin/python3 bench/mpi/scaling_projection.py --compute-ms 0.95

One step of synchronous data-parallel SGD on K ranks: each rank computes the gradient of its share
of the batch (compute time t_c), then one allreduce of the n-byte flat gradient,
    t_ar(K) = 2(K-1)·alpha + 2(K-1)/K · n · beta          (ring; kobai does not overlap it)
and every rank takes the same optimizer step (t_opt, not split: every rank does all of it).

Two ways to use K ranks:
  weak scaling    every rank keeps its batch b (the global batch is K·b; Horovod's benchmark does
                  this, 64 images per GPU): throughput speed-up S = K·(t_c + t_opt)/(t_c + t_opt + t_ar)
  strong scaling  the global batch B stays (kobai train's contract: the same result as one process):
                  S = (t_c + t_opt) / (t_c/K + t_opt + t_ar); needs K <= B.
Efficiency = S/K. Gradient accumulation over A micro-batches (or an A-times larger batch) runs
A·t_c of compute per allreduce: S = K·A·t_c/(A·t_c + t_ar) in the weak form.
"""
import argparse

NETWORKS = {
    # name: (parameters, compute seconds per step at the per-rank batch, how that was obtained)
    "784-100-10": (79_510, None, "measured: bench/mpi/mpi_bench, 1 rank, batch 100"),
    "100M": (100_000_000, None, "assumed: 6 FLOP per parameter per sample x batch 100 at 50 GFLOP/s"),
}
LINKS = {
    # name: (alpha seconds, beta seconds per byte)
    "10 Gb/s Ethernet (TCP)": (25e-6, 1 / 1.25e9),
    "100 Gb/s InfiniBand (EDR)": (1.5e-6, 1 / 12.5e9),
}
RANKS = (8, 64, 512)


def ring(k, n_bytes, alpha, beta):
    return 2 * (k - 1) * alpha + 2 * (k - 1) / k * n_bytes * beta


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--compute-ms", type=float, default=0.95,
                        help="measured compute per step of 784-100-10 at batch 100 on one rank (ms)")
    parser.add_argument("--flops", type=float, default=50e9, help="assumed FLOP/s per rank for the 100M network")
    parser.add_argument("--batch", type=int, default=100, help="per-rank batch (weak) / global batch (strong)")
    parser.add_argument("--adam-ns-per-parameter", type=float, default=0.66,
                        help="optimizer step per parameter (docs/performance.md: Adam float, 1 thread)")
    args = parser.parse_args()

    compute = {"784-100-10": args.compute_ms * 1e-3,
               "100M": 6 * 100e6 * args.batch / args.flops}
    for name, (parameters, _, how) in NETWORKS.items():
        n_bytes = 4 * parameters
        t_c = compute[name]
        t_opt = parameters * args.adam_ns_per_parameter * 1e-9
        print(f"\n{name}: {parameters:,} parameters ({n_bytes / 1e6:.2f} MB of float32 gradient); "
              f"compute {t_c * 1e3:.3g} ms per step of {args.batch} samples ({how}); optimizer step {t_opt * 1e3:.3g} ms")
        for link, (alpha, beta) in LINKS.items():
            print(f"  {link}: alpha {alpha * 1e6:g} us, beta {beta * 1e9:.3g} ns/byte ({1 / beta / 1e9:.3g} GB/s)")
            print(f"    {'K':>5} {'allreduce ms':>13} {'weak: speed-up':>15} {'eff.':>6} "
                  f"{'strong: speed-up':>17} {'eff.':>6} {'A for 90% (weak)':>17}")
            for k in RANKS:
                t_ar = ring(k, n_bytes, alpha, beta)
                weak = k * (t_c + t_opt) / (t_c + t_opt + t_ar)
                strong = (t_c + t_opt) / (t_c / k + t_opt + t_ar) if k <= args.batch else float("nan")
                # micro-batches per allreduce for 90% weak efficiency: A·t_c / (A·t_c + t_ar) >= 0.9
                a_needed = max(1, -(-9 * t_ar // t_c)) if t_c > 0 else float("nan")
                strong_text = f"{strong:17.2f} {strong / k:6.0%}" if strong == strong else f"{'(K > batch)':>17} {'':>6}"
                print(f"    {k:>5} {t_ar * 1e3:13.3f} {weak:15.1f} {weak / k:6.0%} {strong_text} {int(a_needed):>17}")


if __name__ == "__main__":
    main()
