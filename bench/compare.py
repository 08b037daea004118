#!/usr/bin/python3
"""The training epoch of the post's network in C++ and in numpy, timed in one run.

    compare.py BENCH_EPOCH [--rounds R] [--sizes 200,1000,10000] [--seconds S]

BENCH_EPOCH is the Google Benchmark program built from bench/bench_epoch.cpp. For each round
and each batch size N, the numpy epoch (below) is timed here, then the C++ epochs (the textbook
one of chapter 10 and the fused one of chapter 13) by BENCH_EPOCH, one after the other, so that
both sides see the same load on the machine. The ratio numpy / C++ is taken in each round; the
median over the rounds is printed for each N. Then the peak memory of a process that trains at
the largest N, against one that only holds the data. Both sides run one thread
(OPENBLAS_NUM_THREADS=1, OMP_NUM_THREADS=1), in double precision.

Run by ./course bench, which installs Debian's python3-numpy and builds BENCH_EPOCH first.
"""
import os

# One thread on both sides; set before numpy loads OpenBLAS.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse
import json
import statistics
import subprocess
import sys
import time

try:
    import numpy as np
except ImportError:
    sys.exit("compare.py: numpy is missing: install Debian's python3-numpy "
             "(./course bench does) and run this with /usr/bin/python3")

HIDDEN = 500
RATE = 1e-3      # the step of bench_epoch.cpp: the activations keep their distribution
TARGET = 4.0     # the fused C++ epoch must be at least this much faster than numpy


def bad_input(message):
    """Bad input: one line on stderr, exit code 2."""
    print(f"compare.py: {message}", file=sys.stderr)
    sys.exit(2)


class Parser(argparse.ArgumentParser):
    """argparse with its errors in one line (it prints the usage too)."""

    def error(self, message):
        bad_input(f"{message} (compare.py --help lists the options)")


def make_problem(n, seed=1):
    """The data and network of bench_epoch.cpp, drawn by numpy: X N×2 from N(0, 1), labels
    x2 > x1 one-hot (bp::toy_batch); W1 2×H from N(0, 1/2), W2 H×2 from N(0, 1/H), biases 0
    (bp::init_params)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2))
    Y = np.eye(2)[(X[:, 1] > X[:, 0]).astype(int)]
    W1 = rng.standard_normal((2, HIDDEN)) / np.sqrt(2.0)
    b1 = np.zeros(HIDDEN)
    W2 = rng.standard_normal((HIDDEN, 2)) / np.sqrt(HIDDEN)
    b2 = np.zeros(2)
    return X, Y, [W1, b1, W2, b2]


def epoch(params, X, Y, rate, lam):
    """One epoch of full-batch gradient descent, as bp::train_epoch (chapter 10): the loss and
    accuracy before the step, the gradients of the mean cross-entropy plus (λ/2)‖W‖², the step.
    Idiomatic numpy: whole-array operations, A1 * A1 rather than np.power(A1, 2)."""
    W1, b1, W2, b2 = params
    N = X.shape[0]
    Z1 = X @ W1 + b1                                   # (1)  N×H
    A1 = np.tanh(Z1)                                   # (2)  N×H
    Z2 = A1 @ W2 + b2                                  # (3)  N×K
    E = np.exp(Z2 - Z2.max(axis=1, keepdims=True))     # (4)  softmax, shifted by the row max
    P = E / E.sum(axis=1, keepdims=True)
    loss = -np.sum(Y * np.log(P)) / N + 0.5 * lam * (np.sum(W1 * W1) + np.sum(W2 * W2))  # (5)
    accuracy = np.mean(P.argmax(axis=1) == Y.argmax(axis=1))
    dZ2 = (P - Y) / N                                  # (7)
    dW2 = A1.T @ dZ2 + lam * W2                        # (14)
    db2 = dZ2.sum(axis=0)                              # (15)
    dA1 = dZ2 @ W2.T                                   # (10)
    dZ1 = dA1 * (1.0 - A1 * A1)                        # (11)
    dW1 = X.T @ dZ1 + lam * W1                         # (16)
    db1 = dZ1.sum(axis=0)                              # (17)
    W1 -= rate * dW1
    b1 -= rate * db1
    W2 -= rate * dW2
    b2 -= rate * db2
    return loss, accuracy


def numpy_seconds(params, X, Y, seconds):
    """The median time of one numpy epoch, over about `seconds` of epochs."""
    times = []
    start = time.perf_counter()
    while len(times) < 3 or time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        epoch(params, X, Y, RATE, 0.0)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_resident_mb():
    """This process's peak resident memory so far in MB (VmHWM: it starts afresh at exec, unlike
    ru_maxrss, which starts at the size of the process that launched this one)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def worker(n):
    """Worker mode: one batch size per process, as a script that trains at that size runs.
    Reads commands on stdin: "time S" (prints the median epoch time over S seconds), "peak"
    (prints the peak resident MB), "train E" (runs E epochs)."""
    X, Y, params = make_problem(n)
    print(f"{peak_resident_mb():.3f}", flush=True)  # ready: the data alone
    for line in sys.stdin:
        command, value = (line.split() + [""])[:2]
        if command == "time":
            epoch(params, X, Y, RATE, 0.0)  # the first call pays for first-touch memory
            print(f"{numpy_seconds(params, X, Y, float(value)):.9f}", flush=True)
        elif command == "train":
            for _ in range(int(value)):
                epoch(params, X, Y, RATE, 0.0)
            print(f"{peak_resident_mb():.3f}", flush=True)


class Numpy:
    """A worker process for batch size n; `tuned` keeps every temporary in glibc's heap
    (MALLOC_MMAP_THRESHOLD_ 32 MB) instead of fresh pages from the kernel for each one."""

    def __init__(self, n, tuned=False):
        env = dict(os.environ)
        if tuned:
            env["MALLOC_MMAP_THRESHOLD_"] = str(32 << 20)
            env["MALLOC_TRIM_THRESHOLD_"] = str(256 << 20)
        self.child = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--worker",
                                       str(n)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      text=True, env=env)
        self.data_mb = float(self.ask(None))

    def ask(self, command):
        if command is not None:
            self.child.stdin.write(command + "\n")
            self.child.stdin.flush()
        answer = self.child.stdout.readline()
        if not answer:
            sys.exit(f"compare.py: the numpy worker stopped (exit {self.child.wait()})")
        return answer

    def seconds(self, s):
        return float(self.ask(f"time {s}"))

    def train_peak_mb(self, epochs):
        return float(self.ask(f"train {epochs}"))

    def close(self):
        self.child.stdin.close()
        self.child.wait()


def bench_json(bench, pattern, seconds):
    command = [bench, f"--benchmark_filter={pattern}", f"--benchmark_min_time={seconds}",
               "--benchmark_format=json"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"compare.py: {bench} failed (exit {result.returncode})")
    return {b["name"].split("/")[0]: b for b in json.loads(result.stdout)["benchmarks"]}


def cpp_seconds(bench, n, seconds):
    """Seconds per epoch of the textbook and the fused C++ epochs at batch size n."""
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    b = bench_json(bench, f"^BM_(Textbook|Fast)Epoch/{n}$", seconds)
    return tuple(b[name]["real_time"] * scale[b[name]["time_unit"]]
                 for name in ("BM_TextbookEpoch", "BM_FastEpoch"))


def main():
    parser = Parser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bench", nargs="?", help="the bench_epoch program")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of interleaved timings")
    parser.add_argument("--sizes", default="200,1000,10000", help="batch sizes N")
    parser.add_argument("--seconds", type=float, default=0.3,
                        help="seconds of epochs per measurement and side")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return 0
    try:
        sizes = [int(s) for s in args.sizes.split(",")]
    except ValueError:
        bad_input(f"--sizes {args.sizes}: expected whole numbers separated by commas")
    if not sizes or min(sizes) < 1 or max(sizes) > 100000:
        bad_input(f"--sizes {args.sizes}: each N must be from 1 to 100000")
    if not 1 <= args.rounds <= 100 or not 0 < args.seconds <= 60:
        bad_input("--rounds must be from 1 to 100 and --seconds above 0 and at most 60")
    if args.bench is None or not os.access(args.bench, os.X_OK):
        bad_input(f"{args.bench} is not a program (build the target bench_epoch)")

    print(f"numpy {np.__version__} (python {sys.version.split()[0]}) against the C++ epoch, "
          f"H = {HIDDEN}, one thread, double; {args.rounds} rounds of {args.seconds} s per "
          "measurement, the sides interleaved.")
    print("numpy runs as a script would: one process per batch size, glibc's allocator as it "
          "comes; \"numpy*\" is the same with the allocator tuned to keep temporaries in its "
          "heap (MALLOC_MMAP_THRESHOLD_=32 MB).")
    print("Per round, milliseconds per epoch:")
    numpy = {n: Numpy(n) for n in sizes}
    tuned = {n: Numpy(n, tuned=True) for n in sizes}
    ms = {n: {"numpy": [], "numpy*": [], "textbook": [], "fused": []} for n in sizes}
    ratio = {n: {"numpy": [], "numpy*": [], "textbook": []} for n in sizes}
    for r in range(args.rounds):
        for n in sizes:
            t_np = numpy[n].seconds(args.seconds)
            t_text, t_fast = cpp_seconds(args.bench, n, args.seconds)
            t_tuned = tuned[n].seconds(args.seconds)
            for key, t in (("numpy", t_np), ("numpy*", t_tuned), ("textbook", t_text),
                           ("fused", t_fast)):
                ms[n][key].append(t * 1e3)
            ratio[n]["numpy"].append(t_np / t_fast)
            ratio[n]["numpy*"].append(t_tuned / t_fast)
            ratio[n]["textbook"].append(t_np / t_text)
            print(f"  round {r + 1}  N = {n:<6} numpy {t_np * 1e3:8.3f}  numpy* {t_tuned * 1e3:8.3f}"
                  f"  C++ textbook {t_text * 1e3:8.3f}  C++ fused {t_fast * 1e3:7.3f}", flush=True)

    med = statistics.median
    print()
    print("Medians over the rounds (ms per epoch; ratios taken round by round, then the median):")
    print(f"  {'N':>6} {'numpy':>8} {'numpy*':>8} {'textbook':>9} {'fused':>8}   "
          f"{'numpy/textbook':>14} {'numpy/fused':>11} {'numpy*/fused':>12}   target: numpy/fused ≥ {TARGET:g}")
    met = True
    for n in sizes:
        fast = med(ratio[n]["numpy"])
        ok = fast >= TARGET
        met = met and ok
        print(f"  {n:>6} {med(ms[n]['numpy']):8.3f} {med(ms[n]['numpy*']):8.3f} "
              f"{med(ms[n]['textbook']):9.3f} {med(ms[n]['fused']):8.3f}   "
              f"{med(ratio[n]['textbook']):13.2f}× {fast:10.2f}× {med(ratio[n]['numpy*']):11.2f}×   "
              f"{'met' if ok else 'MISSED'}")

    n = max(sizes)
    nh_mb = n * HIDDEN * 8 / 1e6
    print()
    print(f"Peak resident memory at N = {n} (MB; one N×H matrix of doubles is {nh_mb:.1f} MB): "
          "the process holding the data, then after 3 or more epochs.")
    rows = [("numpy", numpy[n].data_mb, numpy[n].train_peak_mb(3))]
    rows.append(("numpy*", tuned[n].data_mb, tuned[n].train_peak_mb(3)))
    if n in (200, 1000, 10000):
        # One process per case: the peak is the process's high-water mark.
        peak = {name: bench_json(args.bench, f"^BM_{name}/{n}$", 0.01)[f"BM_{name}"]["peak_MB"]
                for name in ("Data", "TextbookEpoch", "FastEpoch")}
        rows.append(("C++ textbook", peak["Data"], peak["TextbookEpoch"]))
        rows.append(("C++ fused", peak["Data"], peak["FastEpoch"]))
    for name, data, peak in rows:
        print(f"  {name:<13} data {data:7.1f}   training {peak:7.1f}   the epoch's own "
              f"{peak - data:6.1f} MB = {(peak - data) / nh_mb:4.1f} N×H matrices")
    for w in list(numpy.values()) + list(tuned.values()):
        w.close()
    print()
    print("Every ratio numpy/fused met the target." if met else
          "A ratio numpy/fused missed the target (on a busy machine, run it again: "
          "bench/README.md).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
