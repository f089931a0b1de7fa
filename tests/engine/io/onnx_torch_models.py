#!/usr/bin/python3
"""Writes ONNX models the way other tools write them, for tests/engine/test_onnx.cpp to import.

    onnx_torch_models.py OUTDIR

OUTDIR/inputs.csv      raw inputs, one sample per row (5 features)
OUTDIR/NAME.onnx       a model
OUTDIR/NAME.expected.csv  its class probabilities on inputs.csv, computed by the tool that wrote it
OUTDIR/manifest.txt    one line per model: NAME ACTIVATION BATCH_NORM(0|1) PREPROCESS WIDTHS

Models:
- torch_*: torch.onnx.export (opset 13) of nn.Sequential(Linear, [BatchNorm1d], activation,
  Dropout, ..., Linear, Softmax) for every activation, with and without a standardizing first
  module; only when torch is installed.
- helper_matmul: written with onnx.helper in the other layouts the importer accepts: Sub/Div
  preprocessing, MatMul + Add, Gemm with transB=0 and W [in, out], float_data initializers,
  Constant nodes, Dropout with a ratio input, Identity, and logits without Softmax.
Exit status 77 when onnx or numpy is missing.
"""
import os
import sys

try:
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
except ImportError as error:
    print(f"missing module: {error}")
    sys.exit(77)

FEATURES, WIDTHS, CLASSES, SAMPLES = 5, (7, 6), 3, 16


def save_csv(path, a):
    np.savetxt(path, np.asarray(a, dtype=np.float64), delimiter=",", fmt="%.9g")


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def torch_models(outdir, x, manifest):
    try:
        import torch
    except ImportError:
        print("torch not installed: only the onnx.helper models")
        return
    torch.manual_seed(0)

    class Standardize(torch.nn.Module):
        def __init__(self, mean, scale):
            super().__init__()
            self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
            self.register_buffer("scale", torch.tensor(scale, dtype=torch.float32))

        def forward(self, v):
            return (v - self.mean) * self.scale

    activations = {
        "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid, "relu": torch.nn.ReLU,
        "leaky_relu": lambda: torch.nn.LeakyReLU(0.2), "elu": lambda: torch.nn.ELU(0.7),
        "selu": torch.nn.SELU, "gelu": torch.nn.GELU, "linear": None,
    }
    for k, (name, make) in enumerate(activations.items()):
        for batch_norm in (False, True):
            standardize = (k + batch_norm) % 2 == 0
            layers = []
            if standardize:
                layers.append(Standardize(x.mean(axis=0), 1.0 / x.std(axis=0)))
            fan_in = FEATURES
            for width in WIDTHS:
                layers.append(torch.nn.Linear(fan_in, width))
                if batch_norm:
                    # eps 1e-3 (Keras' default), not LayerScope's 1e-5: the importer must adapt.
                    bn = torch.nn.BatchNorm1d(width, eps=1e-3)
                    with torch.no_grad():
                        bn.running_mean.normal_(0.0, 0.3)
                        bn.running_var.uniform_(0.5, 1.5)
                        bn.weight.normal_(1.0, 0.2)
                        bn.bias.normal_(0.0, 0.1)
                    layers.append(bn)
                if make is not None:
                    layers.append(make())
                layers.append(torch.nn.Dropout(0.1))
                fan_in = width
            layers.append(torch.nn.Linear(fan_in, CLASSES))
            layers.append(torch.nn.Softmax(dim=1))
            model = torch.nn.Sequential(*layers).eval()
            model_name = f"torch_{name}{'_bn' if batch_norm else ''}"
            path = os.path.join(outdir, model_name + ".onnx")
            torch.onnx.export(model, torch.zeros(2, FEATURES), path, opset_version=13,
                              input_names=["x"], output_names=["probabilities"],
                              dynamic_axes={"x": {0: "batch"}, "probabilities": {0: "batch"}})
            with torch.no_grad():
                expected = model(torch.tensor(x)).double().numpy()
            save_csv(os.path.join(outdir, model_name + ".expected.csv"), expected)
            manifest.append(f"{model_name} {name} {int(batch_norm)} "
                            f"{'standardize' if standardize else 'none'} "
                            f"{','.join(map(str, WIDTHS))}")


def helper_model(outdir, x, manifest):
    rng = np.random.default_rng(1)
    mean = x.mean(axis=0).astype(np.float32)
    std = x.std(axis=0).astype(np.float32)
    w1 = rng.normal(0, 0.5, (FEATURES, 4)).astype(np.float32)   # [in, out] for MatMul
    b1 = rng.normal(0, 0.1, 4).astype(np.float32)
    w2 = rng.normal(0, 0.5, (4, 9)).astype(np.float32)           # [in, out], Gemm transB=0
    b2 = rng.normal(0, 0.1, 9).astype(np.float32)
    w3 = rng.normal(0, 0.5, (CLASSES, 9)).astype(np.float32)     # [out, in], Gemm transB=1
    b3 = rng.normal(0, 0.1, CLASSES).astype(np.float32)

    def float_data(name, a):  # float_data instead of raw_data
        return helper.make_tensor(name, TensorProto.FLOAT, a.shape, a.flatten().tolist())

    nodes = [
        helper.make_node("Constant", [], ["mean"], value=numpy_helper.from_array(mean)),
        helper.make_node("Sub", ["x", "mean"], ["centered"], name="center"),
        helper.make_node("Div", ["centered", "std"], ["standardized"], name="scale"),
        helper.make_node("MatMul", ["standardized", "w1"], ["mm1"], name="fc1/MatMul"),
        helper.make_node("Add", ["b1", "mm1"], ["z1"], name="fc1/Add"),
        helper.make_node("Relu", ["z1"], ["a1"], name="relu1"),
        helper.make_node("Constant", [], ["ratio"], value=numpy_helper.from_array(
            np.array(0.25, dtype=np.float32))),
        helper.make_node("Dropout", ["a1", "ratio"], ["d1"], name="dropout1"),
        helper.make_node("Gemm", ["d1", "w2", "b2"], ["z2"], name="fc2", transB=0),
        helper.make_node("Relu", ["z2"], ["a2"], name="relu2"),
        helper.make_node("Identity", ["a2"], ["i2"], name="identity2"),
        helper.make_node("Gemm", ["i2", "w3", "b3"], ["logits"], name="fc3", transB=1),
    ]
    graph = helper.make_graph(
        nodes, "helper_matmul",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", FEATURES])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["n", CLASSES])],
        [float_data("std", std), float_data("w1", w1), float_data("b1", b1),
         float_data("w2", w2), float_data("b2", b2), float_data("w3", w3), float_data("b3", b3)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, os.path.join(outdir, "helper_matmul.onnx"))
    h = (x - mean) / std
    h = np.maximum(h @ w1 + b1, 0)
    h = np.maximum(h @ w2 + b2, 0)
    save_csv(os.path.join(outdir, "helper_matmul.expected.csv"), softmax(h @ w3.T + b3))
    manifest.append("helper_matmul relu 0 standardize 4,9")


def main(outdir):
    # Raw features with non-zero means and unequal scales, so preprocessing matters.
    rng = np.random.default_rng(0)
    x = (rng.normal(0, 1, (SAMPLES, FEATURES)) * [1, 2, 0.5, 3, 1] + [0.5, -1, 2, 0, 3])
    x = x.astype(np.float32)
    save_csv(os.path.join(outdir, "inputs.csv"), x)
    manifest = []
    helper_model(outdir, x, manifest)
    torch_models(outdir, x, manifest)
    with open(os.path.join(outdir, "manifest.txt"), "w") as f:
        f.write("\n".join(manifest) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
