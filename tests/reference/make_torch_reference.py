#!/usr/bin/python3
"""Writes tests/data/torch_reference.json: PyTorch's training of LayerScope's own networks.

Regenerate (from the repository root, after building the engine tests; needs torch and numpy,
e.g. Debian's python3-torch; CI does not run this, it only reads the JSON):

    /usr/bin/python3 tests/reference/make_torch_reference.py build/tests/engine_tests

How the numbers flow, so that both frameworks compute from the very same inputs:
1. This script makes a small data set (numpy, fixed seed) and the cases below, each a
   LayerScope experiment in the experiment-file format (engine/io/experiment_file.h).
2. It runs the engine's test TorchReference.DISABLED_WriteEngineRuns
   (tests/engine/training/test_torch_reference.cpp), which trains each case for STEPS steps with
   LayerScope's Trainer and writes what PyTorch cannot draw itself: LayerScope's initial
   parameters, the batch of every step (sample indices, LayerScope's shuffling) and every
   dropout mask (LayerScope's random stream).
3. It builds the same network in PyTorch (Linear -> [BatchNorm1d] -> activation -> [dropout]
   per hidden layer, then Linear; F.cross_entropy; torch.optim.SGD / Adam), copies LayerScope's
   initial parameters into it and trains on the same batches. Dropout is the one place where
   torch's own module is not used: nn.Dropout would draw its own Bernoulli mask, so the model
   multiplies by LayerScope's recorded 0/1 mask divided by (1 - p), which is exactly the
   arithmetic of torch's dropout (mask.div_(1 - p), then input * mask) with the mask given
   instead of drawn. What this checks is therefore the dropout *scaling and gradient*, not the
   random draw. L2 / L1 are added to the loss as LayerScope defines them
   (l2 * sum W^2 + l1 * sum |W|, weights only) and torch's autograd differentiates them.
4. It writes, per case, the experiment, the layout and initial parameters, the batches and
   masks, and PyTorch's per-step data loss (without the regularization term, as LayerScope
   reports it), final parameters (in LayerScope's buffer order) and batch-norm running
   statistics. The test TorchReference.TrainingMatchesPyTorch replays and compares.
It prints the differences between LayerScope's and PyTorch's numbers as it goes.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "..", "data", "torch_reference.json")
STEPS = 10
FEATURES, CLASSES, SAMPLES = 4, 3, 30  # 30 samples, batch 8: every 4th batch is short (6)


def experiment(name, activation, init, batch_norm, dropout, optimizer, lr, l2=0.0, l1=0.0):
    return {
        "name": name,
        "experiment": {
            "format": "layerscope-experiment",
            "version": 1,
            "name": name,
            "data": {"preprocess": "none", "validation_fraction": 0.0, "test_fraction": 0.0},
            "model": {"widths": [8, 6], "activation": activation, "init": init,
                      "batch_norm": batch_norm, "dropout": dropout},
            "train": {"optimizer": optimizer, "lr": lr, "momentum": 0.9, "beta1": 0.9,
                      "beta2": 0.999, "epsilon": 1e-8, "l2": l2, "l1": l1, "batch_size": 8,
                      "steps": STEPS, "seed": 7, "threads": 1},
            "stats": {"stats_every": 0},
        },
    }


CASES = [
    experiment("plain_sgd", "tanh", "xavier_normal", False, 0.0, "sgd", 0.1),
    experiment("plain_momentum_l2", "tanh", "xavier_normal", False, 0.0, "momentum", 0.05, l2=1e-3),
    experiment("plain_adam", "tanh", "xavier_normal", False, 0.0, "adam", 0.01),
    experiment("bn_dropout_sgd", "relu", "he_normal", True, 0.25, "sgd", 0.1),
    experiment("bn_dropout_nesterov_l1", "relu", "he_normal", True, 0.25, "nesterov", 0.05, l1=1e-3),
    experiment("bn_dropout_adam_l2", "relu", "he_normal", True, 0.25, "adam", 0.01, l2=1e-3),
]


def f32(values):
    """float32 values as the shortest decimal that reads back as the same float32."""
    return [float(f"{v:.9g}") for v in np.asarray(values, dtype=np.float32).ravel()]


def make_data():
    rs = np.random.RandomState(20240607)
    centers = rs.normal(0.0, 1.0, size=(CLASSES, FEATURES))
    y = rs.randint(0, CLASSES, size=SAMPLES)
    x = (centers[y] + rs.normal(0.0, 1.0, size=(SAMPLES, FEATURES))).astype(np.float32)
    return {"features": FEATURES, "classes": CLASSES,
            "x": [f32(row) for row in x], "y": [int(v) for v in y]}


def engine_runs(engine_tests, data):
    with tempfile.TemporaryDirectory() as tmp:
        cases_path = os.path.join(tmp, "cases.json")
        runs_path = os.path.join(tmp, "runs.json")
        with open(cases_path, "w") as f:
            json.dump({"steps": STEPS, "data": data, "cases": CASES}, f)
        env = dict(os.environ, LAYERSCOPE_TORCH_REFERENCE_CASES=cases_path,
                   LAYERSCOPE_TORCH_REFERENCE_RUNS=runs_path)
        subprocess.run([engine_tests, "--gtest_also_run_disabled_tests",
                        "--gtest_filter=TorchReference.DISABLED_WriteEngineRuns"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        with open(runs_path) as f:
            return json.load(f)["runs"]


class Net(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        widths = model["widths"]
        sizes = [FEATURES] + widths
        self.linears = torch.nn.ModuleList(
            torch.nn.Linear(a, b) for a, b in zip(sizes, widths + [CLASSES]))
        # LayerScope's batch norm: eps 1e-5, momentum 0.1 (engine/model/layers/batch_norm.h).
        self.norms = torch.nn.ModuleList(
            torch.nn.BatchNorm1d(w, eps=1e-5, momentum=0.1) for w in widths) \
            if model["batch_norm"] else None
        self.activation = {"tanh": torch.tanh, "relu": torch.relu}[model["activation"]]
        self.p = model["dropout"]

    def forward(self, x, masks):
        h = x
        for l, linear in enumerate(self.linears[:-1]):
            h = linear(h)
            if self.norms is not None:
                h = self.norms[l](h)
            h = self.activation(h)
            if self.p > 0:
                # torch's dropout with LayerScope's mask: mask.div_(1 - p), then input * mask.
                h = h * masks[l].div_(1 - self.p)
        return self.linears[-1](h)


def blocks(net, layout):
    """(tensor, rows, cols, offset, transpose) per LayerScope parameter block, in buffer order.
    LayerScope's W is (out, in) column-major, so its buffer is W^T row-major."""
    dense = iter(net.linears)
    norm = iter(net.norms) if net.norms is not None else iter(())
    current = None
    for b in layout:
        if b["name"] == "W":
            current = next(dense)
            yield current.weight, b
        elif b["name"] == "b":
            yield current.bias, b
        elif b["name"] == "gamma":
            current = next(norm)
            yield current.weight, b
        elif b["name"] == "beta":
            yield current.bias, b
        else:
            raise ValueError(f"unknown parameter {b['name']}")


def set_parameters(net, layout, flat):
    flat = np.asarray(flat, dtype=np.float32)
    with torch.no_grad():
        for tensor, b in blocks(net, layout):
            segment = flat[b["offset"]:b["offset"] + b["rows"] * b["cols"]]
            if b["name"] == "W":
                segment = segment.reshape(b["cols"], b["rows"]).T  # column-major (out, in)
            tensor.copy_(torch.from_numpy(np.ascontiguousarray(segment)).reshape(tensor.shape))


def get_parameters(net, layout):
    size = sum(b["rows"] * b["cols"] for b in layout)
    flat = np.zeros(size, dtype=np.float32)
    for tensor, b in blocks(net, layout):
        values = tensor.detach().numpy()
        if b["name"] == "W":
            values = values.T  # back to column-major (out, in)
        flat[b["offset"]:b["offset"] + b["rows"] * b["cols"]] = values.ravel()
    return flat


def optimizer_for(net, train):
    name, lr = train["optimizer"], train["lr"]
    if name == "sgd":
        return torch.optim.SGD(net.parameters(), lr=lr)
    if name in ("momentum", "nesterov"):
        return torch.optim.SGD(net.parameters(), lr=lr, momentum=train["momentum"],
                               nesterov=name == "nesterov")
    if name == "adam":
        return torch.optim.Adam(net.parameters(), lr=lr, betas=(train["beta1"], train["beta2"]),
                                eps=train["epsilon"])
    raise ValueError(name)


def train_torch(case, run, data):
    model, train = case["experiment"]["model"], case["experiment"]["train"]
    net = Net(model)
    net.train()
    set_parameters(net, run["layout"], run["initial_parameters"])
    optimizer = optimizer_for(net, train)
    x_all = torch.tensor(data["x"], dtype=torch.float32)
    y_all = torch.tensor(data["y"], dtype=torch.int64)
    losses = []
    for step in range(STEPS):
        batch = run["batches"][step]
        x, y = x_all[batch], y_all[batch]
        masks = [torch.tensor([float(c) for c in m], dtype=torch.float32).reshape(len(batch), -1)
                 for m in run["masks"][step]]
        optimizer.zero_grad()
        loss = F.cross_entropy(net(x, masks), y)
        total = loss
        for linear in net.linears:  # weights only, as LayerScope (engine/model/network.h)
            if train["l2"]:
                total = total + train["l2"] * linear.weight.pow(2).sum()
            if train["l1"]:
                total = total + train["l1"] * linear.weight.abs().sum()
        total.backward()
        optimizer.step()
        losses.append(loss.item())
    result = {"torch_losses": losses, "torch_final_parameters": f32(get_parameters(net, run["layout"]))}
    if net.norms is not None:
        result["torch_running_mean"] = [f32(n.running_mean) for n in net.norms]
        result["torch_running_var"] = [f32(n.running_var) for n in net.norms]
    return result


def relative(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-2)))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    torch.manual_seed(0)  # nothing here draws from it; set for the record
    torch.set_num_threads(1)
    data = make_data()
    runs = engine_runs(sys.argv[1], data)
    cases = []
    for case, run in zip(CASES, runs):
        assert case["name"] == run["name"]
        result = train_torch(case, run, data)
        print(f"{case['name']}: LayerScope vs PyTorch: max relative loss difference "
              f"{relative(run['losses'], result['torch_losses']):.2e}, parameters "
              f"{relative(run['final_parameters'], result['torch_final_parameters']):.2e} "
              f"(relative, floored at 0.01)")
        cases.append({
            "name": case["name"],
            "experiment": case["experiment"],
            "layout": run["layout"],
            "initial_parameters": f32(run["initial_parameters"]),
            "batches": run["batches"],
            "masks": run["masks"],
            **result,
        })
    reference = {
        "about": "PyTorch's training of LayerScope's networks from LayerScope's initial "
                 "parameters, batches and dropout masks; written by "
                 "tests/reference/make_torch_reference.py, read by "
                 "tests/engine/training/test_torch_reference.cpp",
        "torch": torch.__version__,
        "steps": STEPS,
        "data": data,
        "cases": cases,
    }
    with open(OUTPUT, "w") as f:
        json.dump(reference, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.normpath(OUTPUT)} ({os.path.getsize(OUTPUT)} bytes)")


if __name__ == "__main__":
    main()
