"""peer_muon.py: the peers of `make bench`: the Muon iteration ntr runs, in
NumPy or PyTorch, written as a user of either would write it.

The iteration (least squares f(X) = 1/(2N) ||A X - B||_F^2, X of shape
m x n, float64), as the ntr cell it is compared with runs it:

    G = A^T (A X - B) / N                    exact gradient
    g = G + (sigma / sqrt(m n)) xi            gaussian oracle, xi ~ N(0, I)
    M = (1 - alpha) M + alpha g               momentum (M0 = the first g)
    X = X - eta NS5(M)                        Newton-Schulz, jordan quintic, 5 steps

NS5 is the Muon reference code: X0 = M / (||M||_F + 1e-7), transposed so
that X X^T is the small Gram matrix, then five times A = X X^T,
B = b A + c A A, X = a X + B X.  With --measure each iteration also computes
what ntr measures by default (f, ||G||_nuc, ||G||_F).  The data are built as
ntr's least_squares builds them (A = sqrt(N) U diag(s) V^T, s log-spaced
from 1 to 1/condition, B = A X_true).

The library keeps all its threads unless --threads says otherwise.  Prints
one JSON object: the library and its version, the thread count, and the
wall-clock time per iteration (ns) of each repetition (the loop only, after
a few warm-up iterations; the set-up is not timed).
"""
import argparse
import json
import math
import time
import types

JORDAN = (3.4445, -4.7750, 2.0315)


def ns5(g, fro):
    """The Muon reference Newton-Schulz (jordan quintic, 5 steps); fro is the
    library's Frobenius norm."""
    ca, cb, cc = JORDAN
    x = g / (fro(g) + 1e-7)
    tall = x.shape[0] > x.shape[1]
    if tall:
        x = x.T
    for _ in range(5):
        gram = x @ x.T
        poly = cb * gram + cc * gram @ gram
        x = ca * x + poly @ x
    return x.T if tall else x


def timed_reps(args, lib, a, b):
    """The wall-clock time per iteration (ns) of each repetition of the loop
    on data a, b.  lib holds the library's operations: randn(shape), fro(x),
    nuc(x) and sumsq(r), each written as that library's user writes it."""
    m, n, N = args.m, args.n, args.samples
    sd = args.sigma / math.sqrt(m * n)

    def loop(x, mom, iters):
        for _ in range(iters):
            r = a @ x - b
            grad = a.T @ r / N
            if args.measure:
                f = lib.sumsq(r) / (2.0 * N)
                nuc = lib.nuc(grad)
                l2 = lib.fro(grad)
                if not (math.isfinite(f) and math.isfinite(nuc) and math.isfinite(l2)):
                    break
            g = grad + sd * lib.randn(grad.shape)
            mom = (1.0 - args.alpha) * mom + args.alpha * g if mom is not None else g
            x = x - args.eta * ns5(mom, lib.fro)
        return x, mom

    times = []
    for _ in range(args.reps):
        x = lib.randn((m, n))
        x, mom = loop(x, None, args.warmup)
        t = time.perf_counter()
        loop(x, mom, args.iters)
        times.append((time.perf_counter() - t) / args.iters * 1e9)
    return times


def numpy_peer(args):
    import numpy as np

    rng = np.random.default_rng(1)
    lib = types.SimpleNamespace(
        randn=rng.standard_normal,
        fro=np.linalg.norm,
        nuc=lambda g: np.linalg.norm(g, "nuc"),
        sumsq=lambda r: float(np.dot(r.ravel(), r.ravel())))
    m, n, N = args.m, args.n, args.samples
    k = min(N, m)
    u, _ = np.linalg.qr(lib.randn((N, k)))
    v, _ = np.linalg.qr(lib.randn((m, k)))
    s = np.logspace(0.0, -math.log10(args.condition), k)
    a = math.sqrt(N) * (u * s) @ v.T
    b = a @ lib.randn((m, n))
    return {"lib": "numpy", "version": np.__version__, "threads": args.threads or 0,
            "ns_iter": timed_reps(args, lib, a, b)}


def torch_peer(args):
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    dt = torch.float64
    lib = types.SimpleNamespace(
        randn=lambda shape: torch.randn(shape, dtype=dt),
        fro=lambda x: x.norm(),
        nuc=lambda g: float(torch.linalg.matrix_norm(g, "nuc")),
        sumsq=lambda r: float((r * r).sum()))
    m, n, N = args.m, args.n, args.samples
    k = min(N, m)
    u, _ = torch.linalg.qr(lib.randn((N, k)))
    v, _ = torch.linalg.qr(lib.randn((m, k)))
    s = torch.logspace(0.0, -math.log10(args.condition), k, dtype=dt)
    a = math.sqrt(N) * (u * s) @ v.T
    b = a @ lib.randn((m, n))
    with torch.no_grad():
        times = timed_reps(args, lib, a, b)
    return {"lib": "torch", "version": torch.__version__, "threads": torch.get_num_threads(),
            "ns_iter": times}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lib", choices=("numpy", "torch"), default="numpy")
    ap.add_argument("--m", type=int, required=True)
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--samples", type=int, default=0, help="N (default 2 m)")
    ap.add_argument("--condition", type=float, default=10.0)
    ap.add_argument("--iters", type=int, required=True)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--eta", type=float, default=0.01)
    ap.add_argument("--alpha", type=float, default=0.1)
    ap.add_argument("--sigma", type=float, default=0.1)
    ap.add_argument("--threads", type=int, default=0, help="0: the library's default (all)")
    ap.add_argument("--measure", action="store_true",
                    help="also f and the nuclear norm of the exact gradient every iteration")
    args = ap.parse_args()
    args.samples = args.samples or 2 * args.m
    out = numpy_peer(args) if args.lib == "numpy" else torch_peer(args)
    out["iters"] = args.iters
    print(json.dumps(out))


if __name__ == "__main__":
    main()
