"""Lower bounds for issue 21's detection goals: oracle tests that know the regression's size.

Same world as sim.py and DecisionQuality: Poisson requests a minute, canary 5 % for minutes 1-10,
10 % for 11-20, 50 % from 21, each minute's data seen one minute later. Every oracle spends the
WHOLE 1 % false-rollback budget on one simple test (threshold log 100) and knows the true ratio,
so none of them can be beaten by a test that must share the budget and guess the size:

- concurrent: each minute's canary errors given both revisions' errors in that minute (the
  binomial that no common-mode change of rate can move) against 1.25x; the sequential probability
  ratio test, the fastest test on these data for this size (Wald-Wolfowitz).
- limit: canary errors against maxErrorRate (1 %), only where the canary is above it.
- known: canary errors against 1.25x a stable rate known exactly (what a history that never
  changes would give).
- concurrent, 0.4 % and mixture, 0.4 %: the same at the shipped comparison's share of the budget,
  first knowing the size, then with the shipped mixture over sizes (2, 4, 8 ... weighted 1/2,
  1/4 ...): what the shipped rollback gives in this model.

Promotions of healthy canaries likewise: the oracle weighs "as good as stable" against mustCatch
at the default confidence (threshold log 20), on concurrent minutes or against stable's rate known,
and promotes at the first analysis from minute 30 (the end of the 50 % step) with the evidence.

Usage: python3 bound.py [runs]. Output: bound.txt.
"""
import sys
import numpy as np

THR = np.log(100)
TOL = 1.25
LIMIT = 0.01
SHARE = np.log(1 / 0.004)  # the shipped comparison's share of the budget
MINUTES = 120


def world(rng, runs, rps, base, ratio):
    minute = np.arange(1, MINUTES + 1)
    weight = np.where(minute <= 10, 0.05, np.where(minute <= 20, 0.10, 0.50))
    n = rps * 60
    nc = rng.poisson(n * weight, size=(runs, MINUTES))
    ns = rng.poisson(n * (1 - weight), size=(runs, MINUTES))
    xc = rng.binomial(nc, min(1.0, base * ratio))
    xs = rng.binomial(ns, base)
    return nc, ns, xc, xs


def first_crossing(llr, threshold=THR, summed=False):
    """Minute of the analysis that first sees the sum cross: a minute's data counts a minute later."""
    total = llr if summed else np.cumsum(llr, axis=1)
    crossed = total >= threshold
    hit = crossed.any(axis=1)
    when = np.where(hit, crossed.argmax(axis=1) + 2, np.inf)
    return when


def conditional_llr(nc, ns, xc, xs, ratio, null=TOL):
    with np.errstate(divide="ignore", invalid="ignore"):
        s1 = ratio * nc / (ratio * nc + ns)
        s0 = null * nc / (null * nc + ns)
        llr = xc * np.log(s1 / s0) + xs * np.log((1 - s1) / (1 - s0))
    return np.nan_to_num(llr)


def concurrent(nc, ns, xc, xs, ratio, threshold=THR):
    return first_crossing(conditional_llr(nc, ns, xc, xs, ratio), threshold)


def mixture(nc, ns, xc, xs, threshold):
    """The shipped rollback's alternatives (2, 4, 8 ... weighted 1/2, 1/4 ...), minute by minute."""
    sizes = [2.0 * 2**i for i in range(6)]
    weights = np.array([0.5 ** (i + 1) for i in range(6)])
    sums = np.stack([np.cumsum(conditional_llr(nc, ns, xc, xs, r), axis=1) for r in sizes])
    top = sums.max(axis=0)
    mixed = top + np.log(np.tensordot(weights, np.exp(sums - top), axes=1) / weights.sum())
    return first_crossing(mixed, threshold, summed=True)


def bernoulli(nc, xc, p1, p0, threshold=THR):
    return first_crossing(
        xc * np.log(p1 / p0) + (nc - xc) * np.log((1 - p1) / (1 - p0)), threshold)


def summary(when):
    caught = when[np.isfinite(when)]
    med, p95 = np.median(when), np.percentile(when, 95)
    fmt = lambda v: f"{v:5.1f}" if np.isfinite(v) else "  >2h"
    return f"{fmt(med)}/{fmt(p95)}  held {1 - caught.size / when.size:6.1%}"


def promotion(when_crossed):
    """A promotion comes at the first analysis from minute 30 (the schedule) with the evidence."""
    return np.maximum(when_crossed, 30)


PROMOTIONS = [
    ("healthy 10 rps", 10, 2.0, "30/42"),
    ("healthy 1 rps, mustCatch 4x", 1, 4.0, "35/55, held <= 1 %"),
]

CASES = [
    ("2x 10 rps", 10, 0.005, 2, "41/72, held <= 2 %"),
    ("2x 100 rps", 100, 0.005, 2, "18/27"),
    ("5x 1 rps", 1, 0.005, 5, "34/56"),
    ("5x 10 rps", 10, 0.005, 5, "14/26"),
    ("5x 100 rps", 100, 0.005, 5, "4/6"),
]

if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    print(f"{runs} runs a case; median/p95 minutes to roll back; goal from issue 21")
    for name, rps, base, ratio, goal in CASES:
        rng = np.random.default_rng(21)
        nc, ns, xc, xs = world(rng, runs, rps, base, ratio)
        conc = concurrent(nc, ns, xc, xs, ratio)
        limit = bernoulli(nc, xc, base * ratio, LIMIT) if base * ratio > LIMIT else np.full(runs, np.inf)
        known = bernoulli(nc, xc, base * ratio, base * TOL)
        print(f"{name:10s} goal {goal:18s}")
        print(f"  concurrent            {summary(conc)}")
        print(f"  concurrent or limit   {summary(np.minimum(conc, limit))}")
        print(f"  known stable rate     {summary(known)}")
        print(f"  known or limit        {summary(np.minimum(known, limit))}")
        print(f"  concurrent, 0.4 %     {summary(concurrent(nc, ns, xc, xs, ratio, SHARE))}")
        print(f"  mixture, 0.4 %        {summary(mixture(nc, ns, xc, xs, SHARE))}", flush=True)
    print(f"Promotions of healthy canaries (0.5 % errors) against mustCatch, at confidence 95 %")
    for name, rps, must, goal in PROMOTIONS:
        rng = np.random.default_rng(21)
        nc, ns, xc, xs = world(rng, runs, rps, 0.005, 1)
        llr = conditional_llr(nc, ns, xc, xs, 1.0, null=must)
        conc = promotion(first_crossing(llr, np.log(20)))
        known = promotion(bernoulli(nc, xc, 0.005, 0.005 * must, np.log(20)))
        print(f"{name:27s} goal {goal}")
        print(f"  concurrent            {summary(conc)}")
        print(f"  known stable rate     {summary(known)}", flush=True)
