#!/usr/bin/env python3
"""Writes tests/forecast/typical_reference.json: typical-value concentrations
of each model (nlmixr2lib's equations, solved as ODEs by matrix exponentials
in pkref.py) that the unit tests compare the engine's analytic superposition
with. Run it again only when a model's equations change.
"""
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import pkref  # noqa: E402

HISTORY = [
    dict(days_since_start=14, trough_ng_ml=5, dose_mg=5, interval_h=24),
    dict(days_since_start=28, trough_ng_ml=5, dose_mg=7.5, interval_h=24),
    dict(days_since_start=42, trough_ng_ml=5, dose_mg=2.5, interval_h=48),
]
CASES = [
    ('park_2023_everolimus', dict(bsa_m2=1.2)),
    ('park_2023_everolimus', dict(bsa_m2=1.9)),
    ('chen_2021_sirolimus', dict(weight_kg=20, oxcarbazepine=0)),
    ('chen_2021_sirolimus', dict(weight_kg=45, oxcarbazepine=1)),
    ('golubovic_2019_sirolimus', dict(age_years=30, ast_iu_l=25)),
    ('golubovic_2019_sirolimus', dict(age_years=60, ast_iu_l=50)),
]
TIMES_H = [1, 3, 12, 24 * 1, 24 * 7, 24 * 14, 24 * 14 + 2, 24 * 21, 24 * 28, 24 * 35 + 5, 24 * 42]
REGIMENS = [(5, 24), (2.5, 48), (1, 12)]


def main():
    out = []
    for model_id, cov in CASES:
        p = pkref.MODELS[model_id]['params'](cov)
        out.append(dict(
            model=model_id, covariates=cov, history=HISTORY,
            concentrations=[[t, pkref.conc_ode(p, HISTORY, t)] for t in TIMES_H],
            steady_state=[[d, tau, pkref.ss_trough_by_simulation(p, d, tau)] for d, tau in REGIMENS],
            typical=dict(cl_l_h=float(p['cl']), v_l=float(p['v']))))
    path = pathlib.Path(__file__).parent / 'typical_reference.json'
    path.write_text(json.dumps(out, indent=1) + '\n')


if __name__ == '__main__':
    main()
