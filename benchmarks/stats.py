"""Benchmark: simulated trials per second for the basket operating characteristics.

Run:  .venv/bin/python benchmarks/stats.py [--n-sim 100000] [--repeat 3]

Times :func:`basket.stats.simulate_trials` on a three-basket design (known rate,
over-dispersed known rate, estimated control) and, in the same run, a baseline
that merely draws the same random numbers with numpy (per-patient gamma
frailties and Poisson counts under H0 and H1, control counts) and does nothing
else.  Prints trials/s for both and their ratio; the best of ``--repeat`` runs
is reported.  Optionally ``--bayes`` adds the EXNEX decision rule.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from basket.stats import BayesRule, ExNexPrior, Scenario, SimBasket, simulate_trials

# Illustrative inputs for timing only (not clinical figures).
BASKETS = (
    SimBasket("basket-1", control_rate=4.0, rate_ratio=0.4),
    SimBasket("basket-2", control_rate=2.0, rate_ratio=0.4, shape=1.5),
    SimBasket("basket-3", control_rate=1.5, rate_ratio=0.5, control_events=30, control_exposure=20.0),
)
SCENARIO = Scenario(n_per_basket=6, followup_years=1.0)


def baseline(n_sim: int, seed: int) -> None:
    """Draw the same random numbers as the simulation, nothing more."""
    rng = np.random.default_rng(seed)
    for rr in (1.0, 0.4):
        rng.poisson(4.0 * rr * SCENARIO.exposure, size=n_sim)
        g = rng.gamma(1.5, 1 / 1.5, size=(n_sim, SCENARIO.n_per_basket))
        rng.poisson(2.0 * rr * g).sum(axis=1)
        rng.poisson(1.5 * rr * SCENARIO.exposure, size=n_sim)
        rng.poisson(1.5 * 20.0, size=n_sim)


def best_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-sim", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bayes", action="store_true", help="also apply the EXNEX rule")
    args = parser.parse_args()
    rule = BayesRule(ExNexPrior(0.0, 2.0, 0.5, 0.0, 2.0, 0.5), 0.975) if args.bayes else None
    sim = best_time(lambda: simulate_trials(BASKETS, SCENARIO, n_sim=args.n_sim, seed=1, bayes=rule), args.repeat)
    base = best_time(lambda: baseline(args.n_sim, 1), args.repeat)
    label = "exact tests + EXNEX rule" if args.bayes else "exact tests"
    print(f"simulated trials (H0 and H1 each): {args.n_sim}, baskets: {len(BASKETS)}, decisions: {label}")
    print(f"simulate_trials : {sim:8.3f} s  {args.n_sim / sim:12,.0f} trials/s")
    print(f"numpy draws only: {base:8.3f} s  {args.n_sim / base:12,.0f} trials/s")
    print(f"ratio (simulate / draws-only time): {sim / base:.2f}")


if __name__ == "__main__":
    main()
