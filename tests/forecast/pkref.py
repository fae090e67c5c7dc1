"""Test-only reference implementation of the forecast's models, written
independently of core/src/forecast.cpp: the model equations are transcribed
here from nlmixr2lib's model files (not read from content/), concentrations
come from a dose-by-dose sum (checked against a matrix-exponential solution of
the ODEs), and the posterior is brute force on a dense grid.

Conventions shared with the engine (they are the interface, not the method):
a history record's dose is taken every interval from the previous record's
trough (day 0 for the first) up to, not including, its own trough time.
"""
import numpy as np

# ---- the models, from nlmixr2lib inst/modeldb/specificDrugs/*.R -------------


def park_params(cov, eta_cl=0.0, eta_v=0.0):
    # Park_2023_everolimus.R: cl <- (exp(lcl) + e_bsa_cl * (BSA / 1.5)) * exp(etalcl)
    cl = (12.5 + 9.71 * (cov['bsa_m2'] / 1.5)) * np.exp(eta_cl)
    v = 293.0 * np.exp(eta_v)
    return dict(cmt=1, cl=cl, v=v, ka=0.585)


def chen_params(cov, eta_cl=0.0, eta_v=0.0):
    # Chen_2021_sirolimus.R: cl <- exp(lcl + etalcl) * (WT/70)^0.75 * 1.16^OXC; vc <- 294 (WT/70)
    cl = 8.59 * np.exp(eta_cl) * (cov['weight_kg'] / 70.0) ** 0.75 * 1.16 ** cov['oxcarbazepine']
    v = 294.0 * (cov['weight_kg'] / 70.0) + 0 * eta_v
    return dict(cmt=1, cl=cl, v=v, ka=0.485)


def golubovic_params(cov, eta_cl=0.0, eta_v=0.0):
    # Golubovic_2019_sirolimus.R: cl <- exp(lcl + etalcl) * exp(e_ast_cl * (AST > 37)) * (1 + e_age_cl * AGE / 44)
    ast_high = 1.0 if cov['ast_iu_l'] > 37 else 0.0
    cl = 12.2 * np.exp(eta_cl) * 0.63 ** ast_high * (1 - 0.388 * cov['age_years'] / 44.0)
    return dict(cmt=2, cl=cl, v=118.0 * np.exp(eta_v), q=5.07, vp=609.0, ka=2.19)


MODELS = {
    'park_2023_everolimus': dict(params=park_params, omega=[0.1652, 0.2083], error=('prop', 0.2943, 0.0)),
    'chen_2021_sirolimus': dict(params=chen_params, omega=[0.175], error=('add', 0.0, 1.913)),
    'golubovic_2019_sirolimus': dict(params=golubovic_params, omega=[np.sqrt(0.0547), np.sqrt(0.306)],
                                     error=('comb', 0.249, 1.93)),
}


# ---- kinetics -------------------------------------------------------------------

def dose_times(history, until_h):
    """(time_h, amount_mg) of every dose taken before until_h."""
    out = []
    start = 0.0
    for r in history:
        end = min(r['days_since_start'] * 24.0, until_h)
        t = start
        while t < end - 1e-9:
            out.append((t, r['dose_mg']))
            t += r['interval_h']
        start = max(start, r['days_since_start'] * 24.0)
        if start >= until_h:
            break
    return out


def unit_response(p, t):
    """Concentration (ng/mL) t hours after 1 mg, numpy-broadcast over parameter arrays."""
    t = np.asarray(t, dtype=float)
    ka, cl, v = p['ka'], p['cl'], p['v']
    if p['cmt'] == 1:
        k = cl / v
        return 1000.0 * ka / (v * (ka - k)) * (np.exp(-k * t) - np.exp(-ka * t))
    k10, k12, k21 = cl / v, p['q'] / v, p['q'] / p['vp']
    s = k10 + k12 + k21
    alpha = (s + np.sqrt(s * s - 4 * k10 * k21)) / 2
    beta = s - alpha
    c = 1000.0 * ka / v
    return c * ((k21 - alpha) / ((ka - alpha) * (beta - alpha)) * np.exp(-alpha * t)
                + (k21 - beta) / ((ka - beta) * (alpha - beta)) * np.exp(-beta * t)
                + (k21 - ka) / ((alpha - ka) * (beta - ka)) * np.exp(-ka * t))


def conc(p, history, t_h):
    c = 0.0
    for td, amt in dose_times(history, t_h):
        c = c + amt * unit_response(p, t_h - td)
    return c


def conc_ode(p, history, t_h):
    """The same concentration from the ODEs, by matrix exponentials."""
    if p['cmt'] == 1:
        k = p['cl'] / p['v']
        A = np.array([[-p['ka'], 0.0], [p['ka'], -k]])
    else:
        k10, k12, k21 = p['cl'] / p['v'], p['q'] / p['v'], p['q'] / p['vp']
        A = np.array([[-p['ka'], 0, 0], [p['ka'], -(k10 + k12), k21], [0, k12, -k21]])
    w, V = np.linalg.eig(A)
    Vi = np.linalg.inv(V)

    def expm(dt):
        return np.real(V @ np.diag(np.exp(w * dt)) @ Vi)

    x = np.zeros(A.shape[0])
    now = 0.0
    for td, amt in dose_times(history, t_h):
        x = expm(td - now) @ x
        x[0] += amt
        now = td
    x = expm(t_h - now) @ x
    return 1000.0 * x[1] / p['v']


def ss_trough_by_simulation(p, dose, tau, days=400):
    hist = [dict(days_since_start=days, trough_ng_ml=1, dose_mg=dose, interval_h=tau)]
    return conc_ode(p, hist, days * 24.0)


# ---- posterior ----------------------------------------------------------------------

def neg_log_post(model_id, cov, history, eta_cl, eta_v):
    m = MODELS[model_id]
    om = m['omega']
    v = 0.5 * (eta_cl / om[0]) ** 2
    if len(om) == 2:
        v = v + 0.5 * (eta_v / om[1]) ** 2
    p = m['params'](cov, eta_cl, eta_v)
    kind, b, a = m['error']
    for r in history:
        f = conc(p, history, r['days_since_start'] * 24.0)
        y = r['trough_ng_ml']
        if kind == 'prop':
            sd = b * f
        elif kind == 'add':
            sd = a + 0 * f
        else:
            sd = np.sqrt(a * a + (b * f) ** 2)
        v = v + np.log(sd) + 0.5 * ((y - f) / sd) ** 2
    return v


def brute_force_map(model_id, cov, history):
    """MAP of the random effects: a dense grid over +-6 SD, then a finer one
    around its best point, then a finer one again."""
    om = MODELS[model_id]['omega']
    d = len(om)
    n = 4001 if d == 1 else 161
    centre = np.zeros(d)
    half = 6 * np.array(om)
    for _ in range(4):
        axes = [np.linspace(centre[k] - half[k], centre[k] + half[k], n) for k in range(d)]
        if d == 1:
            e1, e2 = axes[0], np.zeros_like(axes[0])
        else:
            e1, e2 = np.meshgrid(axes[0], axes[1], indexing='ij')
        f = neg_log_post(model_id, cov, history, e1, e2)
        i = np.unravel_index(np.nanargmin(f), f.shape)
        centre = np.array([e1[i], e2[i]][:d])
        half = half * 4.0 / (n - 1)
    return centre


def simulate_trough(rng, model_id, p, history_so_far, t_h):
    kind, b, a = MODELS[model_id]['error']
    f = conc(p, history_so_far, t_h)
    if kind == 'prop':
        sd = b * f
    elif kind == 'add':
        sd = a
    else:
        sd = np.sqrt(a * a + (b * f) ** 2)
    y = f + sd * rng.standard_normal()
    return f, y
