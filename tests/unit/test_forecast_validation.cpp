// The forecast's validation harness: skipped in the unit run, run by
// tests/forecast/run, which simulates patients in Python, passes them here in
// a file, and judges the answers (MAP against a brute-force posterior, 90%
// interval coverage, next-trough error against the proportional rule).
//   FORECAST_VALIDATION_IN=tasks.json FORECAST_VALIDATION_OUT=answers.json
//   mtorcalc_tests --no-skip -tc='forecast validation harness'
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "content.hpp"
#include "forecast.hpp"

namespace fc = mtorcalc::forecast;
using mtorcalc::json;

TEST_CASE("forecast validation harness" * doctest::skip()) {
  const char* in_path = std::getenv("FORECAST_VALIDATION_IN");
  const char* out_path = std::getenv("FORECAST_VALIDATION_OUT");
  REQUIRE(in_path != nullptr);
  REQUIRE(out_path != nullptr);
  std::ifstream f(in_path);
  std::stringstream s;
  s << f.rdbuf();
  const json tasks = json::parse(s.str(), nullptr, false);
  REQUIRE(tasks.is_array());
  const json& all = mtorcalc::content::all();
  json answers = json::array();
  for (const json& t : tasks) {
    fc::ForecastInput in;
    auto it = all.find("pk_model_" + t["model"].get<std::string>());
    REQUIRE(it != all.end());
    fc::ModelLoad l = fc::load_model(*it);
    REQUIRE(l.model.has_value());
    in.model = *l.model;
    for (const auto& [k, v] : t["covariates"].items())
      in.covariates.push_back({k, v.get<double>()});
    for (const json& r : t["history"]) {
      fc::TroughRecord rec;
      rec.days_since_start = r["days_since_start"].get<double>();
      rec.trough_ng_ml = r["trough_ng_ml"].get<double>();
      rec.dose_mg = r["dose_mg"].get<double>();
      rec.interval_h = r["interval_h"].get<double>();
      in.history.push_back(rec);
    }
    for (const json& c : t["candidates"])
      in.candidates.push_back({c[0].get<double>(), c[1].get<double>()});
    in.condition = t["condition"].get<std::string>();
    const fc::ForecastResult r = fc::forecast(in);
    json a = {{"status", static_cast<int>(r.status)},
              {"error", r.error_path + " " + r.error_message}};
    if (r.status == fc::Status::ok) {
      a["eta_map"] = r.eta_map;
      a["cl_l_h"] = r.individual->cl_l_h;
      a["shrinkage_weight"] = r.individual->shrinkage_weight;
      a["median"] = r.predicted_trough->median_ng_ml;
      a["interval_90"] = {r.predicted_trough->interval_90.low,
                          r.predicted_trough->interval_90.high};
      json doses = json::array();
      for (const fc::DoseForecast& d : r.doses)
        doses.push_back(
            {d.median_trough_ng_ml, d.interval_90.low, d.interval_90.high, d.p_in_range});
      a["doses"] = doses;
    }
    answers.push_back(a);
  }
  std::ofstream o(out_path);
  o << answers.dump();
  CHECK(o.good());
}
