#include "forecast_answer.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "content.hpp"
#include "dosing.hpp"
#include "forecast.hpp"
#include "mechanisms.hpp"

namespace mtorcalc {

using namespace std::string_view_literals;

namespace {

constexpr std::string_view model_prefix = "pk_model_";
// Candidate doses are listed up to this many (the lowest first).
constexpr std::size_t max_candidates = 24;
// Candidates reach twice the highest dose taken (see forecast_section).
constexpr double candidate_span = 2;

struct LoadedModel {
  std::string stem;  // the model's rule id
  forecast::PkModel model;
};

// The models in content, loaded once; a file that does not load is skipped
// (the content tests load every one and fail on any error).
const std::vector<LoadedModel>& models() {
  static const std::vector<LoadedModel> loaded = [] {
    std::vector<LoadedModel> out;
    for (const content::File& f : content::files()) {
      if (f.stem.substr(0, model_prefix.size()) != model_prefix) continue;
      forecast::ModelLoad l = forecast::load_model(content::at(f.stem));
      if (l.model) out.push_back({std::string(f.stem), std::move(*l.model)});
    }
    return out;
  }();
  return loaded;
}

std::string_view code_of(forecast::CaveatCode c) {
  switch (c) {
    case forecast::CaveatCode::outside_population:
      return "outside_population";
    case forecast::CaveatCode::condition_extrapolated:
      return "condition_extrapolated";
    case forecast::CaveatCode::not_at_steady_state:
      return "not_at_steady_state";
    case forecast::CaveatCode::interaction_changed:
      return "interaction_changed";
    case forecast::CaveatCode::assay:
      return "assay";
    case forecast::CaveatCode::unconfirmed_model:
      return "unconfirmed_model";
  }
  return "caveat";
}

double r2(double x) {
  return round_to(x, 2);
}

ojson interval_json(const forecast::Interval& i) {
  return ojson::array({r2(i.low), r2(i.high)});
}

std::vector<forecast::Covariate> covariates_of(const Request& req, const Derived& derived) {
  std::vector<forecast::Covariate> out;
  if (derived.bsa_m2) out.push_back({"bsa_m2", *derived.bsa_m2});
  if (auto w = req.num({"patient", "weight_kg"})) out.push_back({"weight_kg", *w});
  if (auto a = req.num({"patient", "age_years"})) out.push_back({"age_years", *a});
  if (auto ast = req.num({"patient", "labs", "ast_u_l"})) out.push_back({"ast_iu_l", *ast});
  bool oxcarbazepine = false;
  for (const std::string& n : req.strings({"comedications"}))
    oxcarbazepine = oxcarbazepine || canonical_comedication(n) == "oxcarbazepine";
  out.push_back({"oxcarbazepine", oxcarbazepine ? 1.0 : 0.0});
  return out;
}

// A comedication started or stopped (comedication_status) changes the
// clearance the troughs measured.
forecast::InteractionChange interaction_of(const Request& req) {
  const json& statuses = req.node({"comedication_status"});
  if (statuses.is_array())
    for (const json& s : statuses)
      if (s["status"sv] == "started" || s["status"sv] == "stopped")
        return forecast::InteractionChange::after_troughs;
  return forecast::InteractionChange::none;
}

// The doses the form can make, from the lowest up to top_mg, each at the
// current frequency.
std::vector<forecast::CandidateDose> candidates_of(const std::string& drug, const std::string& form,
                                                   double top_mg, double interval_h) {
  std::vector<forecast::CandidateDose> out;
  const std::vector<double> strengths = strengths_of(drug, form);
  const std::optional<double> increment = increment_of(drug, form);
  if (increment && *increment > 0) {
    // A liquid makes any multiple of its step; half-milligram steps are listed.
    const double step = std::max(*increment, 0.5);
    for (double d = step; d <= top_mg + 1e-9 && out.size() < max_candidates; d += step)
      out.push_back({round_to(d, 2), interval_h});
    return out;
  }
  if (strengths.empty()) return out;
  const double lowest = *std::min_element(strengths.begin(), strengths.end());
  for (int half = 1; half / 2.0 <= top_mg + 1e-9 && out.size() < max_candidates; ++half) {
    const double d = half / 2.0;
    if (d + 1e-9 < lowest) continue;
    if (units_for(strengths, d)) out.push_back({d, interval_h});
  }
  return out;
}

}  // namespace

ojson forecast_section(Ctx& ctx, const std::string& drug, const std::string& indication,
                       const Derived& derived) {
  const Request& req = ctx.req;
  const json& history = req.node({"therapy", "trough_history"});
  if (!history.is_array() || history.empty()) return nullptr;

  forecast::ForecastInput in;
  std::vector<std::string> frequencies;
  double highest_mg = 0;
  for (const json& h : history) {
    const std::string freq = h["frequency"sv].get<std::string>();
    const std::optional<double> interval = forecast::interval_hours(freq);
    // The request check refuses a frequency the forecast does not model.
    if (!interval) return nullptr;
    in.history.push_back({h["days_since_start"sv].get<double>(), h["trough_ng_ml"sv].get<double>(),
                          h["dose_mg"sv].get<double>(), *interval});
    frequencies.push_back(freq);
    highest_mg = std::max(highest_mg, h["dose_mg"sv].get<double>());
  }
  in.covariates = covariates_of(req, derived);
  in.condition = indication;
  in.interaction = interaction_of(req);

  std::vector<forecast::PkModel> candidates_models;
  for (const LoadedModel& m : models()) candidates_models.push_back(m.model);
  const forecast::PkModel* chosen =
      forecast::choose_model(candidates_models, drug, in.covariates, indication);
  if (chosen == nullptr) return nullptr;
  const LoadedModel& model = models()[static_cast<std::size_t>(chosen - candidates_models.data())];
  in.model = model.model;
  ctx.record_rule(model.stem);

  const json& target = content::at(drug + ".tdm.target_range_ng_ml");
  if (target.is_array() && target.size() == 2) {
    in.target_low_ng_ml = target[0].get<double>();
    in.target_high_ng_ml = target[1].get<double>();
  }

  const ojson& plan = ctx.plan;
  std::string form = req.str({"therapy", "form"}).value_or("");
  if (form.empty() && plan.is_object() && plan["form"sv].is_string())
    form = plan["form"sv].get<std::string>();
  // Up to twice the highest dose taken (or the plan's dose, if higher), and
  // never above the plan's ceiling: no dose in the answer exceeds it.
  double top_mg = candidate_span * highest_mg;
  if (plan.is_object() && plan.contains("dose_mg"sv) && plan["dose_mg"sv].is_number())
    top_mg = std::max(top_mg, plan["dose_mg"sv].get<double>());
  if (plan.is_object() && plan.contains("ceiling_mg"sv) && plan["ceiling_mg"sv].is_number())
    top_mg = std::min(top_mg, plan["ceiling_mg"sv].get<double>());
  in.candidates = candidates_of(drug, form, top_mg, in.history.back().interval_h);

  const forecast::ForecastResult r = forecast::forecast(in);
  if (r.status == forecast::Status::invalid_input) return nullptr;

  ojson f = ojson::object();
  f["method"] = "map";
  ojson refs = ojson::array();
  for (const std::string& id : in.model.refs) refs.push_back(id);
  f["model"] = {{"id", in.model.id},
                {"population", in.model.population},
                {"citation", in.model.citation},
                {"refs", std::move(refs)}};
  f["in_population"] = r.in_population;
  if (r.individual)
    f["individual"] = {{"cl_l_h", r2(r.individual->cl_l_h)},
                       {"v_l", r2(r.individual->v_l)},
                       {"shrinkage_weight", r2(r.individual->shrinkage_weight)}};
  else
    f["individual"] = nullptr;
  if (r.predicted_trough)
    f["predicted_trough_ng_ml"] = {{"median", r2(r.predicted_trough->median_ng_ml)},
                                   {"interval_90", interval_json(r.predicted_trough->interval_90)}};
  else
    f["predicted_trough_ng_ml"] = nullptr;
  ojson& doses = f["doses"] = ojson::array();
  const std::string& frequency = frequencies.back();
  for (const forecast::DoseForecast& d : r.doses)
    doses.push_back({{"dose_mg", d.dose_mg},
                     {"frequency", frequency},
                     {"median_trough_ng_ml", r2(d.median_trough_ng_ml)},
                     {"interval_90", interval_json(d.interval_90)},
                     {"p_in_range", r2(d.p_in_range)}});
  ojson& caveats = f["caveats"] = ojson::array();
  for (const forecast::Caveat& c : r.caveats)
    caveats.push_back({{"code", code_of(c.code)}, {"text", c.text}});
  return f;
}

}  // namespace mtorcalc
