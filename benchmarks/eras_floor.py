"""The floor: ERAS+ written as a bare SimPy model (no validation, no reporting).

The same pathway as pathway_library/eras-plus-colorectal.yaml ('after' scenario),
typed in by hand the way an analyst would write it: a process per patient, one
timeout per step, the theatre and the ward beds as SimPy resources, Python's
``random`` for the draws. It counts step visits and nothing else, so the ratio of
designer.sim's time to this one is the price of reading the drawn pathway,
streams per purpose and the metrics.
"""

from __future__ import annotations

import math
import random

import simpy

# (step, days) in order; None marks where the model branches
BEFORE_DECISION = [("referral", 1), ("mdt", 7), ("sdm-consent", 1), ("decide", 0)]
TO_LISTING = [("listing", 1), ("preassessment", 1), ("optimise-needed", 0)]
AFTER_OPTIMISE = [("surgery-school", 1), ("prehab", 42), ("admission", 0)]
AFTER_SURGERY = [("discharge", 0), ("gp-check", 3), ("recovery-programme", 42),
                 ("follow-up", 1), ("pifu", 0)]


def run(per_year: float = 1000, years: float = 3.0, warmup_weeks: float = 26,
        theatres: int = 4, beds: int = 16, seed: int = 1) -> int:
    """Simulate; returns the number of step visits (the events this model handles)."""
    rng = random.Random(seed)
    env = simpy.Environment()
    theatre = simpy.Resource(env, theatres)
    ward = simpy.Resource(env, beds)
    visits = [0]
    sigma = math.sqrt(math.log1p((2 / 4) ** 2))
    mu = math.log(4) - sigma ** 2 / 2

    def steps(names):
        for _, days in names:
            visits[0] += 1
            yield env.timeout(days)

    def patient(deprived: bool):
        yield from steps(BEFORE_DECISION)
        if rng.random() >= 0.9:
            visits[0] += 1
            yield env.timeout(1)          # not operating: back to the GP
            return
        yield from steps(TO_LISTING)
        if rng.random() < (0.45 if deprived else 0.3):
            visits[0] += 1
            yield env.timeout(28)         # optimisation
        yield from steps(AFTER_OPTIMISE)
        t = theatre.request()             # surgery holds a theatre and a bed
        yield t
        b = ward.request()
        yield b
        visits[0] += 1
        yield env.timeout(rng.triangular(0.5, 1.5, 1.0))
        theatre.release(t)
        ward.release(b)
        b = ward.request()                # then a bed for the stepped recovery
        yield b
        visits[0] += 1
        yield env.timeout(rng.lognormvariate(mu, sigma))
        ward.release(b)
        yield from steps(AFTER_SURGERY)

    def arrivals():
        rate = per_year / 365.25
        while True:
            yield env.timeout(rng.expovariate(rate))
            env.process(patient(rng.random() < 0.2))

    env.process(arrivals())
    env.run(until=warmup_weeks * 7 + years * 365.25)
    return visits[0]


if __name__ == "__main__":
    import time
    started = time.process_time()
    n = run()
    print(f"{n} step visits in {time.process_time() - started:.3f} s CPU")
