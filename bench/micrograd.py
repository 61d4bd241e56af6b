"""A scalar autograd engine of micrograd's design, for bench/compare.ts.

One Value per scalar, one closure per op (its _backward), and a topological sort before the
backward pass, as in Karpathy's micrograd (engine.py, nn.py), written here for the comparison.
One deliberate difference: a node keeps its inputs in a tuple, in order, where micrograd keeps a
set. A set's iteration order depends on object ids, so gradients would be summed in a different
order from run to run; a tuple makes the sums come out in the same order as stepgrad's.

Protocol: reads one JSON object on stdin
    {"X": [[x0, x1], ...], "y": [1 | -1, ...], "sizes": [2, 16, 16, 1],
     "initial": [initial values, layer by layer, neuron by neuron, weights then bias],
     "alpha": 1e-4, "steps": 100, "timed_steps": 100}
runs micrograd's demo loop (max-margin loss + alpha * L2, SGD with lr = 1.0 - 0.9*k/100) and
prints one JSON object: {"losses": [the loss at each step], "seconds": [time of each timed step]}.
Only the first `timed_steps` steps are timed, but all `steps` are run, so the losses can be
checked to the end.
"""

import json
import sys
import time


class Value:
    """Stores a single scalar value and its gradient."""

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0
        self._backward = lambda: None
        self._prev = _children  # a tuple, in order (micrograd: a set)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def relu(self):
        out = Value(0 if self.data < 0 else self.data, (self,), "ReLU")

        def _backward():
            self.grad += (out.data > 0) * out.grad

        out._backward = _backward
        return out

    def backward(self):
        topo = []
        visited = set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        self.grad = 1
        for v in reversed(topo):
            v._backward()

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rmul__(self, other):
        return self * other


class Neuron:
    def __init__(self, weights, bias, nonlin=True):
        self.w = [Value(w) for w in weights]
        self.b = Value(bias)
        self.nonlin = nonlin

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self):
        return self.w + [self.b]


class Layer:
    def __init__(self, neurons):
        self.neurons = neurons

    def __call__(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]


class MLP:
    def __init__(self, sizes, flat):
        """Builds the layers from a flat list of initial values (weights then bias per neuron)."""
        it = iter(flat)
        self.layers = []
        for k in range(len(sizes) - 1):
            nin, nout = sizes[k], sizes[k + 1]
            neurons = []
            for _ in range(nout):
                w = [next(it) for _ in range(nin)]
                b = next(it)
                neurons.append(Neuron(w, b, nonlin=k != len(sizes) - 2))
            self.layers.append(Layer(neurons))

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0


def main():
    job = json.load(sys.stdin)
    X, y, alpha = job["X"], job["y"], job["alpha"]
    model = MLP(job["sizes"], job["initial"])
    losses, seconds = [], []
    for k in range(job["steps"]):
        start = time.perf_counter()
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        data_losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
        data_loss = sum(data_losses) * (1.0 / len(data_losses))
        reg_loss = alpha * sum((p * p for p in model.parameters()))
        total_loss = data_loss + reg_loss
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        if k < job["timed_steps"]:
            seconds.append(time.perf_counter() - start)
        losses.append(total_loss.data)
    json.dump({"losses": losses, "seconds": seconds}, sys.stdout)


if __name__ == "__main__":
    main()
