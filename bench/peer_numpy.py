"""peer_numpy.py: the peer of `make bench`, the same iteration as ntr in numpy.

Algorithm 1 with the spectral norm (Muon) on least squares
f(X) = 1/(2N) ||A X - B||_F^2, X of shape m x n, written as a numpy user
would write it, with the same settings as the ntr cell it is compared with:

  - data as problems/least_squares.c builds it: A = sqrt(N) U diag(s) V^T,
    s log-spaced from 1 to 1/condition, B = A X_true (planted); x0 Gaussian; f* from lstsq;
  - oracle: the exact gradient plus N(0, sigma^2/d) noise per entry, m0 = the
    first sample; momentum EMA alpha; the sharp by Newton-Schulz (the Muon
    reference code: jordan quintic, 5 steps, float64, X X^T on the short side);
  - every iteration the measurement ntr makes by default (measure_every 1):
    f, f - f*, the nuclear norm and the l2 norm of the exact gradient, the
    running minimum; on log-spaced rows also ||X||_op, ||X||_F and the
    nuclear norm of m - grad f, written with %.17g to a CSV file.
  The exact gradient is computed once per iteration and serves both the
  measurement and the oracle (the natural numpy code, and what ntr does).

Prints one JSON object: iterations and the per-iteration CPU time (ns) of
each repetition (setup not timed), as bench_iter measures ntr.  Run with one BLAS thread, as ntr.
"""
import argparse
import json
import math
import time

import numpy as np

JORDAN = (3.4445, -4.7750, 2.0315)


def make_problem(m, n, samples, condition, rng):
    k = min(samples, m)
    u, _ = np.linalg.qr(rng.standard_normal((samples, k)))
    v, _ = np.linalg.qr(rng.standard_normal((m, k)))
    s = np.logspace(0.0, -math.log10(condition), k)
    a = math.sqrt(samples) * (u * s) @ v.T
    b = a @ rng.standard_normal((m, n))          # planted, no label noise (ntr's default)
    x_star = np.linalg.lstsq(a, b, rcond=None)[0]
    r = a @ x_star - b
    f_star = float(np.dot(r.ravel(), r.ravel())) / (2.0 * samples)
    return a, b, f_star


def newton_schulz(g, steps=5, eps=1e-7):
    a, b, c = JORDAN
    x = g / (np.linalg.norm(g) + eps)
    tall = x.shape[0] > x.shape[1]
    if tall:
        x = x.T
    for _ in range(steps):
        gram = x @ x.T
        poly = b * gram + c * gram @ gram
        x = a * x + poly @ x
    return x.T if tall else x


def next_log(k):
    nxt = int(math.floor(k * 1.1220184543019633))
    return nxt if nxt > k else k + 1


def run(a, b, f_star, x0, iters, eta, alpha, sigma, rng, out):
    samples = a.shape[0]
    entry_sd = sigma / math.sqrt(x0.size)

    def grad(x):
        r = a @ x - b
        f = float(np.dot(r.ravel(), r.ravel())) / (2.0 * samples)
        return f, (a.T @ r) / samples

    x = x0.copy()
    out.write("k,sfo,f,gap,grad_dual,grad_l2,min_grad_dual,x_norm,x_fro,mom_err\n")
    f, g_exact = grad(x)
    mom = g_exact + entry_sd * rng.standard_normal(x.shape)   # m0 = g(x0; xi0)
    sfo, min_gd, log_at = 1, math.inf, 0
    t0 = time.thread_time()
    for k in range(iters + 1):
        if k > 0:
            f, g_exact = grad(x)
        grad_dual = np.linalg.norm(g_exact, "nuc")
        grad_l2 = np.linalg.norm(g_exact)
        min_gd = min(min_gd, grad_dual)
        if k == log_at or k == iters:
            x_norm = np.linalg.norm(x, 2)
            x_fro = np.linalg.norm(x)
            mom_err = np.linalg.norm(mom - g_exact, "nuc")
            out.write("%d,%d,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n" % (
                k, sfo, f, f - f_star, grad_dual, grad_l2, min_gd, x_norm, x_fro, mom_err))
            if k == log_at:
                log_at = next_log(k)
        if k == iters:
            break
        g = g_exact + entry_sd * rng.standard_normal(x.shape)
        sfo += 1
        mom = (1.0 - alpha) * mom + alpha * g
        x -= eta * newton_schulz(mom)
    return time.thread_time() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--m", type=int, required=True)
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--samples", type=int, default=0, help="default 4 m, as ntr")
    ap.add_argument("--condition", type=float, default=10.0)
    ap.add_argument("--iters", type=int, required=True)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--eta", type=float, default=0.01)
    ap.add_argument("--alpha", type=float, default=0.1)
    ap.add_argument("--sigma", type=float, default=0.1)
    ap.add_argument("--traj", default="/dev/null")
    args = ap.parse_args()
    samples = args.samples or 4 * args.m
    rng = np.random.default_rng(1)
    a, b, f_star = make_problem(args.m, args.n, samples, args.condition, rng)
    times = []
    for _ in range(args.reps):
        x0 = rng.standard_normal((args.m, args.n))
        with open(args.traj, "w") as out:
            wall = run(a, b, f_star, x0, args.iters, args.eta, args.alpha, args.sigma, rng, out)
        times.append(wall / args.iters * 1e9)
    print(json.dumps({"iters": args.iters, "ns_iter": times}))


if __name__ == "__main__":
    main()
