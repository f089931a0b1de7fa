#!/usr/bin/python3
"""Independent reader of LayerScope's ONNX exports (used by tests/engine/test_onnx.cpp).

    onnx_reference.py MODEL INPUTS EXPECTED [MODEL INPUTS EXPECTED ...]

For each model: runs onnx.checker.check_model(full_check=True), then a float64 numpy forward
pass built only from the ONNX file (onnx.numpy_helper initializers, each node's op and
attributes as the ONNX operator specification defines them) on INPUTS (CSV, one raw sample per
row), and compares the first graph output with EXPECTED (CSV, the app's probabilities).
The checker alone would not notice a Gemm whose weights are stored transposed (docs/TOOLCHAIN.md):
the numbers do. Exit status 0 when every max abs difference is < 1e-5; 1 with a message
otherwise; 77 when onnx or numpy is missing.
"""
import math
import sys

try:
    import numpy as np
    import onnx
    from onnx import numpy_helper
except ImportError as error:  # pragma: no cover
    print(f"missing module: {error} (apt-get install python3-onnx python3-numpy)")
    sys.exit(77)

TOLERANCE = 1e-5


def attributes(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def erf(x):
    return np.vectorize(math.erf, otypes=[np.float64])(x)


def forward(model, x):
    graph = model.graph
    env = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in graph.initializer}
    feeds = [i.name for i in graph.input if i.name not in env]
    if len(feeds) != 1:
        raise ValueError(f"expected one graph input, found {feeds}")
    env[feeds[0]] = x.astype(np.float64)
    for node in graph.node:
        a = attributes(node)
        i = [env[name] if name else None for name in node.input]
        op = node.op_type
        if op == "Constant":
            y = numpy_helper.to_array(a["value"]).astype(np.float64)
        elif op in ("Identity", "Dropout"):  # Dropout is the identity at inference
            y = i[0]
        elif op == "Sub":
            y = i[0] - i[1]
        elif op == "Add":
            y = i[0] + i[1]
        elif op == "Mul":
            y = i[0] * i[1]
        elif op == "Div":
            y = i[0] / i[1]
        elif op == "MatMul":
            y = i[0] @ i[1]
        elif op == "Gemm":
            # Y = alpha A' B' + beta C (ONNX Gemm; transB=1 for W stored [out, in])
            A = i[0].T if a.get("transA", 0) else i[0]
            B = i[1].T if a.get("transB", 0) else i[1]
            y = a.get("alpha", 1.0) * (A @ B)
            if len(i) > 2 and i[2] is not None:
                y = y + a.get("beta", 1.0) * i[2]
        elif op == "BatchNormalization":
            # inference form: scale (x - mean) / sqrt(var + epsilon) + B, per channel (axis 1)
            x_, scale, bias, mean, var = i
            y = scale * (x_ - mean) / np.sqrt(var + a.get("epsilon", 1e-5)) + bias
        elif op == "Tanh":
            y = np.tanh(i[0])
        elif op == "Sigmoid":
            y = 1.0 / (1.0 + np.exp(-i[0]))
        elif op == "Relu":
            y = np.maximum(i[0], 0.0)
        elif op == "LeakyRelu":
            y = np.where(i[0] > 0, i[0], a.get("alpha", 0.01) * i[0])
        elif op == "Elu":
            alpha = a.get("alpha", 1.0)
            y = np.where(i[0] > 0, i[0], alpha * (np.exp(i[0]) - 1.0))
        elif op == "Selu":
            alpha = a.get("alpha", 1.67326319217681884765625)
            gamma = a.get("gamma", 1.05070102214813232421875)
            y = gamma * np.where(i[0] > 0, i[0], alpha * (np.exp(i[0]) - 1.0))
        elif op == "Erf":
            y = erf(i[0])
        elif op == "Softmax":
            axis = a.get("axis", -1)
            z = i[0] - i[0].max(axis=axis, keepdims=True)
            e = np.exp(z)
            y = e / e.sum(axis=axis, keepdims=True)
        else:
            raise ValueError(f"node '{node.name}': op {op} not implemented by the reference")
        env[node.output[0]] = y
    return env[graph.output[0].name]


def check(model_path, inputs_path, expected_path):
    model = onnx.load(model_path)
    onnx.checker.check_model(model, full_check=True)
    x = np.loadtxt(inputs_path, delimiter=",", dtype=np.float32, ndmin=2)
    expected = np.loadtxt(expected_path, delimiter=",", dtype=np.float64, ndmin=2)
    y = forward(model, x)
    if y.shape != expected.shape:
        return f"{model_path}: output shape {y.shape}, expected {expected.shape}"
    diff = float(np.max(np.abs(y - expected)))
    if not diff < TOLERANCE:
        return f"{model_path}: max abs difference {diff:.3g} >= {TOLERANCE}"
    print(f"{model_path}: ok (max abs difference {diff:.3g})")
    return None


def main(argv):
    if len(argv) < 4 or (len(argv) - 1) % 3 != 0:
        print(__doc__)
        return 2
    failures = []
    for k in range(1, len(argv), 3):
        try:
            failure = check(argv[k], argv[k + 1], argv[k + 2])
        except Exception as error:  # the checker's ValidationError and anything unexpected
            failure = f"{argv[k]}: {type(error).__name__}: {error}"
        if failure:
            failures.append(failure)
            print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
