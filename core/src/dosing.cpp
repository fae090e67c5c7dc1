#include "dosing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace mtorcalc {

using namespace std::string_view_literals;

namespace {

// Doses are handled in hundredths of a milligram so that 2.5 + 5 is exact.
long long centi(double mg) {
  return std::llround(mg * 100.0);
}

// reach[i]: fewest units making i centi-mg (-1 when impossible); from[i]: the
// strength index used last, to rebuild the combination.
struct Table {
  std::vector<int> reach;
  std::vector<int> from;
};

Table build(const std::vector<long long>& s, long long upto) {
  Table t;
  t.reach.assign(static_cast<std::size_t>(upto + 1), -1);
  t.from.assign(static_cast<std::size_t>(upto + 1), -1);
  t.reach[0] = 0;
  for (long long i = 1; i <= upto; ++i) {
    for (std::size_t k = 0; k < s.size(); ++k) {
      if (s[k] <= 0 || s[k] > i) continue;
      int prev = t.reach[static_cast<std::size_t>(i - s[k])];
      if (prev < 0) continue;
      int& cur = t.reach[static_cast<std::size_t>(i)];
      // Fewest units; on a tie prefer the larger strength (fewer kinds).
      if (cur < 0 || prev + 1 < cur ||
          (prev + 1 == cur &&
           s[k] > s[static_cast<std::size_t>(t.from[static_cast<std::size_t>(i)])])) {
        cur = prev + 1;
        t.from[static_cast<std::size_t>(i)] = static_cast<int>(k);
      }
    }
  }
  return t;
}

std::vector<long long> to_centi(const std::vector<double>& strengths) {
  std::vector<long long> s;
  for (double x : strengths) s.push_back(centi(x));
  return s;
}

// Every sum of strengths is a multiple of their greatest common divisor
// (2.5 mg for 2.5/5/7.5/10 mg tablets), so the tables count in that step
// rather than in hundredths: the same answers from a table hundreds of
// times smaller.
long long common_step(const std::vector<long long>& s) {
  long long g = 0;
  for (long long x : s)
    if (x > 0) g = std::gcd(g, x);
  return g > 0 ? g : 1;
}

std::vector<long long> in_steps(std::vector<long long> s, long long step) {
  for (long long& x : s)
    if (x > 0) x /= step;
  return s;
}

// Largest dose considered: enough for any single administration in content.
constexpr long long max_centi = 100000;  // 1000 mg, the request's own bound

}  // namespace

std::optional<std::vector<Unit>> units_for(const std::vector<double>& strengths_mg,
                                           double dose_mg) {
  const auto s_centi = to_centi(strengths_mg);
  long long target = centi(dose_mg);
  if (target <= 0 || target > max_centi || s_centi.empty()) return std::nullopt;
  const long long step = common_step(s_centi);
  if (target % step != 0) return std::nullopt;  // no sum of strengths makes it
  const auto s = in_steps(s_centi, step);
  target /= step;
  Table t = build(s, target);
  if (t.reach[static_cast<std::size_t>(target)] < 0) return std::nullopt;
  std::vector<int> counts(s.size(), 0);
  for (long long i = target; i > 0;) {
    int k = t.from[static_cast<std::size_t>(i)];
    ++counts[static_cast<std::size_t>(k)];
    i -= s[static_cast<std::size_t>(k)];
  }
  std::vector<Unit> out;
  for (std::size_t k = s.size(); k-- > 0;)
    if (counts[k] > 0) out.push_back({strengths_mg[k], counts[k]});
  std::sort(out.begin(), out.end(),
            [](const Unit& a, const Unit& b) { return a.strength_mg > b.strength_mg; });
  return out;
}

namespace {

// Only a difference below floating-point noise counts as a tie.
constexpr double kTieMg = 1e-9;

// The nearer of two doses either side of dose_mg. Nearness is judged on the
// calculated dose itself, not on its hundredths: 4.5 mg/m² × 1.89 m² =
// 8.505 mg is nearer 9 than 8, though 8.50 would be a tie; a true tie goes
// the way `tie` says.
double nearer(double dose_mg, double below_mg, double above_mg, Tie tie) {
  const double to_below = std::fabs(dose_mg - below_mg);
  const double to_above = std::fabs(above_mg - dose_mg);
  if (to_below < to_above - kTieMg) return below_mg;
  if (to_above < to_below - kTieMg) return above_mg;
  return tie == Tie::down ? below_mg : above_mg;
}

}  // namespace

double nearest_achievable(const std::vector<double>& strengths_mg, double dose_mg, Tie tie) {
  const auto s_centi = to_centi(strengths_mg);
  if (s_centi.empty()) return dose_mg;
  long long lowest = *std::min_element(s_centi.begin(), s_centi.end());
  long long highest = *std::max_element(s_centi.begin(), s_centi.end());
  long long target = std::clamp(centi(dose_mg), lowest, max_centi);
  const long long upto = std::min(target + highest, max_centi);
  const long long step = common_step(s_centi);
  Table t = build(in_steps(s_centi, step), upto / step);
  auto reachable = [&](long long i) {
    return i >= 0 && i % step == 0 && t.reach[static_cast<std::size_t>(i / step)] >= 0;
  };
  long long below = -1, above = -1;
  for (long long i = target; i >= lowest; --i)
    if (reachable(i)) {
      below = i;
      break;
    }
  for (long long i = target; i <= upto; ++i)
    if (reachable(i)) {
      above = i;
      break;
    }
  if (below < 0) return static_cast<double>(above) / 100.0;
  if (above < 0) return static_cast<double>(below) / 100.0;
  return nearer(dose_mg, static_cast<double>(below) / 100.0, static_cast<double>(above) / 100.0,
                tie);
}

double largest_achievable_at_most(const std::vector<double>& strengths_mg, double dose_mg) {
  const auto s_centi = to_centi(strengths_mg);
  if (s_centi.empty() || !(dose_mg > 0)) return 0;
  // Round down to hundredths (never up: the answer must not exceed dose_mg),
  // with a tolerance so that 14.5 stored as 14.4999… is still 14.5.
  long long target =
      std::min(static_cast<long long>(std::floor(dose_mg * 100.0 + 1e-4)), max_centi);
  const long long step = common_step(s_centi);
  target -= target % step;
  if (target <= 0) return 0;
  Table t = build(in_steps(s_centi, step), target / step);
  for (long long i = target / step; i > 0; --i)
    if (t.reach[static_cast<std::size_t>(i)] >= 0) return static_cast<double>(i * step) / 100.0;
  return 0;
}

std::vector<double> strengths_of(std::string_view drug, std::string_view form) {
  std::vector<double> out;
  const json& f = content::at(std::string(drug) + ".forms." + std::string(form) + ".strengths_mg");
  if (f.is_array())
    for (const json& x : f) out.push_back(x.get<double>());
  return out;
}

double nearest_increment(double dose_mg, double step_mg, Tie tie) {
  if (!(step_mg > 0)) return dose_mg;
  double steps = std::floor(dose_mg / step_mg);
  if (steps * step_mg > dose_mg + kTieMg) steps -= 1;  // the quotient rounded up
  return std::max(step_mg, nearer(dose_mg, steps * step_mg, (steps + 1) * step_mg, tie));
}

std::optional<double> increment_of(std::string_view drug, std::string_view form) {
  const json& inc =
      content::at(std::string(drug) + ".forms." + std::string(form) + ".dose_increment_mg");
  if (inc.is_number() && inc.get<double>() > 0) return inc.get<double>();
  return std::nullopt;
}

Tie tie_rule(std::string_view drug) {
  const json& r = content::at(std::string(drug) + ".rounding.tie");
  return r.is_string() && r.get<std::string>() == "up"sv ? Tie::up : Tie::down;
}

ojson units_json(std::string_view drug, std::string_view form, double dose_mg) {
  ojson arr = ojson::array();
  const json& f = content::at(std::string(drug) + ".forms." + std::string(form));
  if (!f.is_object()) return arr;
  auto strengths = strengths_of(drug, form);
  if (f.value("unit"sv, "") == "vial"sv) {
    // A vial holds a fixed amount; give whole vials and say how much is used.
    double vial = strengths.empty() ? 0 : strengths.front();
    if (vial <= 0) return arr;
    int count = static_cast<int>(std::ceil(dose_mg / vial - 1e-9));
    arr.push_back({{"strength_mg", vial}, {"count", count}, {"unit", "vial"}});
    return arr;
  }
  if (auto u = units_for(strengths, dose_mg)) {
    std::string unit = f.value("unit"sv, "tablet");
    for (const Unit& x : *u)
      arr.push_back({{"strength_mg", x.strength_mg}, {"count", x.count}, {"unit", unit}});
  }
  return arr;
}

ojson regimen_json(Ctx& ctx, const RegimenSpec& spec) {
  const json& form = ctx.rule(spec.drug + ".forms." + spec.form);
  ojson r = ojson::object();
  r["drug"sv] = spec.drug;
  r["product"sv] = form.value("product"sv, "");
  r["form"sv] = spec.form;
  r["route"sv] = form.value("route"sv, "");
  r["dose_mg"sv] = round_to(spec.dose_mg, 2);
  r["dose_mg_per_m2"sv] =
      spec.dose_mg_per_m2 ? ojson(round_to(*spec.dose_mg_per_m2, 2)) : ojson(nullptr);
  if (spec.calculated_dose_mg) r["calculated_dose_mg"sv] = round_to(*spec.calculated_dose_mg, 2);
  r["frequency"sv] = spec.frequency;
  r["units"sv] = units_json(spec.drug, spec.form, spec.dose_mg);
  ojson adj = ojson::array();
  for (const Adjustment& a : spec.adjustments) {
    ojson j = {{"code", a.code},
               {"from_mg", round_to(a.from_mg, 2)},
               {"to_mg", round_to(a.to_mg, 2)},
               {"refs", a.refs}};
    if (!a.frequency.empty()) j["frequency"sv] = a.frequency;
    if (!a.note.empty()) j["note"sv] = a.note;
    if (!a.rule.empty()) j["rule"sv] = a.rule;
    adj.push_back(std::move(j));
  }
  r["adjustments"sv] = std::move(adj);
  r["trough_target_ng_ml"sv] =
      spec.trough_target_ng_ml
          ? ojson::array({spec.trough_target_ng_ml->first, spec.trough_target_ng_ml->second})
          : ojson(nullptr);
  r["next_trough_check_days"sv] =
      spec.next_trough_check_days
          ? ojson::array({spec.next_trough_check_days->first, spec.next_trough_check_days->second})
          : ojson(nullptr);
  r["premedication"sv] = spec.premedication;
  ojson refs = spec.refs;
  for (const auto& x : Ctx::refs_of(form)) refs.push_back(x);
  r["refs"sv] = std::move(refs);
  ojson notes = ojson::array();
  for (const auto& n : spec.notes) notes.push_back(n);
  if (form.contains("administration"sv))
    notes.push_back(form["administration"sv].get<std::string>());
  r["notes"sv] = std::move(notes);
  return r;
}

}  // namespace mtorcalc
