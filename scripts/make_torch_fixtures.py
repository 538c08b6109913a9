#!/usr/bin/env python3
"""Writes the PyTorch reference fixtures the Neural tests compare against.

Run once (needs torch and safetensors): python3 scripts/make_torch_fixtures.py [case...]
(no case: all of them; naming cases rewrites only those, each from its own seed).
Output: Tests/NeuralTests/Fixtures/<case>.safetensors, each holding the inputs, parameters,
upstream gradient "dy", and PyTorch's outputs and gradients, plus the case's settings in the
metadata. The Swift tests read these files and never need Python.
"""
import os
import sys
import torch
import torch.nn.functional as F
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "NeuralTests", "Fixtures")
torch.manual_seed(1234)
torch.set_default_dtype(torch.float32)


def save(name, tensors, **meta):
    tensors = {k: v.detach().contiguous().float() for k, v in tensors.items()}
    save_file(tensors, os.path.join(OUT, name + ".safetensors"), metadata={k: str(v) for k, v in meta.items()})


def dense():
    x = torch.randn(4, 7, requires_grad=True)
    w = torch.randn(5, 7, requires_grad=True)
    b = torch.randn(5, requires_grad=True)
    y = F.linear(x, w, b)
    dy = torch.randn_like(y)
    y.backward(dy)
    save("dense", dict(x=x, weight=w, bias=b, dy=dy, y=y, dx=x.grad, dweight=w.grad, dbias=b.grad))


def conv(name, shape, cout, k, stride, padding):
    x = torch.randn(*shape, requires_grad=True)
    w = torch.randn(cout, shape[1], k, k, requires_grad=True) * 0.3
    w.retain_grad()
    b = torch.randn(cout, requires_grad=True)
    y = F.conv2d(x, w, b, stride=stride, padding=padding)
    dy = torch.randn_like(y)
    y.backward(dy)
    save(name, dict(x=x, weight=w, bias=b, dy=dy, y=y, dx=x.grad, dweight=w.grad, dbias=b.grad),
         kernel=k, stride=stride, padding=padding)


def batchnorm():
    bn = torch.nn.BatchNorm2d(3)
    with torch.no_grad():
        bn.weight.copy_(torch.rand(3) + 0.5)
        bn.bias.copy_(torch.randn(3))
    x = (torch.randn(4, 3, 5, 5) * 2 + 1).requires_grad_(True)
    y = bn(x)
    dy = torch.randn_like(y)
    y.backward(dy)
    bn.eval()
    x_eval = torch.randn(2, 3, 5, 5)
    y_eval = bn(x_eval)
    save("batchnorm", dict(x=x, weight=bn.weight, bias=bn.bias, dy=dy, y=y, dx=x.grad, dweight=bn.weight.grad,
                           dbias=bn.bias.grad, running_mean=bn.running_mean, running_var=bn.running_var,
                           x_eval=x_eval, y_eval=y_eval))


def losses():
    p = (torch.randn(6) * 2).requires_grad_(True)
    t = torch.randn(6)
    huber = F.smooth_l1_loss(p, t)
    huber.backward()
    huber_grad = p.grad.clone()
    p.grad = None
    mse = F.mse_loss(p, t)
    mse.backward()
    mse_grad = p.grad.clone()

    logits = torch.randn(3, 6, requires_grad=True)
    mask = torch.tensor([[1, 1, 0, 1, 1, 1], [0, 1, 1, 1, 0, 1], [1, 1, 1, 1, 1, 0]], dtype=torch.float32)
    target = torch.rand(3, 6) * mask
    target = target / target.sum(1, keepdim=True)
    masked = logits.masked_fill(mask == 0, float("-inf"))
    logp = F.log_softmax(masked, 1)
    ce = -(target * torch.where(mask == 1, logp, torch.zeros_like(logp))).sum(1).mean()
    ce.backward()
    save("losses", dict(prediction=p, target=t, huber=huber.reshape(1), huber_grad=huber_grad, mse=mse.reshape(1),
                        mse_grad=mse_grad, logits=logits, mask=mask, policy_target=target, ce=ce.reshape(1),
                        ce_grad=logits.grad))


def optimizers():
    grads = torch.randn(4, 5)
    start = torch.randn(5)
    out = dict(start=start, grads=grads)
    configs = {
        "sgd": lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
        "rmsprop_centered": lambda p: torch.optim.RMSprop([p], lr=2.5e-4, alpha=0.95, eps=0.01, centered=True),
        "rmsprop": lambda p: torch.optim.RMSprop([p], lr=0.01, alpha=0.99, eps=1e-8),
        "adam": lambda p: torch.optim.Adam([p], lr=1e-3, weight_decay=0.01),
        "adamw": lambda p: torch.optim.AdamW([p], lr=1e-3, weight_decay=0.01),
    }
    for name, make in configs.items():
        p = start.clone().requires_grad_(True)
        opt = make(p)
        for g in grads:
            p.grad = g.clone()
            opt.step()
        out[name] = p
    save("optimizers", out)


def dqn_net():
    net = torch.nn.Sequential(torch.nn.Conv2d(4, 16, 3), torch.nn.ReLU(), torch.nn.Flatten(),
                              torch.nn.Linear(1024, 128), torch.nn.ReLU(), torch.nn.Linear(128, 6))
    x = (torch.rand(5, 4, 10, 10) < 0.2).float()
    q = net(x)
    dq = torch.randn_like(q)
    q.backward(dq)
    tensors = dict(x=x, q=q, dq=dq)
    names = {"0": "conv", "3": "fc1", "5": "fc2"}
    for key, p in net.named_parameters():
        layer, kind = key.split(".")
        tensors[f"{names[layer]}.{kind}"] = p
        tensors[f"grad.{names[layer]}.{kind}"] = p.grad
    save("dqn_net", tensors)


def save_with_parameters(name, tensors, module):
    """Saves `tensors` plus every parameter of `module` under PyTorch's own name and its
    gradient under "grad.<name>"."""
    for key, p in module.named_parameters():
        tensors[key] = p
        tensors["grad." + key] = p.grad
    save(name, tensors)


def recurrent(name, module, cell):
    """A 2-layer recurrent module on [T=5, B=3, I=4] with a given initial state; dy on the
    outputs only. Parameters are saved under PyTorch's own names."""
    torch.manual_seed(4321 if cell else 8765)
    net = module(input_size=4, hidden_size=6, num_layers=2)
    x = torch.randn(5, 3, 4, requires_grad=True)
    h0 = torch.randn(2, 3, 6, requires_grad=True)
    tensors = dict(x=x, h0=h0)
    if cell:
        c0 = torch.randn(2, 3, 6, requires_grad=True)
        y, (hn, cn) = net(x, (h0, c0))
        tensors.update(c0=c0, cn=cn)
    else:
        y, hn = net(x, h0)
    dy = torch.randn_like(y)
    y.backward(dy)
    tensors.update(y=y, hn=hn, dy=dy, dx=x.grad, dh0=h0.grad)
    if cell:
        tensors["dc0"] = c0.grad
    save_with_parameters(name, tensors, net)


def layernorm():
    """nn.LayerNorm(6) with a non-trivial weight and bias on [4, 3, 6]."""
    torch.manual_seed(2468)
    ln = torch.nn.LayerNorm(6)
    with torch.no_grad():
        ln.weight.copy_(torch.rand(6) + 0.5)
        ln.bias.copy_(torch.randn(6))
    x = (torch.randn(4, 3, 6) * 3 + 1).requires_grad_(True)
    y = ln(x)
    dy = torch.randn_like(y)
    y.backward(dy)
    save("layernorm", dict(x=x, weight=ln.weight, bias=ln.bias, dy=dy, y=y, dx=x.grad, dweight=ln.weight.grad, dbias=ln.bias.grad))


def masked_self_attention(name, module, run):
    """Runs `run(module, x, causal, padding)` on x [T=5, B=3, 8] with a causal mask and
    sequence 1's last two steps as padding, backward of a random dy; saves x, y, dy, dx, the
    padding mask as 0/1 floats [B, T], and every parameter with its gradient ("grad.<name>")."""
    x = torch.randn(5, 3, 8, requires_grad=True)
    causal = torch.triu(torch.ones(5, 5, dtype=torch.bool), diagonal=1)
    padding = torch.zeros(3, 5, dtype=torch.bool)
    padding[1, 3:] = True
    y = run(module, x, causal, padding)
    dy = torch.randn_like(y)
    y.backward(dy)
    save_with_parameters(name, dict(x=x, y=y, dy=dy, dx=x.grad, padding=padding.float()), module)


def attention():
    """nn.MultiheadAttention(8, 2) as self-attention, with non-zero biases."""
    torch.manual_seed(1357)
    mha = torch.nn.MultiheadAttention(8, 2)
    with torch.no_grad():
        mha.in_proj_bias.copy_(torch.randn(24) * 0.1)
        mha.out_proj.bias.copy_(torch.randn(8) * 0.1)
    masked_self_attention("attention", mha, lambda m, x, c, p: m(x, x, x, attn_mask=c, key_padding_mask=p, need_weights=False)[0])


def transformer():
    """nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0, norm_first=True), in
    training mode so PyTorch takes its plain path."""
    torch.manual_seed(9753)
    block = torch.nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, norm_first=True)
    with torch.no_grad():
        for p in (block.self_attn.in_proj_bias, block.self_attn.out_proj.bias, block.norm1.bias, block.norm2.bias):
            p.copy_(torch.randn_like(p) * 0.1)
        for p in (block.norm1.weight, block.norm2.weight):
            p.copy_(torch.rand_like(p) + 0.5)
    block.train()
    masked_self_attention("transformer", block, lambda m, x, c, p: m(x, src_mask=c, src_key_padding_mask=p))


CASES = {"transformer": transformer, "attention": attention, "layernorm": layernorm, "lstm": lambda: recurrent("lstm", torch.nn.LSTM, True), "gru": lambda: recurrent("gru", torch.nn.GRU, False)}


if __name__ == "__main__" and len(sys.argv) > 1:
    os.makedirs(OUT, exist_ok=True)
    for case in sys.argv[1:]:
        CASES[case]()
    print("fixtures", ", ".join(sys.argv[1:]), "written to", os.path.normpath(OUT))
elif __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for case in CASES.values():
        case()
    torch.manual_seed(1234)
    dense()
    conv("conv_stride2_pad1", (2, 3, 7, 6), 4, 3, 2, 1)
    conv("conv_valid", (3, 4, 10, 10), 16, 3, 1, 0)
    conv("conv_pointwise", (2, 5, 4, 4), 3, 1, 1, 0)
    batchnorm()
    losses()
    optimizers()
    dqn_net()
    print("fixtures written to", os.path.normpath(OUT))
