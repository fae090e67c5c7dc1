// The answer's forecast section over generated requests (seeded, so the same
// requests on every platform): the forecast never changes the plan or any
// other section; a higher measured trough never lowers the predicted trough;
// the candidate doses' troughs are linear in dose; outside the model's
// population no dose is offered; the 90% interval holds the median; no
// candidate dose exceeds the plan's ceiling.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "helpers.hpp"

using mtorcalc::json;

namespace {

using test::Rng;

struct Scenario {
  const char* indication;
  const char* drug;
  const char* form;
  double age_lo, age_hi;
  std::vector<double> doses_mg;
};

// Every model in content is reached: Park (everolimus), Golubovic (sirolimus
// adults), Chen (sirolimus children); adults on everolimus fall outside Park.
const std::vector<Scenario> scenarios = {
    {"tsc_sega", "everolimus", "tablet_for_oral_suspension", 3, 30, {2, 3, 4, 5, 6, 7}},
    {"tsc_seizures", "everolimus", "tablet_for_oral_suspension", 3, 30, {2, 4, 5, 6}},
    {"rcc", "everolimus", "tablet", 40, 80, {5, 10}},
    {"lam", "sirolimus", "tablet", 18, 60, {1, 2, 3}},
    {"tsc_seizures", "sirolimus", "oral_solution", 2, 15, {0.5, 1, 1.5, 2}},
};

json generate(Rng& rng, const Scenario& s) {
  json r = test::base(s.indication);
  r["drug"] = s.drug;
  const double age = rng.round1(s.age_lo, s.age_hi);
  const double weight = age < 16 ? rng.round1(12, 55) : rng.round1(45, 110);
  const double height = age < 16 ? rng.round1(95, 170) : rng.round1(150, 190);
  r["patient"] = {{"age_years", age},     {"sex", "female"},
                  {"weight_kg", weight},  {"height_cm", height},
                  {"tsc_definite", true}, {"labs", {{"ast_u_l", rng.round1(10, 60)}}}};
  if (std::string(s.indication) == "rcc")
    r["condition"] = {{"rcc",
                       {{"histology", "clear_cell"},
                        {"advanced", true},
                        {"prior_therapies", json::array({"sunitinib"})}}}};
  json history = json::array();
  const std::size_t n = 1 + rng.pick(4);
  double day = 0;
  double dose = s.doses_mg[rng.pick(s.doses_mg.size())];
  // One patient: troughs in proportion to the dose, scattered +-25%. (With a
  // proportional error on the linear scale, a trough below half its
  // prediction pulls the other way: docs/forecast.md, "In the answer".)
  const double ng_ml_per_mg = rng.uniform(0.5, 3);
  for (std::size_t i = 0; i < n; ++i) {
    day += static_cast<double>(7 + rng.pick(24));
    if (i > 0 && rng.unit() < 0.3) dose = s.doses_mg[rng.pick(s.doses_mg.size())];
    history.push_back(
        {{"days_since_start", day},
         {"trough_ng_ml",
          std::max(0.5, std::round(ng_ml_per_mg * dose * rng.uniform(0.8, 1.25) * 10) / 10)},
         {"dose_mg", dose},
         {"frequency", "once_daily"}});
  }
  r["therapy"] = {{"current_dose_mg", dose},
                  {"frequency", "once_daily"},
                  {"form", s.form},
                  {"trough_ng_ml", history.back()["trough_ng_ml"]},
                  {"days_on_current_dose", 14},
                  {"trough_history", history}};
  return r;
}

}  // namespace

TEST_CASE("forecast section: properties over generated requests") {
  Rng rng(20261207);
  int checked = 0, in_population = 0, out_of_population = 0;
  for (const Scenario& s : scenarios) {
    for (int k = 0; k < 16; ++k) {
      const json req = generate(rng, s);
      const json with = test::eval(req);
      CAPTURE(req.dump());
      REQUIRE(with["status"] == "ok");
      const json& f = with["forecast"];
      REQUIRE(f.is_object());
      ++checked;

      // Never changes the plan or any section but its own (rules and
      // references gain only the model and its reference).
      json without_req = req;
      without_req["therapy"].erase("trough_history");
      const json without = test::eval(without_req);
      CHECK(without["forecast"].is_null());
      for (const char* section : {"plan", "derived", "eligibility", "regimen", "titration",
                                  "toxicity", "interactions", "warnings", "monitoring"})
        CHECK_MESSAGE(with[section] == without[section], section);

      if (!f["in_population"].get<bool>()) {
        ++out_of_population;
        CHECK(f["doses"].empty());
        CHECK(f["individual"].is_null());
        continue;
      }
      ++in_population;
      const json& p = f["predicted_trough_ng_ml"];
      CHECK(p["interval_90"][0].get<double>() <= p["median"].get<double>());
      CHECK(p["median"].get<double>() <= p["interval_90"][1].get<double>());
      REQUIRE(!f["doses"].empty());

      // Linear in dose: each candidate's median over its dose is one ratio,
      // up to the 2-decimal rounding of the medians.
      const json& first = f["doses"][0];
      const double ratio =
          first["median_trough_ng_ml"].get<double>() / first["dose_mg"].get<double>();
      for (const json& d : f["doses"]) {
        const double dose = d["dose_mg"].get<double>();
        const double scale = dose / first["dose_mg"].get<double>();
        CHECK(std::fabs(d["median_trough_ng_ml"].get<double>() - ratio * dose) <=
              0.005 * (1 + scale) + 1e-9);
        CHECK(d["interval_90"][0].get<double>() <= d["median_trough_ng_ml"].get<double>());
        CHECK(d["median_trough_ng_ml"].get<double>() <= d["interval_90"][1].get<double>());
        CHECK(d["p_in_range"].get<double>() >= 0);
        CHECK(d["p_in_range"].get<double>() <= 1);
        if (with["plan"]["ceiling_mg"].is_number())
          CHECK(dose <= with["plan"]["ceiling_mg"].get<double>() + 1e-9);
      }

      // Monotone in the measured trough: a higher last trough never lowers
      // the predicted trough on the current dose or on any candidate.
      json higher_req = req;
      json& last = higher_req["therapy"]["trough_history"].back();
      last["trough_ng_ml"] = std::min(1000.0, last["trough_ng_ml"].get<double>() * 1.5);
      higher_req["therapy"]["trough_ng_ml"] = last["trough_ng_ml"];
      const json higher = test::eval(higher_req);
      REQUIRE(higher["forecast"].is_object());
      CHECK(higher["forecast"]["predicted_trough_ng_ml"]["median"].get<double>() >=
            p["median"].get<double>());
      for (std::size_t i = 0; i < f["doses"].size() && i < higher["forecast"]["doses"].size(); ++i)
        if (higher["forecast"]["doses"][i]["dose_mg"] == f["doses"][i]["dose_mg"])
          CHECK(higher["forecast"]["doses"][i]["median_trough_ng_ml"].get<double>() >=
                f["doses"][i]["median_trough_ng_ml"].get<double>());
    }
  }
  MESSAGE("forecast properties: " << checked << " requests, " << in_population << " in population, "
                                  << out_of_population << " outside");
  CHECK(in_population > 20);
  CHECK(out_of_population > 5);
}
