#include "forecast.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace mtorcalc::forecast {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kLn2 = 0.69314718055994530942;
// mg / L -> ng / mL.
constexpr double kNgPerMlPerMgPerL = 1000.0;
// Upper bounds that keep one evaluation's work bounded (a request is hostile input).
constexpr std::size_t kMaxTroughs = 100;
constexpr std::size_t kMaxCandidates = 64;
constexpr double kMaxDays = 3650;  // ten years of history
constexpr double kMinIntervalH = 1;

// ---- loading ----------------------------------------------------------------

struct Loader {
  LoadError error;
  bool failed = false;

  bool fail(std::string path, std::string message) {
    if (!failed) error = {std::move(path), std::move(message)};
    failed = true;
    return false;
  }
  const json* member(const json& obj, const char* key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
  }
  bool number(const json& obj, const char* key, const std::string& path, double& out,
              bool positive) {
    const json* v = member(obj, key);
    if (v == nullptr || !v->is_number()) return fail(path + "." + key, "must be a number");
    out = v->get<double>();
    if (!std::isfinite(out)) return fail(path + "." + key, "must be finite");
    if (positive && !(out > 0)) return fail(path + "." + key, "must be > 0");
    return true;
  }
  bool string(const json& obj, const char* key, const std::string& path, std::string& out) {
    const json* v = member(obj, key);
    if (v == nullptr || !v->is_string() || v->get_ref<const json::string_t&>().empty())
      return fail(path + "." + key, "must be a non-empty string");
    out = v->get_ref<const json::string_t&>();
    return true;
  }
};

std::optional<Param> param_of(std::string_view name) {
  if (name == "cl_l_h") return Param::cl_l_h;
  if (name == "v_l") return Param::v_l;
  if (name == "q_l_h") return Param::q_l_h;
  if (name == "vp_l") return Param::vp_l;
  if (name == "ka_per_h") return Param::ka_per_h;
  return std::nullopt;
}

std::optional<EffectForm> form_of(std::string_view name) {
  if (name == "power") return EffectForm::power;
  if (name == "additive_linear") return EffectForm::additive_linear;
  if (name == "linear_factor") return EffectForm::linear_factor;
  if (name == "indicator_factor") return EffectForm::indicator_factor;
  return std::nullopt;
}

std::optional<ErrorModel> error_model_of(std::string_view name) {
  if (name == "proportional") return ErrorModel::proportional;
  if (name == "additive") return ErrorModel::additive;
  if (name == "combined") return ErrorModel::combined;
  if (name == "exponential") return ErrorModel::exponential;
  return std::nullopt;
}

std::size_t index(Param p) {
  return static_cast<std::size_t>(p);
}

// ---- kinetics ---------------------------------------------------------------

// A single unit dose (1 mg) gives C(t) = sum_i a[i] exp(-l[i] t) ng/mL.
struct Exponentials {
  std::array<double, 3> a{};
  std::array<double, 3> l{};
  int n = 0;
};

Exponentials unit_dose(const PkModel& model, const std::array<double, param_count>& p) {
  Exponentials e;
  double ka = p[index(Param::ka_per_h)];
  const double cl = p[index(Param::cl_l_h)];
  const double v = p[index(Param::v_l)];
  if (model.compartments == 1) {
    const double k = cl / v;
    // ka == k has the limit t exp(-k t); a relative nudge of 1e-7 changes a
    // trough far less than the model's own precision.
    if (std::fabs(ka - k) < 1e-7 * ka) ka *= 1 + 1e-7;
    const double c = kNgPerMlPerMgPerL * ka / (v * (ka - k));
    e.a = {c, -c, 0};
    e.l = {k, ka, 0};
    e.n = 2;
    return e;
  }
  const double q = p[index(Param::q_l_h)];
  const double vp = p[index(Param::vp_l)];
  const double k10 = cl / v, k12 = q / v, k21 = q / vp;
  const double sum = k10 + k12 + k21;
  const double root = std::sqrt(std::max(0.0, sum * sum - 4 * k10 * k21));
  const double alpha = (sum + root) / 2;
  const double beta = (k10 * k21) / alpha;  // alpha beta = k10 k21, without cancellation
  if (std::fabs(ka - alpha) < 1e-7 * ka || std::fabs(ka - beta) < 1e-7 * ka) ka *= 1 + 1e-6;
  const double s = kNgPerMlPerMgPerL * ka / v;
  e.a = {s * (k21 - alpha) / ((ka - alpha) * (beta - alpha)),
         s * (k21 - beta) / ((ka - beta) * (alpha - beta)),
         s * (k21 - ka) / ((alpha - ka) * (beta - ka))};
  e.l = {alpha, beta, ka};
  e.n = 3;
  return e;
}

// n doses every tau, the last one `since_last` hours before: sum over the
// doses of exp(-l t), as a geometric series that cannot overflow.
double run_sum(double l, double since_last, double n, double tau) {
  const double one = std::exp(-l * tau);
  const double all = std::exp(-l * tau * n);
  const double series = one < 1 ? (1 - all) / (1 - one) : n;
  return std::exp(-l * since_last) * series;
}

double history_concentration(const Exponentials& e, const std::vector<TroughRecord>& history,
                             double time_h) {
  double c = 0;
  double start_h = 0;
  for (const TroughRecord& r : history) {
    const double end_h = std::min(r.days_since_start * 24, time_h);
    if (end_h > start_h && r.dose_mg > 0) {
      // Doses at start + k tau strictly before end (the sample precedes the dose).
      const double span = end_h - start_h;
      double n = std::ceil(span / r.interval_h - 1e-9);
      if (n < 1) n = 1;
      const double last_h = start_h + (n - 1) * r.interval_h;
      for (int i = 0; i < e.n; ++i)
        c += r.dose_mg * e.a[i] * run_sum(e.l[i], time_h - last_h, n, r.interval_h);
    }
    start_h = std::max(start_h, r.days_since_start * 24);
    if (start_h >= time_h) break;
  }
  return c;
}

double ss_trough(const Exponentials& e, double dose_mg, double interval_h) {
  double c = 0;
  for (int i = 0; i < e.n; ++i) {
    const double x = std::exp(-e.l[i] * interval_h);
    c += e.a[i] * x / (1 - x);
  }
  return dose_mg * c;
}

double slowest_rate(const Exponentials& e) {
  double l = kInf;
  for (int i = 0; i < e.n; ++i) l = std::min(l, e.l[i]);
  return l;
}

// ---- the posterior ------------------------------------------------------------

struct Posterior {
  const ForecastInput* in = nullptr;
  std::array<double, param_count> base{};  // typical values with covariates
  std::vector<double> omega;

  std::array<double, param_count> params(const double* eta) const {
    std::array<double, param_count> p = base;
    for (std::size_t k = 0; k < omega.size(); ++k)
      p[index(in->model.random_effects[k].parameter)] *= std::exp(eta[k]);
    return p;
  }

  // Negative log posterior density up to a constant.
  double nlp(const double* eta) const {
    double v = 0;
    for (std::size_t k = 0; k < omega.size(); ++k)
      v += 0.5 * (eta[k] / omega[k]) * (eta[k] / omega[k]);
    const Exponentials e = unit_dose(in->model, params(eta));
    const PkModel& m = in->model;
    // Each exponential term decays on its own, so the concentration at one
    // trough carries to the next by exp(-l dt): one pass over the history.
    std::array<double, 3> term{};
    double start_h = 0;
    for (const TroughRecord& r : in->history) {
      const double end_h = r.days_since_start * 24;
      if (end_h > start_h) {
        double n = std::ceil((end_h - start_h) / r.interval_h - 1e-9);
        if (n < 1) n = 1;
        const double last_h = start_h + (n - 1) * r.interval_h;
        for (int i = 0; i < e.n; ++i) {
          term[i] *= std::exp(-e.l[i] * (end_h - start_h));
          if (r.dose_mg > 0)
            term[i] += r.dose_mg * e.a[i] * run_sum(e.l[i], end_h - last_h, n, r.interval_h);
        }
        start_h = end_h;
      }
      double f = 0;
      for (int i = 0; i < e.n; ++i) f += term[i];
      const double y = r.trough_ng_ml;
      if (m.error_model == ErrorModel::exponential) {
        if (!(f > 0)) return kInf;
        const double z = (std::log(y) - std::log(f)) / m.proportional;
        v += 0.5 * z * z;  // the log-scale SD does not depend on eta
        continue;
      }
      double sd = 0;
      switch (m.error_model) {
        case ErrorModel::proportional:
          sd = m.proportional * f;
          break;
        case ErrorModel::additive:
          sd = m.additive_ng_ml;
          break;
        default:
          sd = std::sqrt(m.additive_ng_ml * m.additive_ng_ml +
                         m.proportional * m.proportional * f * f);
      }
      if (!(sd > 0)) return kInf;
      const double z = (y - f) / sd;
      v += std::log(sd) + 0.5 * z * z;
    }
    return v;
  }
};

// Nelder-Mead in one or two dimensions, from the best grid point; the grid
// has already located the global mode, this only sharpens it.
void polish(const Posterior& post, std::vector<double>& eta, double step) {
  const std::size_t d = eta.size();
  std::vector<std::vector<double>> x(d + 1, eta);
  std::vector<double> f(d + 1);
  for (std::size_t i = 0; i < d; ++i) x[i + 1][i] += step;
  for (std::size_t i = 0; i <= d; ++i) f[i] = post.nlp(x[i].data());
  for (int iter = 0; iter < 400; ++iter) {
    std::vector<std::size_t> o(d + 1);
    for (std::size_t i = 0; i <= d; ++i) o[i] = i;
    std::sort(o.begin(), o.end(), [&](std::size_t a, std::size_t b) { return f[a] < f[b]; });
    const std::size_t best = o[0], worst = o[d], second = o[d - 1];
    double size = 0;
    for (std::size_t i = 0; i <= d; ++i)
      for (std::size_t k = 0; k < d; ++k) size = std::max(size, std::fabs(x[i][k] - x[best][k]));
    if (size < 1e-9) break;
    std::vector<double> c(d, 0.0);
    for (std::size_t i = 0; i <= d; ++i)
      if (i != worst)
        for (std::size_t k = 0; k < d; ++k) c[k] += x[i][k] / static_cast<double>(d);
    auto along = [&](double t) {
      std::vector<double> y(d);
      for (std::size_t k = 0; k < d; ++k) y[k] = c[k] + t * (x[worst][k] - c[k]);
      return y;
    };
    std::vector<double> r = along(-1);
    const double fr = post.nlp(r.data());
    if (fr < f[best]) {
      std::vector<double> ex = along(-2);
      const double fe = post.nlp(ex.data());
      if (fe < fr) {
        x[worst] = ex;
        f[worst] = fe;
      } else {
        x[worst] = r;
        f[worst] = fr;
      }
    } else if (fr < f[second]) {
      x[worst] = r;
      f[worst] = fr;
    } else {
      std::vector<double> ct = along(fr < f[worst] ? -0.5 : 0.5);
      const double fc = post.nlp(ct.data());
      if (fc < std::min(fr, f[worst])) {
        x[worst] = ct;
        f[worst] = fc;
      } else {
        for (std::size_t i = 0; i <= d; ++i) {
          if (i == best) continue;
          for (std::size_t k = 0; k < d; ++k) x[i][k] = x[best][k] + 0.5 * (x[i][k] - x[best][k]);
          f[i] = post.nlp(x[i].data());
        }
      }
    }
  }
  std::size_t best = 0;
  for (std::size_t i = 1; i <= d; ++i)
    if (f[i] < f[best]) best = i;
  if (f[best] <= post.nlp(eta.data())) eta = x[best];
}

struct GridPoint {
  std::array<double, 2> eta{};
  double nlp = 0;
};

std::vector<GridPoint> evaluate_grid(const Posterior& post, const std::array<double, 2>& lo,
                                     const std::array<double, 2>& hi, int n) {
  const std::size_t d = post.omega.size();
  std::vector<GridPoint> g;
  const int n2 = d == 2 ? n : 1;
  g.reserve(static_cast<std::size_t>(n) * static_cast<std::size_t>(n2));
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n2; ++j) {
      GridPoint p;
      p.eta[0] = lo[0] + (hi[0] - lo[0]) * i / (n - 1);
      p.eta[1] = d == 2 ? lo[1] + (hi[1] - lo[1]) * j / (n - 1) : 0;
      p.nlp = post.nlp(p.eta.data());
      g.push_back(p);
    }
  }
  return g;
}

// The posterior of one quantity as weighted mass points (weights sum to 1),
// sorted, with cumulative weights.
class TroughPerMg {
 public:
  explicit TroughPerMg(std::vector<std::pair<double, double>> value_weight)
      : vw_(std::move(value_weight)), cum_(vw_.size()) {
    std::sort(vw_.begin(), vw_.end());
    double c = 0;
    for (std::size_t i = 0; i < vw_.size(); ++i) cum_[i] = c += vw_[i].second;
  }

  // The q-quantile, interpolating the CDF between the middles of the mass
  // points' steps, so that a small change in the data moves it smoothly.
  [[nodiscard]] double quantile(double q) const {
    for (std::size_t i = 0; i < vw_.size(); ++i) {
      const double mid = cum_[i] - vw_[i].second / 2;
      if (mid >= q) {
        if (i == 0) return vw_[0].first;
        const double prev_mid = cum_[i - 1] - vw_[i - 1].second / 2;
        const double t = (q - prev_mid) / (mid - prev_mid);
        return vw_[i - 1].first + t * (vw_[i].first - vw_[i - 1].first);
      }
    }
    return vw_.back().first;
  }

  // The mass of the points with low <= value <= high.
  [[nodiscard]] double mass_between(double low, double high) const {
    auto by_value = [](const std::pair<double, double>& p, double v) { return p.first < v; };
    const auto a = std::lower_bound(vw_.begin(), vw_.end(), low, by_value) - vw_.begin();
    const auto b = std::lower_bound(vw_.begin(), vw_.end(), std::nextafter(high, kInf), by_value) -
                   vw_.begin();
    const double below = a == 0 ? 0 : cum_[static_cast<std::size_t>(a - 1)];
    const double upto = b == 0 ? 0 : cum_[static_cast<std::size_t>(b - 1)];
    return std::clamp(upto - below, 0.0, 1.0);
  }

 private:
  std::vector<std::pair<double, double>> vw_;
  std::vector<double> cum_;
};

std::string fmt(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  const double r = std::round(v * scale) / scale;
  std::string s = std::to_string(r);
  // std::to_string prints six decimals; keep `decimals` of them.
  const auto dot = s.find('.');
  if (dot != std::string::npos) s.erase(decimals == 0 ? dot : dot + 1 + decimals);
  return s;
}

const Covariate* find_covariate(const std::vector<Covariate>& cs, std::string_view id) {
  for (const Covariate& c : cs)
    if (c.id == id) return &c;
  return nullptr;
}

ForecastResult invalid(std::string path, std::string message) {
  ForecastResult r;
  r.status = Status::invalid_input;
  r.error_path = std::move(path);
  r.error_message = std::move(message);
  return r;
}

}  // namespace

// ---- load_model ---------------------------------------------------------------

ModelLoad load_model(const json& file) {
  Loader L;
  PkModel m;
  ModelLoad out;
  if (!file.is_object()) {
    out.error = {"", "a model file must be an object"};
    return out;
  }
  L.string(file, "id", "", m.id);
  L.string(file, "drug", "", m.drug);
  L.string(file, "title", "", m.title);
  L.string(file, "citation", "", m.citation);
  L.string(file, "doi", "", m.doi);
  L.string(file, "verification", "", m.verification);
  L.string(file, "verification_detail", "", m.verification_detail);

  if (const json* s = L.member(file, "structure"); s == nullptr || !s->is_object()) {
    L.fail("structure", "must be an object");
  } else {
    double c = 0;
    L.string(*s, "assay", "structure", m.assay);
    if (L.number(*s, "compartments", "structure", c, true)) {
      if (c != 1 && c != 2) L.fail("structure.compartments", "must be 1 or 2");
      m.compartments = static_cast<int>(c);
    }
  }

  if (const json* ps = L.member(file, "parameters"); ps == nullptr || !ps->is_object()) {
    L.fail("parameters", "must be an object");
  } else {
    std::vector<Param> needed = {Param::cl_l_h, Param::v_l, Param::ka_per_h};
    if (m.compartments == 2) needed.insert(needed.end(), {Param::q_l_h, Param::vp_l});
    const char* names[] = {"cl_l_h", "v_l", "q_l_h", "vp_l", "ka_per_h"};
    for (Param p : needed) {
      const char* name = names[index(p)];
      const json* e = L.member(*ps, name);
      if (e == nullptr || !e->is_object()) {
        L.fail(std::string("parameters.") + name, "must be an object with \"typical\"");
        continue;
      }
      L.number(*e, "typical", std::string("parameters.") + name, m.typical[index(p)], true);
    }
  }

  if (const json* ce = L.member(file, "covariate_effects"); ce == nullptr || !ce->is_array()) {
    L.fail("covariate_effects", "must be an array");
  } else {
    for (std::size_t i = 0; i < ce->size(); ++i) {
      const json& e = (*ce)[i];
      const std::string path = "covariate_effects[" + std::to_string(i) + "]";
      CovariateEffect eff;
      std::string param, form;
      if (!L.string(e, "parameter", path, param) ||
          !L.string(e, "covariate", path, eff.covariate) || !L.string(e, "form", path, form))
        break;
      auto p = param_of(param);
      auto f = form_of(form);
      if (!p) {
        L.fail(path + ".parameter", "unknown parameter \"" + param + "\"");
        break;
      }
      if (!f) {
        L.fail(path + ".form", "unknown form \"" + form + "\"");
        break;
      }
      eff.parameter = *p;
      eff.form = *f;
      const char* coef = *f == EffectForm::power ? "exponent" : "coefficient";
      L.number(e, coef, path, eff.coefficient, false);
      if (*f == EffectForm::indicator_factor) {
        L.number(e, "threshold", path, eff.threshold, false);
        if (!(eff.coefficient > 0)) L.fail(path + ".coefficient", "must be > 0");
      } else {
        L.number(e, "reference", path, eff.reference, true);
      }
      m.effects.push_back(eff);
    }
  }

  if (const json* re = L.member(file, "random_effects");
      re == nullptr || !re->is_array() || re->empty() || re->size() > 2) {
    L.fail("random_effects", "must be an array of one or two random effects");
  } else {
    for (std::size_t i = 0; i < re->size(); ++i) {
      const std::string path = "random_effects[" + std::to_string(i) + "]";
      RandomEffect r;
      std::string param;
      if (!L.string((*re)[i], "parameter", path, param)) break;
      auto p = param_of(param);
      if (!p) {
        L.fail(path + ".parameter", "unknown parameter \"" + param + "\"");
        break;
      }
      r.parameter = *p;
      L.number((*re)[i], "omega_sd", path, r.omega_sd, true);
      m.random_effects.push_back(r);
    }
    if (m.random_effects.empty() || m.random_effects[0].parameter != Param::cl_l_h)
      L.fail("random_effects[0].parameter", "the first random effect must be on cl_l_h");
    if (m.random_effects.size() == 2 && m.random_effects[1].parameter == Param::cl_l_h)
      L.fail("random_effects[1].parameter", "two random effects on the same parameter");
  }

  if (const json* err = L.member(file, "residual_error"); err == nullptr || !err->is_object()) {
    L.fail("residual_error", "must be an object");
  } else {
    std::string model;
    if (L.string(*err, "model", "residual_error", model)) {
      auto e = error_model_of(model);
      if (!e) {
        L.fail("residual_error.model", "unknown error model \"" + model + "\"");
      } else {
        m.error_model = *e;
        L.number(*err, "proportional", "residual_error", m.proportional, false);
        L.number(*err, "additive_ng_ml", "residual_error", m.additive_ng_ml, false);
        const bool needs_prop = *e != ErrorModel::additive;
        const bool needs_add = *e == ErrorModel::additive || *e == ErrorModel::combined;
        if (needs_prop && !(m.proportional > 0))
          L.fail("residual_error.proportional", "must be > 0 for this error model");
        if (needs_add && !(m.additive_ng_ml > 0))
          L.fail("residual_error.additive_ng_ml", "must be > 0 for this error model");
      }
    }
  }

  if (const json* cs = L.member(file, "covariates"); cs == nullptr || !cs->is_array()) {
    L.fail("covariates", "must be an array");
  } else {
    for (std::size_t i = 0; i < cs->size(); ++i) {
      std::string id;
      const std::string path = "covariates[" + std::to_string(i) + "]";
      if (!L.string((*cs)[i], "id", path, id)) break;
      const json* req = L.member((*cs)[i], "required");
      if (req != nullptr && req->is_boolean() && req->get<bool>())
        m.required_covariates.push_back(id);
    }
  }
  for (const CovariateEffect& e : m.effects)
    if (std::find(m.required_covariates.begin(), m.required_covariates.end(), e.covariate) ==
        m.required_covariates.end())
      L.fail("covariates", "covariate \"" + e.covariate + "\" has an effect but is not required");

  if (const json* pop = L.member(file, "population"); pop == nullptr || !pop->is_object()) {
    L.fail("population", "must be an object");
  } else {
    L.string(*pop, "description", "population", m.population);
    L.string(*pop, "condition_text", "population", m.condition_text);
    const json* conds = L.member(*pop, "conditions");
    if (conds == nullptr || !conds->is_array()) {
      L.fail("population.conditions", "must be an array of indication ids");
    } else {
      for (const json& c : *conds) {
        if (!c.is_string()) {
          L.fail("population.conditions", "must hold strings");
          break;
        }
        m.conditions.push_back(c.get_ref<const json::string_t&>());
      }
    }
    const json* ranges = L.member(*pop, "ranges");
    if (ranges == nullptr || !ranges->is_object() || ranges->empty()) {
      L.fail("population.ranges", "must be an object of [low, high] ranges");
    } else {
      for (auto it = ranges->begin(); it != ranges->end(); ++it) {
        const std::string path = "population.ranges." + it.key();
        const json& r = it.value();
        if (!r.is_array() || r.size() != 2 || !r[0].is_number() || !r[1].is_number() ||
            !(r[0].get<double>() <= r[1].get<double>())) {
          L.fail(path, "must be [low, high]");
          break;
        }
        m.ranges.push_back({it.key(), r[0].get<double>(), r[1].get<double>()});
      }
    }
  }

  // The model is a rule: its refs name entries of references.json.
  if (const json* refs = L.member(file, "refs");
      refs == nullptr || !refs->is_array() || refs->empty()) {
    L.fail("refs", "must list the model's reference ids");
  } else {
    for (const json& r : *refs) {
      if (!r.is_string()) {
        L.fail("refs", "must list the model's reference ids");
        break;
      }
      m.refs.push_back(r.get<std::string>());
    }
  }

  if (L.failed) {
    out.error = L.error;
    return out;
  }
  out.model = std::move(m);
  return out;
}

std::optional<double> interval_hours(std::string_view frequency) {
  if (frequency == "once_daily") return 24.0;
  if (frequency == "twice_daily") return 12.0;
  if (frequency == "every_other_day") return 48.0;
  if (frequency == "weekly") return 168.0;
  return std::nullopt;
}

// ---- kinetics, exposed -----------------------------------------------------------

std::optional<std::array<double, param_count>> individual_parameters(
    const PkModel& model, const std::vector<Covariate>& covariates,
    const std::vector<double>& eta) {
  std::array<double, param_count> p = model.typical;
  for (const CovariateEffect& e : model.effects) {
    if (e.form != EffectForm::additive_linear) continue;
    const Covariate* c = find_covariate(covariates, e.covariate);
    if (c == nullptr) return std::nullopt;
    p[index(e.parameter)] += e.coefficient * (c->value / e.reference);
  }
  for (const CovariateEffect& e : model.effects) {
    const Covariate* c = find_covariate(covariates, e.covariate);
    if (c == nullptr) return std::nullopt;
    double& v = p[index(e.parameter)];
    switch (e.form) {
      case EffectForm::power:
        if (!(c->value > 0)) return std::nullopt;
        v *= std::pow(c->value / e.reference, e.coefficient);
        break;
      case EffectForm::linear_factor:
        v *= 1 + e.coefficient * c->value / e.reference;
        break;
      case EffectForm::indicator_factor:
        if (c->value > e.threshold) v *= e.coefficient;
        break;
      case EffectForm::additive_linear:
        break;
    }
  }
  for (std::size_t k = 0; k < model.random_effects.size() && k < eta.size(); ++k)
    p[index(model.random_effects[k].parameter)] *= std::exp(eta[k]);
  const std::size_t used = model.compartments == 2 ? param_count : 2;
  for (std::size_t i = 0; i < used; ++i)
    if (!(p[i] > 0) || !std::isfinite(p[i])) return std::nullopt;
  if (!(p[index(Param::ka_per_h)] > 0)) return std::nullopt;
  return p;
}

double concentration_ng_ml(const PkModel& model, const std::array<double, param_count>& params,
                           const std::vector<TroughRecord>& history, double time_h) {
  return history_concentration(unit_dose(model, params), history, time_h);
}

double steady_state_trough_ng_ml(const PkModel& model,
                                 const std::array<double, param_count>& params, double dose_mg,
                                 double interval_h) {
  return ss_trough(unit_dose(model, params), dose_mg, interval_h);
}

bool covers(const PkModel& model, const std::vector<Covariate>& covariates) {
  for (const StudiedRange& range : model.ranges) {
    const Covariate* c = find_covariate(covariates, range.covariate);
    if (c == nullptr || !(c->value >= range.low && c->value <= range.high)) return false;
  }
  return true;
}

const PkModel* choose_model(const std::vector<PkModel>& models, std::string_view drug,
                            const std::vector<Covariate>& covariates, std::string_view condition) {
  const PkModel* first = nullptr;
  const PkModel* covering = nullptr;
  for (const PkModel& m : models) {
    if (m.drug != drug) continue;
    if (first == nullptr) first = &m;
    if (!covers(m, covariates)) continue;
    if (std::find(m.conditions.begin(), m.conditions.end(), condition) != m.conditions.end())
      return &m;
    if (covering == nullptr) covering = &m;
  }
  return covering != nullptr ? covering : first;
}

// ---- forecast ------------------------------------------------------------------------

ForecastResult forecast(const ForecastInput& in) {
  const PkModel& m = in.model;
  if (m.random_effects.empty() || m.random_effects.size() > 2)
    return invalid("model.random_effects", "the model needs one or two random effects");

  // The input, checked where it is read: a located error for each fault.
  if (in.history.empty()) return invalid("history", "at least one measured trough is needed");
  if (in.history.size() > kMaxTroughs)
    return invalid("history", "at most " + std::to_string(kMaxTroughs) + " troughs");
  if (in.candidates.size() > kMaxCandidates)
    return invalid("candidates", "at most " + std::to_string(kMaxCandidates) + " candidate doses");
  double previous_day = 0;
  for (std::size_t i = 0; i < in.history.size(); ++i) {
    const TroughRecord& r = in.history[i];
    const std::string path = "history[" + std::to_string(i) + "]";
    if (!std::isfinite(r.days_since_start) || r.days_since_start <= 0 ||
        r.days_since_start > kMaxDays)
      return invalid(path + ".days_since_start", "must be > 0 and at most " + fmt(kMaxDays, 0));
    if (r.days_since_start < previous_day)
      return invalid(path + ".days_since_start", "troughs must be oldest first");
    previous_day = r.days_since_start;
    if (!std::isfinite(r.trough_ng_ml) || r.trough_ng_ml <= 0 || r.trough_ng_ml > 1000)
      return invalid(path + ".trough_ng_ml", "must be > 0 and at most 1000 ng/mL");
    if (!std::isfinite(r.dose_mg) || r.dose_mg < 0 || r.dose_mg > 1000)
      return invalid(path + ".dose_mg", "must be between 0 and 1000 mg");
    if (!std::isfinite(r.interval_h) || r.interval_h < kMinIntervalH || r.interval_h > 24 * 28)
      return invalid(path + ".frequency", "dosing interval out of range");
  }
  if (!(in.history.back().dose_mg > 0))
    return invalid("history[" + std::to_string(in.history.size() - 1) + "].dose_mg",
                   "the current dose must be > 0");
  for (std::size_t i = 0; i < in.candidates.size(); ++i) {
    const CandidateDose& c = in.candidates[i];
    const std::string path = "candidates[" + std::to_string(i) + "]";
    if (!std::isfinite(c.dose_mg) || c.dose_mg <= 0 || c.dose_mg > 1000)
      return invalid(path + ".dose_mg", "must be > 0 and at most 1000 mg");
    if (!std::isfinite(c.interval_h) || c.interval_h < kMinIntervalH || c.interval_h > 24 * 28)
      return invalid(path + ".frequency", "dosing interval out of range");
  }
  if (!(in.target_low_ng_ml < in.target_high_ng_ml))
    return invalid("target", "the target range must have low < high");
  for (const std::string& id : m.required_covariates) {
    const Covariate* c = find_covariate(in.covariates, id);
    if (c == nullptr) return invalid("covariates." + id, "the model needs this covariate");
    if (!std::isfinite(c->value)) return invalid("covariates." + id, "must be finite");
  }

  ForecastResult r;
  r.status = Status::ok;
  r.in_population = true;

  // in_population: every studied range holds; a value not given cannot be checked.
  for (const StudiedRange& range : m.ranges) {
    const Covariate* c = find_covariate(in.covariates, range.covariate);
    if (c == nullptr) {
      r.in_population = false;
      r.caveats.push_back({CaveatCode::outside_population,
                           range.covariate + " not given: the model's studied range (" +
                               fmt(range.low, 2) + "-" + fmt(range.high, 2) +
                               ") cannot be checked; no dose is offered."});
    } else if (!(c->value >= range.low && c->value <= range.high)) {
      r.in_population = false;
      r.caveats.push_back({CaveatCode::outside_population,
                           range.covariate + " " + fmt(c->value, 2) + " is outside the range the " +
                               m.id + " model was built on (" + fmt(range.low, 2) + "-" +
                               fmt(range.high, 2) + "); no dose is offered."});
    }
  }

  const auto typical = individual_parameters(m, in.covariates, {});
  if (!typical) {
    r.in_population = false;
    r.caveats.push_back({CaveatCode::outside_population,
                         "The model gives no valid parameters for these covariates."});
  }
  if (!r.in_population) {
    r.status = Status::out_of_population;
    return r;
  }
  r.typical_cl_l_h = (*typical)[index(Param::cl_l_h)];
  r.typical_v_l = (*typical)[index(Param::v_l)];
  const Exponentials typical_e = unit_dose(m, *typical);
  r.terminal_half_life_h = kLn2 / slowest_rate(typical_e);

  if (std::find(m.conditions.begin(), m.conditions.end(), in.condition) == m.conditions.end())
    r.caveats.push_back({CaveatCode::condition_extrapolated,
                         "The model was built in " + m.condition_text +
                             "; for this indication the forecast is an extrapolation."});
  if (in.interaction == InteractionChange::after_troughs)
    r.caveats.push_back({CaveatCode::interaction_changed,
                         "An interacting drug was started or stopped after these troughs: they no "
                         "longer describe the patient's clearance; recheck the trough first."});
  // Troughs drawn within 5 typical half-lives of a dose change.
  {
    const double settle_h = 5 * r.terminal_half_life_h;
    double run_start_h = 0;
    std::string early;
    for (std::size_t i = 0; i < in.history.size(); ++i) {
      const TroughRecord& t = in.history[i];
      if (i > 0 &&
          (t.dose_mg != in.history[i - 1].dose_mg || t.interval_h != in.history[i - 1].interval_h))
        run_start_h = in.history[i - 1].days_since_start * 24;
      if (t.days_since_start * 24 - run_start_h < settle_h)
        early += (early.empty() ? "" : ", ") + std::string("day ") + fmt(t.days_since_start, 1);
    }
    if (!early.empty())
      r.caveats.push_back(
          {CaveatCode::not_at_steady_state,
           "Trough(s) on " + early + " were drawn less than 5 half-lives (" +
               fmt(settle_h / 24, 1) +
               " days in the model) after a dose change, before steady state; the estimate "
               "leans on the dosing history being exact."});
  }
  r.caveats.push_back({CaveatCode::assay, "The model's troughs were measured by " + m.assay +
                                              "; another assay can read differently."});
  if (m.verification != "confirmed")
    r.caveats.push_back(
        {CaveatCode::unconfirmed_model, "Model parameters " + m.verification_detail + "."});

  // The posterior on a grid: first over the prior's +-5 SD, then again over
  // the region holding its mass (densities above e^-20 of the mode).
  Posterior post;
  post.in = &in;
  post.base = *typical;
  for (const RandomEffect& e : m.random_effects) post.omega.push_back(e.omega_sd);
  const std::size_t d = post.omega.size();
  std::array<double, 2> lo{}, hi{};
  for (std::size_t k = 0; k < d; ++k) {
    lo[k] = -5 * post.omega[k];
    hi[k] = 5 * post.omega[k];
  }
  const int n1 = d == 2 ? 81 : 801;
  std::vector<GridPoint> g = evaluate_grid(post, lo, hi, n1);
  double best = kInf;
  for (const GridPoint& p : g) best = std::min(best, p.nlp);
  if (!std::isfinite(best))
    return invalid("history", "no parameter value of the model can produce these troughs");
  std::array<double, 2> lo2{kInf, kInf}, hi2{-kInf, -kInf};
  for (const GridPoint& p : g)
    if (p.nlp < best + 20)
      for (std::size_t k = 0; k < d; ++k) {
        lo2[k] = std::min(lo2[k], p.eta[k]);
        hi2[k] = std::max(hi2[k], p.eta[k]);
      }
  for (std::size_t k = 0; k < d; ++k) {
    const double step = (hi[k] - lo[k]) / (n1 - 1);
    lo2[k] = std::max(lo2[k] - step, -6 * post.omega[k]);
    hi2[k] = std::min(hi2[k] + step, 6 * post.omega[k]);
  }
  g = evaluate_grid(post, lo2, hi2, d == 2 ? 121 : 2001);
  best = kInf;
  std::vector<double> eta(d, 0.0);
  for (const GridPoint& p : g)
    if (p.nlp < best) {
      best = p.nlp;
      for (std::size_t k = 0; k < d; ++k) eta[k] = p.eta[k];
    }
  polish(post, eta, (hi2[0] - lo2[0]) / 100);
  r.eta_map = eta;

  // Posterior weights and each grid point's steady-state trough per mg.
  double total = 0;
  std::vector<double> w(g.size());
  for (std::size_t i = 0; i < g.size(); ++i) total += w[i] = std::exp(-(g[i].nlp - best));
  double mean = 0, second = 0;
  for (std::size_t i = 0; i < g.size(); ++i) {
    w[i] /= total;
    mean += w[i] * g[i].eta[0];
    second += w[i] * g[i].eta[0] * g[i].eta[0];
  }
  const double sd_cl = std::sqrt(std::max(0.0, second - mean * mean));

  const auto map_params = post.params(eta.data());
  Individual ind;
  ind.cl_l_h = map_params[index(Param::cl_l_h)];
  ind.v_l = map_params[index(Param::v_l)];
  ind.shrinkage_weight = std::clamp(1 - sd_cl / post.omega[0], 0.0, 1.0);
  r.individual = ind;

  // Linear kinetics: the steady-state trough is dose x trough-per-mg(eta), so
  // the posterior of the trough per mg, sorted once per dosing interval,
  // serves every dose on that interval (and makes each exactly linear in dose).
  std::vector<std::pair<double, TroughPerMg>> per_interval;
  auto per_mg = [&](double interval_h) -> const TroughPerMg& {
    for (const auto& [tau, d] : per_interval)
      if (tau == interval_h) return d;
    std::vector<std::pair<double, double>> vw(g.size());
    for (std::size_t i = 0; i < g.size(); ++i)
      vw[i] = {ss_trough(unit_dose(m, post.params(g[i].eta.data())), 1, interval_h), w[i]};
    per_interval.emplace_back(interval_h, TroughPerMg(std::move(vw)));
    return per_interval.back().second;
  };
  auto forecast_regimen = [&](double dose_mg, double interval_h, DoseForecast& out) {
    const TroughPerMg& d = per_mg(interval_h);
    out.dose_mg = dose_mg;
    out.interval_h = interval_h;
    out.median_trough_ng_ml = dose_mg * d.quantile(0.5);
    out.interval_90 = {dose_mg * d.quantile(0.05), dose_mg * d.quantile(0.95)};
    out.p_in_range = d.mass_between(in.target_low_ng_ml / dose_mg, in.target_high_ng_ml / dose_mg);
  };
  DoseForecast current;
  forecast_regimen(in.history.back().dose_mg, in.history.back().interval_h, current);
  r.predicted_trough = TroughForecast{current.median_trough_ng_ml, current.interval_90};
  for (const CandidateDose& c : in.candidates) {
    DoseForecast f;
    forecast_regimen(c.dose_mg, c.interval_h, f);
    r.doses.push_back(f);
  }
  return r;
}

}  // namespace mtorcalc::forecast
