// The trough forecast: models load from content with located errors; the
// analytic superposition equals an independent ODE solution of nlmixr2lib's
// equations (tests/forecast/typical_reference.json, made by
// tests/forecast/make_typical_reference.py); and the forecast's properties:
// linear in dose, monotone in the measured trough, shrinking toward the
// population with less information, refusing outside the population.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "content.hpp"
#include "forecast.hpp"

namespace fc = mtorcalc::forecast;
using mtorcalc::json;

namespace {

const json& model_json(const std::string& id) {
  static const json none;
  const json& all = mtorcalc::content::all();
  auto it = all.find("pk_model_" + id);
  return it == all.end() ? none : *it;
}

fc::PkModel model(const std::string& id) {
  fc::ModelLoad l = fc::load_model(model_json(id));
  INFO(id << ": " << l.error.path << " " << l.error.message);
  REQUIRE(l.model.has_value());
  return *l.model;
}

fc::TroughRecord trough(double day, double ng_ml, double dose_mg, double interval_h = 24) {
  fc::TroughRecord r;
  r.days_since_start = day;
  r.trough_ng_ml = ng_ml;
  r.dose_mg = dose_mg;
  r.interval_h = interval_h;
  return r;
}

fc::ForecastInput park_input(std::vector<fc::TroughRecord> history, double bsa_m2 = 1.2) {
  fc::ForecastInput in;
  in.model = model("park_2023_everolimus");
  in.covariates = {{"bsa_m2", bsa_m2}, {"age_years", 12}, {"weight_kg", 40}};
  in.history = std::move(history);
  in.condition = "tsc_seizures";
  in.candidates = {{2, 24}, {4, 24}, {5, 24}, {8, 24}, {10, 24}};
  return in;
}

json read_fixture(const std::string& name) {
  std::string here = __FILE__;
  std::string path = here.substr(0, here.rfind('/')) + "/../forecast/" + name;
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return json::parse(s.str(), nullptr, false);
}

}  // namespace

TEST_CASE("every embedded pk_model file loads") {
  int n = 0;
  for (const auto& [stem, doc] : mtorcalc::content::all().items()) {
    if (stem.rfind("pk_model_", 0) != 0) continue;
    ++n;
    fc::ModelLoad l = fc::load_model(doc);
    const std::string where = stem + ": " + l.error.path + " " + l.error.message;
    CHECK_MESSAGE(l.model.has_value(), where);
    if (l.model) {
      CHECK(stem == "pk_model_" + l.model->id);
      CHECK(!l.model->refs.empty());
      CHECK(!l.model->doi.empty());
    }
  }
  CHECK(n >= 2);
}

TEST_CASE("a malformed model file gives a located error, never a model") {
  json good = model_json("park_2023_everolimus");
  REQUIRE(good.is_object());
  {
    json j = good;
    j["parameters"]["cl_l_h"].erase("typical");
    fc::ModelLoad l = fc::load_model(j);
    CHECK(!l.model);
    CHECK(l.error.path == "parameters.cl_l_h.typical");
  }
  {
    json j = good;
    j["parameters"]["v_l"]["typical"] = -3;
    fc::ModelLoad l = fc::load_model(j);
    CHECK(l.error.path == "parameters.v_l.typical");
    CHECK(l.error.message == "must be > 0");
  }
  {
    json j = good;
    j["covariate_effects"][0]["form"] = "quadratic";
    CHECK(fc::load_model(j).error.path == "covariate_effects[0].form");
  }
  {
    json j = good;
    j["random_effects"].push_back(j["random_effects"][0]);
    j["random_effects"].push_back(j["random_effects"][0]);
    CHECK(fc::load_model(j).error.path == "random_effects");
  }
  {
    json j = good;
    j["residual_error"]["model"] = "additive";  // Park's additive part is 0
    CHECK(fc::load_model(j).error.path == "residual_error.additive_ng_ml");
  }
  {
    json j = good;
    j["population"]["ranges"]["bsa_m2"] = {2.0, 0.6};
    CHECK(fc::load_model(j).error.path == "population.ranges.bsa_m2");
  }
  CHECK(fc::load_model(json("text")).error.message == "a model file must be an object");
  CHECK(fc::load_model(json::object()).error.path == ".id");
}

TEST_CASE("typical-value concentrations equal nlmixr2lib's equations solved as ODEs (0.1%)") {
  const json ref = read_fixture("typical_reference.json");
  REQUIRE(ref.is_array());
  REQUIRE(ref.size() >= 6);
  for (const json& c : ref) {
    const fc::PkModel m = model(c["model"].get<std::string>());
    std::vector<fc::Covariate> cov;
    for (const auto& [k, v] : c["covariates"].items()) cov.push_back({k, v.get<double>()});
    std::vector<fc::TroughRecord> h;
    for (const json& r : c["history"])
      h.push_back(trough(r["days_since_start"].get<double>(), r["trough_ng_ml"].get<double>(),
                         r["dose_mg"].get<double>(), r["interval_h"].get<double>()));
    const auto p = fc::individual_parameters(m, cov, {});
    REQUIRE(p.has_value());
    CHECK((*p)[0] == doctest::Approx(c["typical"]["cl_l_h"].get<double>()).epsilon(1e-9));
    CHECK((*p)[1] == doctest::Approx(c["typical"]["v_l"].get<double>()).epsilon(1e-9));
    for (const json& tc : c["concentrations"]) {
      const double t = tc[0].get<double>(), want = tc[1].get<double>();
      INFO(m.id << " t=" << t);
      CHECK(fc::concentration_ng_ml(m, *p, h, t) == doctest::Approx(want).epsilon(0.001));
    }
    for (const json& s : c["steady_state"]) {
      INFO(m.id << " dose=" << s[0].get<double>() << " every " << s[1].get<double>() << " h");
      CHECK(fc::steady_state_trough_ng_ml(m, *p, s[0].get<double>(), s[1].get<double>()) ==
            doctest::Approx(s[2].get<double>()).epsilon(0.001));
    }
  }
}

TEST_CASE("the forecast is linear in dose") {
  const fc::ForecastResult r = fc::forecast(park_input({trough(14, 4.0, 5), trough(28, 4.5, 5)}));
  REQUIRE(r.status == fc::Status::ok);
  REQUIRE(r.doses.size() == 5);
  const fc::DoseForecast& five = r.doses[2];
  CHECK(five.dose_mg == 5);
  CHECK(five.median_trough_ng_ml ==
        doctest::Approx(r.predicted_trough->median_ng_ml).epsilon(1e-12));
  for (const fc::DoseForecast& d : r.doses) {
    const double k = d.dose_mg / five.dose_mg;
    CHECK(d.median_trough_ng_ml == doctest::Approx(k * five.median_trough_ng_ml).epsilon(1e-9));
    CHECK(d.interval_90.low == doctest::Approx(k * five.interval_90.low).epsilon(1e-9));
    CHECK(d.interval_90.high == doctest::Approx(k * five.interval_90.high).epsilon(1e-9));
    CHECK(d.interval_90.low < d.median_trough_ng_ml);
    CHECK(d.median_trough_ng_ml < d.interval_90.high);
    CHECK(d.p_in_range >= 0);
    CHECK(d.p_in_range <= 1);
  }
}

TEST_CASE("a higher measured trough predicts a higher trough and a lower clearance") {
  for (const char* id :
       {"park_2023_everolimus", "chen_2021_sirolimus", "golubovic_2019_sirolimus"}) {
    INFO(id);
    double last_median = 0, last_cl = 1e9, last_low = 0, last_high = 0;
    for (double y : {1.5, 3.0, 5.0, 8.0, 12.0, 20.0}) {
      fc::ForecastInput in = park_input({trough(14, y, 4), trough(21, y * 1.1, 4)});
      in.model = model(id);
      in.covariates = {{"bsa_m2", 1.2},
                       {"age_years", 16.3},
                       {"weight_kg", 50},
                       {"oxcarbazepine", 0},
                       {"ast_iu_l", 20}};
      const fc::ForecastResult r = fc::forecast(in);
      REQUIRE(r.status == fc::Status::ok);
      CHECK(r.predicted_trough->median_ng_ml > last_median);
      CHECK(r.individual->cl_l_h < last_cl);
      CHECK(r.predicted_trough->interval_90.low > last_low);
      CHECK(r.predicted_trough->interval_90.high > last_high);
      last_low = r.predicted_trough->interval_90.low;
      last_high = r.predicted_trough->interval_90.high;
      last_median = r.predicted_trough->median_ng_ml;
      last_cl = r.individual->cl_l_h;
    }
  }
}

TEST_CASE("fewer or noisier troughs shrink the estimate toward the population") {
  // Troughs twice what a typical patient would have: the data pull CL down.
  const fc::PkModel m = model("park_2023_everolimus");
  const auto typical = fc::individual_parameters(m, {{"bsa_m2", 1.2}}, {});
  REQUIRE(typical.has_value());
  const double twice = 2 * fc::steady_state_trough_ng_ml(m, *typical, 5, 24);
  const fc::ForecastResult one = fc::forecast(park_input({trough(14, twice, 5)}));
  const fc::ForecastResult three =
      fc::forecast(park_input({trough(14, twice, 5), trough(21, twice, 5), trough(28, twice, 5)}));
  REQUIRE(one.status == fc::Status::ok);
  REQUIRE(three.status == fc::Status::ok);
  CHECK(one.eta_map[0] < 0);
  CHECK(three.eta_map[0] < one.eta_map[0]);
  CHECK(three.individual->shrinkage_weight > one.individual->shrinkage_weight);
  CHECK(one.individual->cl_l_h > three.individual->cl_l_h);
  CHECK(one.individual->cl_l_h < one.typical_cl_l_h);

  fc::ForecastInput noisy =
      park_input({trough(14, twice, 5), trough(21, twice, 5), trough(28, twice, 5)});
  noisy.model.proportional *= 3;
  const fc::ForecastResult n = fc::forecast(noisy);
  REQUIRE(n.status == fc::Status::ok);
  CHECK(n.eta_map[0] > three.eta_map[0]);
  CHECK(n.individual->shrinkage_weight < three.individual->shrinkage_weight);
}

TEST_CASE("outside the studied covariates the forecast refuses: no estimate, no dose") {
  auto run = [](double bsa) { return fc::forecast(park_input({trough(14, 6, 5)}, bsa)); };
  CHECK(run(2.0).status == fc::Status::ok);
  CHECK(run(2.0).in_population);
  CHECK(run(0.6).in_population);
  for (double bsa : {2.0001, 0.5999, 2.5}) {
    const fc::ForecastResult r = run(bsa);
    CHECK(r.status == fc::Status::out_of_population);
    CHECK(!r.in_population);
    CHECK(r.doses.empty());
    CHECK(!r.predicted_trough);
    CHECK(!r.individual);
    REQUIRE(!r.caveats.empty());
    CHECK(r.caveats[0].code == fc::CaveatCode::outside_population);
  }
  // Age is a studied range, not a covariate of Park's model: still checked.
  fc::ForecastInput adult = park_input({trough(14, 6, 5)});
  adult.covariates = {{"bsa_m2", 1.8}, {"age_years", 45}, {"weight_kg", 70}};
  CHECK(fc::forecast(adult).status == fc::Status::out_of_population);
  adult.covariates = {{"bsa_m2", 1.8}, {"age_years", 32}, {"weight_kg", 70}};
  CHECK(fc::forecast(adult).status == fc::Status::ok);
  adult.covariates = {{"bsa_m2", 1.8}, {"weight_kg", 70}};  // age not given: cannot check
  CHECK(fc::forecast(adult).status == fc::Status::out_of_population);
}

TEST_CASE("caveats: before steady state, an interaction changed, another disease") {
  auto has = [](const fc::ForecastResult& r, fc::CaveatCode c) {
    for (const fc::Caveat& x : r.caveats)
      if (x.code == c) return true;
    return false;
  };
  // Park's typical half-life at BSA 1.2 is about 9.6 h: 5 half-lives is 2 days.
  const fc::ForecastResult settled = fc::forecast(park_input({trough(14, 6, 5), trough(28, 8, 6)}));
  CHECK(settled.terminal_half_life_h ==
        doctest::Approx(293 * std::log(2) / (12.5 + 9.71 * 1.2 / 1.5)));
  CHECK(!has(settled, fc::CaveatCode::not_at_steady_state));
  CHECK(!has(settled, fc::CaveatCode::interaction_changed));
  CHECK(has(settled, fc::CaveatCode::condition_extrapolated));  // FCD, not TSC
  CHECK(has(settled, fc::CaveatCode::unconfirmed_model));
  const fc::ForecastResult early = fc::forecast(park_input({trough(14, 6, 5), trough(15, 8, 6)}));
  CHECK(has(early, fc::CaveatCode::not_at_steady_state));
  fc::ForecastInput in = park_input({trough(14, 6, 5)});
  in.interaction = fc::InteractionChange::after_troughs;
  CHECK(has(fc::forecast(in), fc::CaveatCode::interaction_changed));

  fc::ForecastInput child = park_input({trough(14, 6, 1.5)});
  child.model = model("chen_2021_sirolimus");
  child.covariates = {{"weight_kg", 20}, {"oxcarbazepine", 1}, {"age_years", 6}};
  CHECK(!has(fc::forecast(child), fc::CaveatCode::condition_extrapolated));
  child.condition = "lam";
  CHECK(has(fc::forecast(child), fc::CaveatCode::condition_extrapolated));
  // Sirolimus's 2-compartment half-life is days: a trough at day 5 is early.
  fc::ForecastInput adult = park_input({trough(5, 6, 2)});
  adult.model = model("golubovic_2019_sirolimus");
  adult.covariates = {{"age_years", 40}, {"ast_iu_l", 20}, {"weight_kg", 60}};
  adult.condition = "lam";
  const fc::ForecastResult a = fc::forecast(adult);
  CHECK(has(a, fc::CaveatCode::not_at_steady_state));
  CHECK(has(a, fc::CaveatCode::condition_extrapolated));
}

TEST_CASE("bad input gives a located error") {
  auto err = [](std::vector<fc::TroughRecord> h) { return fc::forecast(park_input(std::move(h))); };
  CHECK(err({}).error_path == "history");
  CHECK(err({trough(14, -1, 5)}).error_path == "history[0].trough_ng_ml");
  CHECK(err({trough(14, 5, 5), trough(10, 5, 5)}).error_path == "history[1].days_since_start");
  CHECK(err({trough(0, 5, 5)}).error_path == "history[0].days_since_start");
  CHECK(err({trough(14, 5, 5, 0)}).error_path == "history[0].frequency");
  CHECK(err({trough(14, 5, 5), trough(20, 5, 0)}).error_path == "history[1].dose_mg");
  CHECK(err({trough(14, std::nan(""), 5)}).status == fc::Status::invalid_input);
  fc::ForecastInput in = park_input({trough(14, 5, 5)});
  in.covariates = {{"age_years", 12}};
  CHECK(fc::forecast(in).error_path == "covariates.bsa_m2");
  in = park_input({trough(14, 5, 5)});
  in.candidates = {{-5, 24}};
  CHECK(fc::forecast(in).error_path == "candidates[0].dose_mg");
}

TEST_CASE("contract frequencies map to dosing intervals") {
  CHECK(fc::interval_hours("once_daily") == 24.0);
  CHECK(fc::interval_hours("every_other_day") == 48.0);
  CHECK(fc::interval_hours("twice_daily") == 12.0);
  CHECK(fc::interval_hours("weekly") == 168.0);
  CHECK(!fc::interval_hours("days_1_and_8_every_21_days"));
}

TEST_CASE("choose_model prefers a model covering the patient, then one built in the condition") {
  const std::vector<fc::PkModel> models = {model("park_2023_everolimus"),
                                           model("golubovic_2019_sirolimus"),
                                           model("chen_2021_sirolimus")};
  const std::vector<fc::Covariate> child = {{"age_years", 8}, {"weight_kg", 25}, {"ast_iu_l", 20}};
  const std::vector<fc::Covariate> adult = {{"age_years", 35}, {"weight_kg", 60}, {"ast_iu_l", 20}};
  const std::vector<fc::Covariate> teen = {
      {"age_years", 16.2}, {"weight_kg", 50}, {"ast_iu_l", 20}};
  CHECK(fc::choose_model(models, "sirolimus", child, "tsc_seizures")->id == "chen_2021_sirolimus");
  CHECK(fc::choose_model(models, "sirolimus", adult, "lam")->id == "golubovic_2019_sirolimus");
  CHECK(fc::choose_model(models, "sirolimus", teen, "tsc_seizures")->id == "chen_2021_sirolimus");
  CHECK(fc::choose_model(models, "sirolimus", teen, "lam")->id == "golubovic_2019_sirolimus");
  CHECK(fc::choose_model(models, "everolimus", adult, "lam")->id == "park_2023_everolimus");
  CHECK(!fc::covers(models[0], {{"age_years", 60}, {"bsa_m2", 1.8}, {"weight_kg", 70}}));
  CHECK(fc::choose_model(models, "temsirolimus", adult, "rcc") == nullptr);
}

TEST_CASE("p_in_range agrees with the interval: 90% inside it, 50% below the median") {
  fc::ForecastInput in = park_input({trough(14, 4.0, 5), trough(28, 6.0, 6)});
  const fc::ForecastResult base = fc::forecast(in);
  REQUIRE(base.status == fc::Status::ok);
  const fc::TroughForecast t = *base.predicted_trough;
  in.candidates = {{6, 24}};
  in.target_low_ng_ml = t.interval_90.low;
  in.target_high_ng_ml = t.interval_90.high;
  CHECK(fc::forecast(in).doses[0].p_in_range == doctest::Approx(0.90).epsilon(0.01));
  in.target_low_ng_ml = 0;
  in.target_high_ng_ml = t.median_ng_ml;
  CHECK(fc::forecast(in).doses[0].p_in_range == doctest::Approx(0.50).epsilon(0.01));
  in.target_high_ng_ml = 1e6;
  CHECK(fc::forecast(in).doses[0].p_in_range == doctest::Approx(1.0));
  in.target_low_ng_ml = 2 * t.interval_90.high;
  CHECK(fc::forecast(in).doses[0].p_in_range < 0.01);
}
