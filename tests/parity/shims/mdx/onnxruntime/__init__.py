"""Shim: onnxruntime.InferenceSession as an interpreter of the ONNX file's own graph, node by node, in torch fp32.

It runs exactly the file the C# side gives ONNX Runtime (initializers and nodes read with python3-onnx), for the
few operators the random-weight parity model uses; any other operator stops with its name. Debian has no
onnxruntime package."""
import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper

__version__ = "shim"

RUN_CALLS = []   # the shape of every input run() was given, for the reference's record of chunks


def get_available_providers():
    return ["CPUExecutionProvider"]


class SessionOptions:
    def __init__(self):
        self.log_severity_level = 2


class _Arg:
    def __init__(self, name):
        self.name = name


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _conv(x, w, b, a):
    pads = list(a.get("pads", [0] * 4))
    if pads[:2] != pads[2:]:
        raise NotImplementedError(f"onnxruntime shim: asymmetric Conv pads {pads}")
    return F.conv2d(x, w, b, stride=tuple(a.get("strides", [1, 1])), padding=tuple(pads[:2]),
                    dilation=tuple(a.get("dilations", [1, 1])), groups=a.get("group", 1))


_OPS = {
    "Conv": lambda ins, a: _conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a),
    "Tanh": lambda ins, a: torch.tanh(ins[0]),
    "Sigmoid": lambda ins, a: torch.sigmoid(ins[0]),
    "Relu": lambda ins, a: torch.relu(ins[0]),
    "Mul": lambda ins, a: ins[0] * ins[1],
    "Add": lambda ins, a: ins[0] + ins[1],
    "Sub": lambda ins, a: ins[0] - ins[1],
    "Div": lambda ins, a: ins[0] / ins[1],
}


class InferenceSession:
    def __init__(self, path, providers=None, sess_options=None):
        self._model = onnx.load(path)
        onnx.checker.check_model(self._model)
        g = self._model.graph
        self._consts = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in g.initializer}
        for node in g.node:
            if node.op_type == "Constant":
                self._consts[node.output[0]] = torch.from_numpy(numpy_helper.to_array(_attrs(node)["value"]).copy())
            elif node.op_type not in _OPS:
                raise NotImplementedError(f"onnxruntime shim: {path} uses operator {node.op_type}")

    def get_inputs(self):
        return [_Arg(i.name) for i in self._model.graph.input if i.name not in self._consts]

    def get_outputs(self):
        return [_Arg(o.name) for o in self._model.graph.output]

    def run(self, output_names, feeds):
        RUN_CALLS.append({k: tuple(v.shape) for k, v in feeds.items()})
        env = dict(self._consts)
        for name, value in feeds.items():
            env[name] = torch.from_numpy(np.ascontiguousarray(value, dtype=np.float32))
        with torch.no_grad():
            for node in self._model.graph.node:
                if node.op_type == "Constant":
                    continue
                env[node.output[0]] = _OPS[node.op_type]([env[i] for i in node.input if i], _attrs(node))
        names = output_names or [o.name for o in self._model.graph.output]
        return [env[n].numpy() for n in names]
