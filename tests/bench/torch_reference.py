#!/usr/bin/python3
"""PyTorch / scikit-learn reference for LayerScope's benchmarks (tests/bench/bench_train.cpp).

Same flags, same networks, same repetition scheme, same JSON lines:
  --mode train    nn.Linear + Tanh/ReLU stack, CrossEntropyLoss, SGD on pre-generated gaussian
                  tensors (data generation is not timed); --serve runs one rep per stdin line
  --mode fashion  Fashion-MNIST 784-100-10 ReLU, Adam 1e-3, batch 200, 10 epochs, shuffled
  --mode sklearn  MLPClassifier(hidden_layer_sizes=(100,), solver='adam', ...) on the same data
  --mode gemm     the peer's single-GEMM rate (torch.mm, i.e. its BLAS) for one hidden layer's
                  three products: the yardstick "% of the machine's fastest GEMM" needs it

The peer at its best (docs/BENCHMARKS.md):
- Thread pools. torch.set_num_threads(T) sets ATen's OpenMP pool, but Debian's torch runs
  nn.Linear's GEMM in OpenBLAS, whose own pool ignores it and defaults to every core. Both pools
  are limited to at most T threads; with --split auto (the default) the train mode times every
  split (BLAS T + ATen 1, BLAS T + ATen T, BLAS 1 + ATen T) on a few steps and keeps the
  fastest, so two pools of T threads never oversubscribe the cores and flatter LayerScope.
- Kernel. scripts/bench starts this script with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, so
  OpenBLAS runs the kernel it detects; the "ready" and summary lines report every BLAS/OpenMP
  library loaded, its version, threads and detected architecture (threadpoolctl).
Run with /usr/bin/python3 (Debian's python3-torch, python3-threadpoolctl, python3-sklearn), or
any interpreter with torch (scripts/bench --torch-python PATH, e.g. a pip torch with MKL).
"""
import argparse
import gzip
import json
import os
import statistics
import sys
import time

TORCH_MISSING = "torch not installed: apt-get install python3-torch libopenblas0-pthread"

try:
    import torch
except ImportError:  # reported per mode: sklearn runs without torch
    torch = None


def emit(line):
    print(json.dumps(line), flush=True)  # flushed: scripts/bench reads it through a pipe


def limit_threads(threads, aten_threads=None):
    """The BLAS pool (OpenBLAS or MKL, used by torch and numpy) to `threads`, ATen's pool to
    `aten_threads` (default: the same)."""
    if torch is not None:
        torch.set_num_threads(aten_threads or threads)
    try:
        from threadpoolctl import threadpool_limits
        return threadpool_limits(limits=threads, user_api="blas")  # keep the handle alive
    except ImportError:
        import ctypes
        try:
            ctypes.CDLL("libopenblas.so.0").openblas_set_num_threads(threads)
        except OSError:
            pass
        return None


def kernel_report():
    """Every BLAS / OpenMP library loaded in this process: what it is, its version, the kernel it
    detected (OpenBLAS's "architecture", e.g. Cooperlake or a generic Prescott) and its threads."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return [{"note": "threadpoolctl not installed: apt-get install python3-threadpoolctl"}]
    keep = ("internal_api", "version", "architecture", "threading_layer", "num_threads", "filepath")
    return [{k: lib.get(k) for k in keep if lib.get(k) is not None} for lib in threadpool_info()]


def thread_splits(threads):
    """(BLAS threads, ATen threads) pairs worth trying for `threads` cores, fastest usually first."""
    splits = [(threads, 1), (threads, threads), (1, threads)]
    return list(dict.fromkeys(splits))


# --- synthetic training speed ---------------------------------------------------------------
def make_net(args):
    act = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid}[args.activation]
    layers, fan_in = [], args.features
    for _ in range(args.depth):
        layers += [torch.nn.Linear(fan_in, args.width), act()]
        fan_in = args.width
    layers.append(torch.nn.Linear(fan_in, args.classes))
    net = torch.nn.Sequential(*layers)
    # LayerScope's default initialization (xavier_normal, zero bias), so both nets see the same
    # activation statistics; the speed of a step does not depend on it.
    with torch.no_grad():
        for m in net:
            if isinstance(m, torch.nn.Linear):
                torch.nn.init.xavier_normal_(m.weight)
                m.bias.zero_()
    return net


def make_optimizer(name, params, lr):
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr)
    if name == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=0.9)
    if name == "nesterov":
        return torch.optim.SGD(params, lr=lr, momentum=0.9, nesterov=True)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr)
    raise SystemExit(f"torch_reference: unknown optimizer {name}")


def step_flops(args):
    sizes = [args.features] + [args.width] * args.depth + [args.classes]
    return sum((4 if l == 0 else 6) * args.batch * sizes[l] * sizes[l + 1]
               for l in range(len(sizes) - 1))


def run_train(args):
    if torch is None:
        print(TORCH_MISSING, flush=True)
        return 0
    handle = limit_threads(args.threads)
    torch.manual_seed(args.seed)
    net = make_net(args)
    opt = make_optimizer(args.optimizer, net.parameters(), args.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.randn(args.batch, args.features)           # (batch, features), generated once
    y = torch.randint(0, args.classes, (args.batch,))

    def steps(n):
        start = time.perf_counter()
        for _ in range(n):
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(x), y)
            loss.backward()
            opt.step()
        seconds = time.perf_counter() - start
        if not torch.isfinite(loss):
            raise SystemExit("torch_reference: the run diverged")
        return seconds

    flops = step_flops(args)
    # The split of the T threads between the BLAS pool and ATen's that runs fastest here: each
    # candidate gets a warm-up and a short timed trial; the best is kept for every repetition.
    trials = {}
    splits = thread_splits(args.threads) if args.split == "auto" else \
        [tuple(int(v) for v in args.split.split("+"))]
    trial_steps = max(3, args.steps // 3)
    for blas, aten in splits:
        del handle
        handle = limit_threads(blas, aten)
        steps(1)
        trials[f"{blas}+{aten}"] = trial_steps / steps(trial_steps)
    best = max(trials, key=trials.get)
    blas, aten = (int(v) for v in best.split("+"))
    del handle
    handle = limit_threads(blas, aten)
    desc = {"impl": "pytorch", "case": args.case or f"{args.depth}x{args.width} {args.activation} b{args.batch}",
            "depth": args.depth, "width": args.width, "features": args.features,
            "classes": args.classes, "batch": args.batch, "activation": args.activation,
            "optimizer": args.optimizer, "threads": args.threads, "torch": torch.__version__,
            "blas_threads": blas, "aten_threads": aten, "split_trials_steps_per_s": trials}

    def rep(r):
        seconds = steps(args.steps)
        emit({**desc, "bench": "train", "rep": r, "steps": args.steps, "seconds": seconds,
              "steps_per_s": args.steps / seconds, "gflops": flops * args.steps / seconds * 1e-9})
        return args.steps / seconds

    steps(args.warmup * args.steps)
    if args.serve:
        emit({**desc, "ready": True, "flops_per_step": flops, "kernels": kernel_report()})
        r = 0
        while True:
            command = sys.stdin.readline()
            if not command or command.strip() == "quit":
                break
            rep(r)
            r += 1
        return 0
    rates = [rep(r) for r in range(args.reps)]
    emit({**desc, "bench": "train", "summary": True, "steps": args.steps,
          "median_steps_per_s": statistics.median(rates), "reps_steps_per_s": rates,
          "flops_per_step": flops, "median_gflops": flops * statistics.median(rates) * 1e-9,
          "kernels": kernel_report()})
    del handle
    return 0


def run_gemm(args):
    """The peer's GEMM rate for one hidden layer of `width` at `batch`: the three products of a
    training step (forward W.X, weight gradient G.X^T, input gradient W^T.G), each timed over
    `iters` calls, median over `reps`; the same shapes and FLOP count as bench_train --mode gemm."""
    if torch is None:
        print(TORCH_MISSING, flush=True)
        return 0
    handle = limit_threads(args.threads)
    torch.manual_seed(args.seed)
    n, b = args.width, args.batch
    w, x, g = torch.randn(n, n), torch.randn(n, b), torch.randn(n, b)
    products = {"forward": lambda: torch.mm(w, x), "weight_grad": lambda: torch.mm(g, x.t()),
                "input_grad": lambda: torch.mm(w.t(), g)}
    flops_each = 2.0 * n * n * b
    rates = {name: [] for name in products}
    for f in products.values():
        f()
    for _ in range(args.reps):
        for name, f in products.items():
            start = time.perf_counter()
            for _ in range(args.iters):
                f()
            rates[name].append(flops_each * args.iters / (time.perf_counter() - start) * 1e-9)
    med = {name: statistics.median(v) for name, v in rates.items()}
    combined = 3 / sum(1 / r for r in med.values())  # three products, equal FLOPs: harmonic mean
    emit({"bench": "gemm", "summary": True, "impl": "pytorch", "threads": args.threads,
          "width": n, "batch": b, "forward_gflops": med["forward"],
          "weight_grad_gflops": med["weight_grad"], "input_grad_gflops": med["input_grad"],
          "median_gflops": combined, "torch": torch.__version__, "kernels": kernel_report()})
    del handle
    return 0


# --- Fashion-MNIST ----------------------------------------------------------------------------
def read_idx(path):
    """An IDX file (gzip): magic 0x00000803 = ubyte, 3 dims; big-endian sizes follow."""
    import numpy as np
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_fashion(directory, preprocess):
    import numpy as np
    start = time.perf_counter()
    def images(name):  # pixels / 255, as LayerScope's IDX loader
        x = read_idx(os.path.join(directory, name))
        return (x.reshape(x.shape[0], -1).astype(np.float32)) * np.float32(1 / 255)
    xtr, xte = images("train-images-idx3-ubyte.gz"), images("t10k-images-idx3-ubyte.gz")
    ytr = read_idx(os.path.join(directory, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    yte = read_idx(os.path.join(directory, "t10k-labels-idx1-ubyte.gz")).astype(np.int64)
    if preprocess == "standardize":  # fitted on train only, a constant pixel is only centered
        mean, std = xtr.mean(0), xtr.std(0)
        std[std == 0] = 1
        xtr, xte = (xtr - mean) / std, (xte - mean) / std
    elif preprocess != "none":
        raise SystemExit(f"torch_reference: unknown preprocess {preprocess}")
    return xtr, ytr, xte, yte, time.perf_counter() - start


def run_fashion(args):
    if torch is None:
        print(TORCH_MISSING, flush=True)
        return 0
    handle = limit_threads(args.threads)
    xtr, ytr, xte, yte, load_seconds = load_fashion(args.data, args.preprocess)
    xtr, ytr, xte, yte = map(torch.from_numpy, (xtr, ytr, xte, yte))
    torch.manual_seed(args.seed)
    net = torch.nn.Sequential(torch.nn.Linear(784, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10))
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = xtr.shape[0]
    start = time.perf_counter()
    for _ in range(args.epochs):
        order = torch.randperm(n)
        for i in range(0, n, args.batch):
            idx = order[i:i + args.batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
    train_seconds = time.perf_counter() - start
    with torch.no_grad():
        test_acc = (net(xte).argmax(1) == yte).float().mean().item()
        train_acc = (net(xtr).argmax(1) == ytr).float().mean().item()
    emit({"bench": "fashion", "summary": True, "impl": "pytorch", "threads": args.threads,
          "epochs": args.epochs, "steps": args.epochs * ((n + args.batch - 1) // args.batch),
          "preprocess": args.preprocess, "test_accuracy": test_acc, "train_accuracy": train_acc,
          "train_seconds": train_seconds, "load_seconds": load_seconds, "torch": torch.__version__})
    del handle
    return 0


def run_sklearn(args):
    try:
        import sklearn
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        print("scikit-learn not installed: apt-get install python3-sklearn", flush=True)
        return 0
    import warnings
    handle = limit_threads(args.threads)
    xtr, ytr, xte, yte, load_seconds = load_fashion(args.data, args.preprocess)
    clf = MLPClassifier(hidden_layer_sizes=(100,), solver="adam", learning_rate_init=args.lr,
                        batch_size=args.batch, max_iter=args.epochs, random_state=args.seed)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter=10 is the point
        clf.fit(xtr, ytr)
    train_seconds = time.perf_counter() - start
    emit({"bench": "fashion", "summary": True, "impl": "sklearn", "threads": args.threads,
          "epochs": args.epochs, "preprocess": args.preprocess,
          "test_accuracy": float(clf.score(xte, yte)), "train_accuracy": float(clf.score(xtr, ytr)),
          "train_seconds": train_seconds, "load_seconds": load_seconds,
          "sklearn": sklearn.__version__})
    del handle
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mode", default="train", choices=["train", "fashion", "sklearn", "gemm"])
    p.add_argument("--depth", type=int, default=10)
    p.add_argument("--width", type=int, default=500)
    p.add_argument("--features", type=int, default=None, help="default: = width")
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--batch", type=int, default=None, help="default: 128 (train), 200 (fashion)")
    p.add_argument("--activation", default="tanh")
    p.add_argument("--optimizer", default="sgd")
    p.add_argument("--lr", type=float, default=None, help="default: 0.01 (train), 1e-3 (fashion)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--split", default="auto",
                   help="BLAS+ATen threads, e.g. 2+1, or auto: the fastest of T+1, T+T, 1+T")
    p.add_argument("--iters", type=int, default=3, help="gemm: calls per product per rep")
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1, help="warm-up repetitions")
    p.add_argument("--serve", action="store_true")
    p.add_argument("--case", default="")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--preprocess", default="none")
    args = p.parse_args()
    if args.features is None:
        args.features = args.width
    train = args.mode == "train"
    args.batch = args.batch or (128 if train else 200)
    args.lr = args.lr if args.lr is not None else (0.01 if train else 1e-3)
    return {"train": run_train, "fashion": run_fashion, "sklearn": run_sklearn,
            "gemm": run_gemm}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
