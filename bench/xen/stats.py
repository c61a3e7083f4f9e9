# SPDX-License-Identifier: GPL-2.0-only
"""The statistics of bench/xen/ (benchxen.py, benchhv.py), in plain
Python (no SciPy in Debian's minimal installs): descriptive figures,
Student's t distribution, Welch's test on log values, Holm's correction
and a seeded percentile bootstrap.  tests/bench-xen/test-stats.sh checks
each against published values or a computation of its own.

Why logs: benchmark figures are positive and their noise multiplies
(a slow host stretches every run by some factor), so the difference of
the mean logs is the log of the ratio of the geometric means, the
figure the reports print, and its confidence interval becomes one for
that ratio.
"""
import math
import random


def mean(xs):
    return sum(xs) / len(xs)


def geomean(xs):
    return math.exp(mean([math.log(x) for x in xs]))


def stddev(xs):
    """Sample standard deviation (n - 1); 0 for a single value."""
    if len(xs) < 2:
        return 0.0
    m = mean(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))


def quantile(xs, q):
    """Linear interpolation between closest ranks (R's type 7, what
    numpy.quantile does by default)."""
    s = sorted(xs)
    if not s:
        raise ValueError("quantile of no values")
    h = (len(s) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (h - lo) * (s[hi] - s[lo])


def median(xs):
    return quantile(xs, 0.5)


# Student's t ------------------------------------------------------------

def _betacf(a, b, x):
    """Continued fraction of the incomplete beta function (modified
    Lentz; Numerical Recipes 6.4)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + aa / c
        c = c if abs(c) > tiny else tiny
        de = d * c
        h *= de
        if abs(de - 1) < 1e-15:
            break
    return h


def betainc(a, b, x):
    """The regularized incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    lbeta = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    front = math.exp(lbeta + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _betacf(a, b, x) / a
    return 1 - front * _betacf(b, a, 1 - x) / b


def t_sf2(t, df):
    """Two-sided tail probability P(|T| >= |t|), T ~ Student's t with df
    (not necessarily integer) degrees of freedom."""
    if math.isinf(t):
        return 0.0
    return betainc(df / 2, 0.5, df / (df + t * t))


def t_quantile(p, df):
    """The t with P(T <= t) = p, for 0.5 < p < 1 (bisection)."""
    if not 0.5 < p < 1:
        raise ValueError("t_quantile: p must be in (0.5, 1)")
    target = 2 * (1 - p)        # the two-sided tail of that t
    lo, hi = 0.0, 1.0
    while t_sf2(hi, df) > target:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        if t_sf2(mid, df) > target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def mean_ci(xs, level=0.95):
    """Confidence interval of the mean of xs (Student's t)."""
    n = len(xs)
    m = mean(xs)
    if n < 2:
        return m, float("-inf"), float("inf")
    half = t_quantile((1 + level) / 2, n - 1) * stddev(xs) / math.sqrt(n)
    return m, m - half, m + half


def welch(a, b, level=0.95):
    """Welch's unequal-variances t test of mean(a) - mean(b).  Returns
    (difference, low, high, p): the difference, its confidence interval
    at level, and the two-sided p value.  Both samples need at least two
    values; identical constant samples give p = 1 (no evidence)."""
    na, nb = len(a), len(b)
    if na < 2 or nb < 2:
        raise ValueError("welch: each sample needs at least two values")
    d = mean(a) - mean(b)
    va, vb = stddev(a) ** 2 / na, stddev(b) ** 2 / nb
    se2 = va + vb
    if se2 == 0:
        return d, d, d, (1.0 if d == 0 else 0.0)
    se = math.sqrt(se2)
    df = se2 ** 2 / (va ** 2 / (na - 1) + vb ** 2 / (nb - 1))
    half = t_quantile((1 + level) / 2, df) * se
    return d, d - half, d + half, t_sf2(d / se, df)


def log_ratio_test(a, b, level=0.95):
    """Welch's test on the logs: the ratio of the geometric means
    gm(a) / gm(b), its confidence interval and the p value."""
    d, lo, hi, p = welch([math.log(x) for x in a], [math.log(x) for x in b],
                         level)
    return math.exp(d), math.exp(lo), math.exp(hi), p


def holm(pvalues):
    """Holm's step-down adjustment of a family of p values (controls the
    chance of any false "significant" in the family): adjusted p values,
    in the given order."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    adj = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * pvalues[i]))
        adj[i] = running
    return adj


def bootstrap_ratio(a, b, stat=median, iters=2000, level=0.95, seed=1):
    """Percentile bootstrap interval of stat(a) / stat(b), resampling
    each sample with replacement; seeded, so the same inputs give the
    same interval."""
    rng = random.Random(seed)
    rs = []
    for _ in range(iters):
        sa = [a[rng.randrange(len(a))] for _ in a]
        sb = [b[rng.randrange(len(b))] for _ in b]
        rs.append(stat(sa) / stat(sb))
    return (quantile(rs, (1 - level) / 2), quantile(rs, (1 + level) / 2))
