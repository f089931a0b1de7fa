#!/usr/bin/python3
"""Writes the broken-input corpus next to this script: tests/data/broken/{csv,idx,gzip,json,run,onnx}.

Run with Debian's /usr/bin/python3 (needs python3-onnx only for broken/onnx). The files are
checked in; rerun after adding a case. Naming conventions read by
tests/engine/test_broken_inputs.cpp:
  *.L<n>.*      the error message must name line <n> ("PATH:<n>:")
  idx: *-images* is read with a valid 3-image labels file, *-labels* with a valid 3x2x2 images
       file, unless a sibling with the other word exists (then the two are read as a pair).
Files that need odd names or sizes (non-UTF-8 names, > 16 MiB) are made by the test itself.
"""
import gzip
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def put(sub, name, data):
    path = os.path.join(HERE, sub, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)


def gz(data):
    return gzip.compress(data, mtime=0)


# ---------------------------------------------------------------- csv
csv = {
    "empty.csv": b"",
    "blank_lines_only.csv": b"\n\n  \n\t\n",
    "bom_only.csv": b"\xef\xbb\xbf",
    "one_column.L1.csv": b"x\n1\n2\n",
    "one_column_numbers.L1.csv": b"1\n2\n3\n",
    "header_only.csv": b"a,b,label\n",
    "nan_value.L3.csv": b"a,b,label\n1,2,0\nnan,2,1\n",
    "NaN_upper.L2.csv": b"1,2,0\nNaN,2,1\n",
    "inf_value.L2.csv": b"a,b,label\n1,inf,0\n",
    "minus_infinity.L3.csv": b"a,b,label\n1,2,0\n1,-infinity,1\n",
    "huge_1e400.L2.csv": b"a,b,label\n1e400,2,0\n",
    "huge_negative_1e400.L3.csv": b"1,2,0\n3,4,1\n-1e400,2,0\n",
    "over_float_1e39.L2.csv": b"a,b,label\n1e39,2,0\n",
    "not_a_number.L2.csv": b"a,b,label\n1,two,0\n",
    "hex_number.L2.csv": b"a,b,label\n0x10,2,0\n",
    "plus_minus.L2.csv": b"a,b,label\n+-1,2,0\n",
    "double_sign.L2.csv": b"a,b,label\n--1,2,0\n",
    "ragged_short.L3.csv": b"a,b,label\n1,2,0\n1,0\n",
    "ragged_long.L4.csv": b"a,b,label\n1,2,0\n3,4,1\n1,2,3,0\n",
    "empty_field.L2.csv": b"a,b,label\n1,,0\n",
    "empty_label.L3.csv": b"a,b,label\n1,2,0\n1,2,\n",
    "unterminated_quote.L2.csv": b"a,b,label\n\"1,2,0\n",
    "unterminated_quote_header.L1.csv": b"\"a,b,label\n1,2,0\n",
    "label_index_too_large.L3.csv": b"a,b,label\n1,2,0\n1,2,99999999999\n",
    "label_index_over_limit.L2.csv": b"a,b,label\n1,2,1048576\n",
    "non_utf8_feature.L2.csv": b"a,b,label\n\xff\xfe,2,0\n",
    "non_utf8_header_then_bad.L2.csv": b"\xc3\x28,b,label\n1,\x80,0\n",
    "nul_bytes.L2.csv": b"a,b,label\n1\x00,2,0\n",
    "binary_garbage.csv": bytes(range(256)) * 4,
    "utf16_le.csv": "a,b,label\n1,2,0\n".encode("utf-16"),
    "decimal_comma_in_comma_file.L2.csv": b"a,b,label\n1,5,2,0\n",
    "semicolon_bad_number.L2.csv": b"a;b;label\n1,5;2;0\n",
    "tabs_nan.L2.csv": b"a\tb\tlabel\nnan\t2\t0\n",
    "cr_only_line_endings.csv": b"a,b,label\r1,2,0\r3,x,1\r",
    "truncated.csv.gz": None,  # filled below
    "bad_crc.csv.gz": None,  # filled below
    "gzip_header_only.csv.gz": gz(b"a,b,label\n1,2,0\n")[:10],
}
good = gz(b"a,b,label\n1,2,0\n3,4,1\n")
crc = bytearray(good)
crc[-8] ^= 0xFF
csv["bad_crc.csv.gz"] = bytes(crc)
rows = gz(b"a,b,label\n" + b"".join(b"%d,%d,%d\n" % (i, i * 7, i % 3) for i in range(2000)))
csv["truncated.csv.gz"] = rows[: len(rows) // 2]
# A very long line of numbers and one bad value at the end: a parser must not give up silently.
csv["long_line_bad_tail.L2.csv"] = (",".join(["f%d" % i for i in range(5000)]) + ",label\n" +
                                    ",".join(["1"] * 5000) + ",0,9\n").encode()
for name, data in csv.items():
    put("csv", name, data)

# ---------------------------------------------------------------- idx
def be(*words):
    return struct.pack(">" + "I" * len(words), *words)


IMAGES, LABELS = 0x00000803, 0x00000801
img3 = be(IMAGES, 3, 2, 2) + bytes(range(12))
lab3 = be(LABELS, 3) + bytes([0, 1, 2])
idx = {
    "empty-images": b"",
    "empty-labels": b"",
    "three_bytes-images": b"\x00\x00\x08",
    "wrong_magic-images": be(0x00000802, 3, 2, 2) + bytes(12),
    "labels_magic_as-images": lab3,
    "images_magic_as-labels": img3,
    "float_type_magic-images": be(0x00000D03, 3, 2, 2) + bytes(48),
    "ascii_text-labels": b"this is not an idx file\n",
    "truncated_header-images": be(IMAGES, 3)[:6],
    "truncated_header_dims-images": be(IMAGES, 3, 2),
    "claims_2e31_images-images": be(IMAGES, 1 << 31, 28, 28) + bytes(784),
    "claims_2e32m1_images-images": be(IMAGES, 0xFFFFFFFF, 1, 1) + bytes(3),
    "claims_2e31_labels-labels": be(LABELS, 1 << 31) + bytes(3),
    "claims_2e32m1_labels-labels": be(LABELS, 0xFFFFFFFF) + bytes(3),
    "huge_image_size-images": be(IMAGES, 3, 65536, 65536) + bytes(12),
    "max_dims-images": be(IMAGES, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF),
    "zero_rows-images": be(IMAGES, 3, 0, 2),
    "zero_cols-images": be(IMAGES, 3, 2, 0),
    "count_mismatch4-images": be(IMAGES, 4, 2, 2) + bytes(16),
    "count_mismatch2-labels": be(LABELS, 2) + bytes([0, 1]),
    "truncated_pixels-images": be(IMAGES, 3, 2, 2) + bytes(11),
    "truncated_labels-labels": be(LABELS, 3) + bytes([0, 1]),
    "trailing_bytes-images": img3 + b"\x00",
    "trailing_bytes-labels": lab3 + b"junk",
    "truncated-images.gz": gz(be(IMAGES, 3, 2, 2) + bytes(range(12)))[:-12],
    "truncated_deflate-labels.gz": gz(be(LABELS, 3000) + bytes(3000))[:30],
    "gzip_of_wrong_magic-images.gz": gz(be(0x12345678, 3, 2, 2) + bytes(12)),
    # A pair that agrees and is empty: zero images is still no data set.
    "zero_count-images": be(IMAGES, 0, 2, 2),
    "zero_count-labels": be(LABELS, 0),
}
bad_crc = bytearray(gz(img3))
bad_crc[-8] ^= 0x55
idx["bad_crc-images.gz"] = bytes(bad_crc)
bad_isize = bytearray(gz(lab3))
bad_isize[-1] ^= 0x01
idx["bad_isize-labels.gz"] = bytes(bad_isize)
for name, data in idx.items():
    put("idx", name, data)

# ---------------------------------------------------------------- gzip (readWholeFile)
payload = b"".join(b"%d,%d,%d\n" % (i, i * 7 % 13, i % 3) for i in range(3000))
full = gz(payload)
corrupt = bytearray(full)
corrupt[len(corrupt) // 2] ^= 0xFF
gzips = {
    "header_only.gz": full[:10],
    "magic_only.gz": b"\x1f\x8b",
    "truncated_half.gz": full[: len(full) // 2],
    "truncated_trailer.gz": full[:-4],
    "corrupt_deflate.gz": bytes(corrupt),
    "bad_method.gz": b"\x1f\x8b\x07" + full[3:],
    "reserved_flags.gz": full[:3] + b"\xe0" + full[4:],
    "garbage_after_header.gz": full[:10] + b"\xff" * 64,
    "bad_crc.gz": full[:-8] + bytes(b ^ 0xA5 for b in full[-8:-4]) + full[-4:],
    "good_then_truncated_member.gz": full + full[:40],
}
for name, data in gzips.items():
    put("gzip", name, data)

# ---------------------------------------------------------------- json (experiment files)
ok_head = '{"format": "layerscope-experiment", "version": 1'
jsons = {
    "empty.json": "",
    "whitespace_only.json": " \n\t\n",
    "null.json": "null",
    "number.json": "42",
    "string.json": '"layerscope-experiment"',
    "array.json": "[]",
    "empty_object.json": "{}",
    "wrong_format.json": '{"format": "keras-model", "version": 1}',
    "format_not_string.json": '{"format": 1}',
    "version_2.json": '{"format": "layerscope-experiment", "version": 2}',
    "version_fraction.json": '{"format": "layerscope-experiment", "version": 1.5}',
    "truncated.L3.json": ok_head + ',\n"model": {\n  "depth": ',
    "truncated_string.L2.json": ok_head + ',\n"name": "abc',
    "trailing_garbage.L2.json": ok_head + '}\n}',
    "comment.L2.json": ok_head + ',\n// depth\n"model": {}}',
    "nan_literal.L2.json": ok_head + ',\n"train": {"lr": NaN}}',
    "infinity_literal.L2.json": ok_head + ',\n"train": {"lr": Infinity}}',
    "huge_1e400_lr.json": ok_head + ',\n"train": {"lr": 1e400}}',
    "huge_negative_1e400_noise.json": ok_head + ',\n"data": {"noise": -1e400}}',
    "huge_integer_depth.json": ok_head + ', "model": {"depth": 99999999999999999999999}}',
    "int64_overflow_depth.json": ok_head + ', "model": {"depth": 9223372036854775808}}',
    "depth_over_int32.json": ok_head + ', "model": {"depth": 2147483648}}',
    "depth_fraction.json": ok_head + ', "model": {"depth": 10.5}}',
    "depth_exponent.json": ok_head + ', "model": {"depth": 1e3}}',
    "depth_string.json": ok_head + ', "model": {"depth": "10"}}',
    "seed_negative.json": ok_head + ', "train": {"seed": -1}}',
    "widths_not_array.json": ok_head + ', "model": {"widths": "100,100"}}',
    "widths_bad_item.json": ok_head + ', "model": {"widths": [100, "x"]}}',
    "unknown_key.json": ok_head + ', "model": {"lerning_rate": 0.1}}',
    "unknown_section.json": ok_head + ', "optimizer": {}}',
    "section_not_object.json": ok_head + ', "train": [1, 2]}',
    "batch_norm_as_int.json": ok_head + ', "model": {"batch_norm": 1}}',
    "non_utf8_string.L1.json": ok_head + ', "name": "caf\xe9"}',
    "non_utf8_key.L1.json": ok_head + ', "\xff\xfe": 1}',
    "overlong_utf8.L1.json": ok_head + ', "name": "\xc0\xaf"}',
    "lone_surrogate.L1.json": ok_head + ', "name": "\\ud800"}',
    "nul_byte.L1.json": ok_head + ', "name": "a\x00b"}',
    "utf16_bom.json": None,
    "deep_array_10000.json": "[" * 10000 + "]" * 10000,
    "deep_object_10000.json": '{"a":' * 10000 + "1" + "}" * 10000,
    "deep_unclosed_10000.json": "[" * 10000,
    "deep_inside_experiment.json": ok_head + ', "name": ' + "[" * 10000 + "]" * 10000 + "}",
}
jsons["utf16_bom.json"] = (ok_head + "}").encode("utf-16")
for name, data in jsons.items():
    if isinstance(data, str):
        data = data.encode("latin-1")
    put("json", name, data)

# ---------------------------------------------------------------- run (saved runs, .lsrun)
# The format is docs/RUN_FILE.md: gzip of magic, u32 version, the experiment's JSON (u32 length),
# then sections (u32 tag, u64 length, content), little-endian.
RUN_MAGIC = b"LSRUN\r\n\x1a"
RUN_EXPERIMENT = b'{"format": "layerscope-experiment", "version": 1}'


def run_head(version=1, experiment=RUN_EXPERIMENT):
    return RUN_MAGIC + struct.pack("<I", version) + struct.pack("<I", len(experiment)) + experiment


def run_section(tag, content, length=None):
    return tag + struct.pack("<Q", len(content) if length is None else length) + content


def run_histogram(bins=0, counts=b""):
    # lo, hi, non_finite, origin, width, first, underflow, overflow, zeros, fixed, robust lo/hi
    return (struct.pack("<ddQddqQQQBdd", 0, 1, 0, 0, 0.25, 0, 0, 0, 0, 0, 0, 1) +
            struct.pack("<I", bins) + counts)


def run_snapshot(layers=None, layer_count=None, resolution=0):
    head = struct.pack("<qq7dB", 10, 1, 0, 0.01, 1, 1, 0.5, 1, 0.5, 0) + struct.pack("<I", 0)
    layers = layers or []
    body = struct.pack("<I", len(layers) if layer_count is None else layer_count) + b"".join(layers)
    return head + body + struct.pack("<I", resolution)


def run_layer(histograms):
    return (struct.pack("<q", 1) + struct.pack("<I", 6) + b"hidden" + struct.pack("<q", 4) +
            struct.pack("<15dB", *([0.5] * 15), 1) + b"".join(histograms))


good_layer = run_layer([run_histogram(2, struct.pack("<II", 3, 4))] * 5)
runs = {
    "empty.lsrun": b"",
    "magic_only.lsrun": RUN_MAGIC,
    "wrong_magic.lsrun": b"LSRUM\r\n\x1a" + run_head()[8:],
    "version_3.lsrun": run_head(version=3),
    "experiment_length_4e9.lsrun": RUN_MAGIC + struct.pack("<II", 1, 4000000000),
    "experiment_not_json.lsrun": run_head(experiment=b"{not json"),
    "experiment_invalid_depth.lsrun":
        run_head(experiment=b'{"format": "layerscope-experiment", "version": 1, "model": {"depth": -3}}'),
    "unknown_section.lsrun": run_head() + run_section(b"WHAT", b""),
    "section_twice.lsrun": run_head() + run_section(b"LOSS", struct.pack("<I", 0)) * 2,
    "section_length_past_end.lsrun": run_head() + run_section(b"SNAP", struct.pack("<I", 0), 1 << 40),
    "section_length_short.lsrun": run_head() + run_section(b"LOSS", struct.pack("<Iqd", 1, 1, 2.0), 4),
    "snapshots_4e9.lsrun": run_head() + run_section(b"SNAP", struct.pack("<I", 4000000000)),
    "snapshots_more_than_bytes.lsrun": run_head() + run_section(b"SNAP", struct.pack("<I", 1000000)),
    "layers_4e9.lsrun": run_head() + run_section(b"SNAP", struct.pack("<I", 1) + run_snapshot(layer_count=4000000000)),
    "histogram_bins_4e9.lsrun": run_head() + run_section(
        b"SNAP", struct.pack("<I", 1) + run_snapshot([run_layer([run_histogram(4000000000)] * 5)])),
    "histogram_bins_past_end.lsrun": run_head() + run_section(
        b"SNAP", struct.pack("<I", 1) + run_snapshot([run_layer([run_histogram(9000)])])),
    "flag_is_7.lsrun": run_head() + run_section(
        b"SNAP", struct.pack("<I", 1) + run_snapshot([good_layer[:8 + 4 + 6 + 8 + 120] + b"\x07" +
                                                      good_layer[8 + 4 + 6 + 8 + 121:]])),
    "decision_grid_1e6_side.lsrun": run_head() + run_section(
        b"SNAP", struct.pack("<I", 1) + run_snapshot([good_layer], resolution=1000000)),
    "decision_grid_past_end.lsrun": run_head() + run_section(
        b"SNAP", struct.pack("<I", 1) + run_snapshot([good_layer], resolution=4000)),
    "negative_step.lsrun": run_head() + run_section(b"LOSS", struct.pack("<Iqd", 1, -5, 2.0)),
    "losses_4e9.lsrun": run_head() + run_section(b"LOSS", struct.pack("<I", 4000000000)),
    "point_label_out_of_range.lsrun": run_head() + run_section(
        b"PNTS", struct.pack("<qI", 2, 1) + struct.pack("<ffi", 0.5, 0.5, 7)),
    "keyframe_parameters_2e9.lsrun": run_head() + run_section(
        b"KEYF", struct.pack("<I", 1) + struct.pack("<qq", 1, 0) + struct.pack("<I", 3) + b"2 >" +
        struct.pack("<I", 2000000000) + b"\0" * 96),
    "trailing_byte.lsrun": run_head() + b"\0",
}
for name, data in runs.items():
    put("run", name, gz(data))
put("run", "not_gzip_text.lsrun", b"step,loss\n1,2.5\n")
put("run", "truncated_gzip.lsrun", gz(run_head() + run_section(b"LOSS", struct.pack("<Iqd", 1, 1, 2.0)))[:-9])

# ---------------------------------------------------------------- onnx
try:
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
except ImportError:
    print("python3-onnx missing: broken/onnx left as it is")
    raise SystemExit(0)


def tensor(name, array):
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32), name)


def model(nodes, inits, inputs=None, outputs=None, meta=None, opset=13):
    inputs = inputs if inputs is not None else [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2])]
    outputs = outputs or [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3])]
    g = helper.make_graph(nodes, "g", inputs, outputs, initializer=inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 7
    for k, v in (meta or {}).items():
        e = m.metadata_props.add()
        e.key, e.value = k, v
    return m.SerializeToString()


W1 = tensor("W1", np.ones((4, 2)) * 0.5)
B1 = tensor("B1", np.zeros(4))
W2 = tensor("W2", np.ones((3, 4)) * 0.25)
B2 = tensor("B2", np.zeros(3))
gemm1 = helper.make_node("Gemm", ["x", "W1", "B1"], ["h"], transB=1, name="fc1")
tanh = helper.make_node("Tanh", ["h"], ["a"], name="act1")
gemm2 = helper.make_node("Gemm", ["a", "W2", "B2"], ["z"], transB=1, name="fc2")
softmax = helper.make_node("Softmax", ["z"], ["y"], axis=1, name="prob")
good = model([gemm1, tanh, gemm2, softmax], [W1, B1, W2, B2])


def with_w1(t):
    return model([gemm1, tanh, gemm2, softmax], [t, B1, W2, B2])


huge = TensorProto()
huge.name, huge.data_type = "W1", TensorProto.FLOAT
huge.dims.extend([1 << 20, 1 << 19])  # 2^39 floats = 2 TiB promised, no data
neg = TensorProto()
neg.name, neg.data_type = "W1", TensorProto.FLOAT
neg.dims.extend([-4, 2])
short_raw = TensorProto()
short_raw.name, short_raw.data_type = "W1", TensorProto.FLOAT
short_raw.dims.extend([4, 2])
short_raw.raw_data = b"\x00" * 12
ext = tensor("W1", np.ones((4, 2)))
ext.data_location = TensorProto.EXTERNAL
ext.ClearField("raw_data")
e = ext.external_data.add()
e.key, e.value = "location", "weights.bin"
int_w = numpy_helper.from_array(np.ones((4, 2), dtype=np.int64), "W1")
w3d = tensor("W1", np.ones((4, 2, 1)))
zero_dim = tensor("W1", np.ones((0, 2)))
onnxs = {
    "empty.onnx": b"",
    "text.onnx": b"this is not a protobuf\n",
    "truncated_half.onnx": good[: len(good) // 2],
    "truncated_last_byte.onnx": good[:-1],
    "zeros.onnx": bytes(64),
    "ff_bytes.onnx": b"\xff" * 64,
    "no_graph.onnx": (lambda m: (m.ClearField("graph"), m.SerializeToString())[1])(
        onnx.load_from_string(good)),
    "no_nodes.onnx": model([], [W1]),
    "no_input.onnx": model([gemm1], [W1, B1], inputs=[]),
    "two_inputs.onnx": model([gemm1, tanh, gemm2], [W1, B1, W2, B2], inputs=[
        helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2]),
        helper.make_tensor_value_info("x2", TensorProto.FLOAT, ["N", 2])]),
    "int_input.onnx": model([gemm1, tanh, gemm2], [W1, B1, W2, B2], inputs=[
        helper.make_tensor_value_info("x", TensorProto.INT64, ["N", 2])]),
    "rank4_input.onnx": model([gemm1, tanh, gemm2], [W1, B1, W2, B2], inputs=[
        helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, 1, 2])]),
    "features_mismatch.onnx": model([gemm1, tanh, gemm2], [W1, B1, W2, B2], inputs=[
        helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 5])]),
    "conv_node.onnx": model([helper.make_node("Conv", ["x", "W1"], ["h"], name="conv")], [W1]),
    "weight_not_constant.onnx": model([helper.make_node("Gemm", ["x", "x"], ["h"], name="g")], []),
    "weight_huge_dims_no_data.onnx": with_w1(huge),
    "weight_negative_dims.onnx": with_w1(neg),
    "weight_raw_data_short.onnx": with_w1(short_raw),
    "weight_external_data.onnx": with_w1(ext),
    "weight_int64.onnx": with_w1(int_w),
    "weight_3d.onnx": with_w1(w3d),
    "weight_zero_rows.onnx": with_w1(zero_dim),
    "layer_shape_mismatch.onnx": model([gemm1, tanh, gemm2], [W1, B1, tensor("W2", np.ones((3, 5))), B2]),
    "bias_wrong_size.onnx": model([gemm1, tanh, gemm2], [W1, tensor("B1", np.zeros(7)), W2, B2]),
    "gemm_one_input.onnx": model([helper.make_node("Gemm", ["x"], ["h"], name="g")], []),
    "gemm_transA.onnx": model([helper.make_node("Gemm", ["x", "W1", "B1"], ["h"], transA=1, transB=1)], [W1, B1]),
    "activation_after_output.onnx": model([gemm1, tanh, gemm2, helper.make_node("Relu", ["z"], ["y"])], [W1, B1, W2, B2]),
    "mixed_activations.onnx": model([gemm1, tanh, helper.make_node("Gemm", ["a", "W1b", "B1"], ["h2"], transB=1),
                                      helper.make_node("Relu", ["h2"], ["a2"]),
                                      helper.make_node("Gemm", ["a2", "W2", "B2"], ["z"], transB=1)],
                                     [W1, B1, tensor("W1b", np.ones((4, 4))), W2, B2]),
    "softmax_no_inputs.onnx": model([gemm1, tanh, gemm2, helper.make_node("Softmax", [], ["y"], name="sm")],
                                    [W1, B1, W2, B2]),
    "softmax_axis0.onnx": model([gemm1, tanh, gemm2, helper.make_node("Softmax", ["z"], ["y"], axis=0)],
                                [W1, B1, W2, B2]),
    "node_after_softmax.onnx": model([gemm1, tanh, gemm2, softmax, helper.make_node("Relu", ["y"], ["r"])],
                                     [W1, B1, W2, B2]),
    "batchnorm_no_inputs.onnx": model([gemm1, helper.make_node("BatchNormalization", [], ["bn"], name="bn"),
                                       tanh, gemm2], [W1, B1, W2, B2]),
    "batchnorm_wrong_size.onnx": model([gemm1, helper.make_node("BatchNormalization", ["h", "g", "b", "m", "v"], ["hb"]),
                                        helper.make_node("Tanh", ["hb"], ["a"]), gemm2],
                                       [W1, B1, W2, B2] + [tensor(n, np.ones(3)) for n in "gbmv"]),
    "dropout_training_mode.onnx": model([gemm1, tanh, helper.make_node("Dropout", ["a", "ratio", "train"], ["d"]),
                                         helper.make_node("Gemm", ["d", "W2", "B2"], ["z"], transB=1)],
                                        [W1, B1, W2, B2, tensor("ratio", 0.5),
                                         numpy_helper.from_array(np.array(True), "train")]),
    "gelu_wrong_constant.onnx": model([gemm1, helper.make_node("Div", ["h", "c"], ["s"]),
                                       helper.make_node("Erf", ["s"], ["e"]), gemm2],
                                      [W1, B1, W2, B2, tensor("c", 3.0)]),
    "constant_without_value.onnx": model([helper.make_node("Constant", [], ["c"], value_int=3), gemm1],
                                         [W1, B1]),
    "experiment_metadata_1e400.onnx": model([gemm1, tanh, gemm2, softmax], [W1, B1, W2, B2],
                                            meta={"layerscope.experiment":
                                                  '{"format": "layerscope-experiment", "version": 1, '
                                                  '"train": {"lr": 1e400}}'}),
}
for name, data in onnxs.items():
    put("onnx", name, data)
# A valid model, for the fuzz seeds (not part of the broken corpus).
os.makedirs(os.path.join(HERE, "..", "..", "fuzz", "corpus", "onnx_import"), exist_ok=True)
with open(os.path.join(HERE, "..", "..", "fuzz", "corpus", "onnx_import", "tanh_2_4_3.onnx"), "wb") as f:
    f.write(good)
print("corpus written")
