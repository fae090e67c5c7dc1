// Sirolimus (Rapamune) for lymphangioleiomyomatosis: eligibility from lung
// function, 2 mg once daily, trough-guided titration with the optional
// loading dose, hepatic adjustment, interactions and warnings.
// Numbers: content/sirolimus.json (refs rapamune-pi-*, ats-jrs-lam-2016).
#include <algorithm>
#include <cmath>

#include "dosing.hpp"
#include "drugs.hpp"
#include "eligibility.hpp"
#include "mechanisms.hpp"
#include "plan.hpp"
#include "sirolimus_family.hpp"

namespace mtorcalc {

using namespace std::string_view_literals;

namespace {

constexpr const char* drug = "sirolimus";

std::optional<bool> both_or_either(std::optional<bool> a, std::optional<bool> b) {
  if (a == std::optional<bool>(true) || b == std::optional<bool>(true)) return true;
  if (a && b) return false;
  return std::nullopt;
}

// The form asked for, when sirolimus has it; the indication's form otherwise.
std::string form_for(const Ctx& ctx, const json& ind) {
  auto asked = ctx.req.str({"therapy", "form"});
  if (asked && content::at(std::string(drug) + ".forms." + *asked).is_object()) return *asked;
  return ind["form"sv].get<std::string>();
}

// The largest daily loading amount the form can give without exceeding the
// formula's: tablets make sums of their strengths, the solution is measured in
// its increment. Rounded down, never to the nearest, so that no day gets more
// than the label's formula or its 40 mg maximum (rapamune-pi-2.1,
// rapamune-pi-3).
double achievable_at_most(std::string_view form, double dose_mg) {
  auto strengths = strengths_of(drug, form);
  if (!strengths.empty()) return largest_achievable_at_most(strengths, dose_mg);
  if (auto step = increment_of(drug, form))
    return std::max(0.0, std::floor(dose_mg / *step + 1e-6) * *step);
  return dose_mg;
}

// Maintenance about one third lower (Child-Pugh A/B) or one half lower (C);
// the loading dose is unchanged (rapamune-pi-2.5).
// The start pipeline (plan.hpp compose_start) composes it with the labelled
// dose, in what the form makes.
void hepatic(Ctx& ctx, const Derived& d, RegimenSpec& spec) {
  if (!d.child_pugh_class) return;
  std::string id = std::string(drug) + ".hepatic.maintenance_factor." + *d.child_pugh_class;
  const json& r = ctx.rule(id);
  if (!r.is_object()) return;
  StartRules rules;
  rules.dose_mg = spec.dose_mg;
  rules.strengths_mg = strengths_of(drug, spec.form);
  rules.increment_mg = increment_of(drug, spec.form);
  rules.tie = tie_rule(drug);
  rules.steps.push_back(start_step(StartStep::Kind::dose_factor, r["factor"sv].get<double>(),
                                   "hepatic_child_pugh_" + *d.child_pugh_class, id, r));
  StartDose start = compose_start(rules);
  if (start.rounded) ctx.rule(std::string(drug) + ".rounding");  // the rounding rule was applied
  spec.dose_mg = *start.dose_mg;
  for (auto& a : start.adjustments) spec.adjustments.push_back(std::move(a));
  ctx.warn(drug, "hepatic_impairment");
}

// The label's optional loading dose when a trough-guided change raises the
// maintenance dose: 3 × (new − current), no more than 40 mg on any day
// (loading share plus the new maintenance dose), spread over 2 days when one
// day would exceed it (rapamune-pi-2.1). When the label's 2 days are still
// too much, the label's loading dose does not fit ("exceeds_label_split"):
// spreading it over more days would no longer be a loading dose (a 39 mg
// maintenance dose would leave 1 mg a day for weeks). When the maintenance
// dose alone reaches the cap, no loading dose fits at all ("no_room").
// The formula's amount can be one the form cannot give (14.25 mg a day with
// 0.5, 1 and 2 mg tablets): it is kept, and the largest amount the form can
// give without exceeding it is shown beside it ("achievable.<form>"); the
// label gives no rounding rule for a loading dose.
void loading_dose(Ctx& ctx, std::string_view form) {
  if (!ctx.titration.is_object()) return;
  const ojson& cur = ctx.titration["current_dose_mg"sv];
  const ojson& nxt = ctx.titration["new_dose_mg"sv];
  if (!cur.is_number() || !nxt.is_number()) return;
  double current = cur.get<double>(), next = nxt.get<double>();
  if (!is_string_equal(ctx.titration["new_frequency"sv], "once_daily") ||
      !is_string_equal(ctx.titration["current_frequency"sv], "once_daily"))
    return;
  if (next <= current) return;
  // A new dose set by the tablet floor is not a rise the trough asked for: the
  // calculated dose was below the lowest tablet, so a loading dose (meant to
  // reach a higher trough sooner) would push the wrong way (rapamune-pi-2.1).
  if (ctx.titration.contains("below_lowest_strength"sv)) return;
  std::string id = std::string(drug) + ".loading_dose";
  const json& r = ctx.rule(id);
  if (!r.is_object()) return;
  double factor = r.value("factor"sv, 0.0);
  double cap = r.value("max_mg_per_day"sv, 0.0);
  int label_days = r.value("split_over_days"sv, 1);
  if (factor <= 0 || cap <= 0 || label_days < 1) return;
  double loading = round_to(factor * (next - current), 2);
  double room = round_to(cap - next, 2);  // what a day leaves for the loading dose
  ojson l = ojson::object();
  l["loading_dose_mg"sv] = loading;
  l["formula"sv] = "loading = " + num_text(factor) + " × (" + num_text(next) + " − " +
                   num_text(current) + ") mg = " + num_text(loading) + " mg";
  // Split over the label's days when one day is not enough.
  const int days = loading > room + 1e-9 ? label_days : 1;
  const double per_day = round_to(loading / days, 2);
  if (room <= 1e-9 || per_day + next > cap + 1e-9) {
    const std::string nid = id + (room <= 1e-9 ? ".no_room" : ".exceeds_label_split");
    const json& n = ctx.rule(nid);
    l["possible"sv] = false;
    l["days"sv] = nullptr;
    l["loading_mg_per_day"sv] = nullptr;
    l["total_mg_per_day"sv] = round_to(next, 2);
    l["max_mg_per_day"sv] = cap;
    l["split"sv] = false;
    l["label_split_days"sv] = label_days;
    l["text"sv] = n.value("text"sv, "");
    l["refs"sv] = Ctx::refs_of(n);
    l["rule"sv] = nid;
    ctx.titration["loading_dose_option"sv] = std::move(l);
    return;
  }
  l["possible"sv] = true;
  l["days"sv] = days;
  l["loading_mg_per_day"sv] = per_day;
  l["total_mg_per_day"sv] = round_to(per_day + next, 2);
  const double exact_per_day = loading / days;
  const double given = round_to(achievable_at_most(form, exact_per_day), 2);
  const bool rounded = given < exact_per_day - 1e-6;
  l["form"sv] = std::string(form);
  l["achievable_loading_mg_per_day"sv] = given;
  l["achievable_loading_dose_mg"sv] = round_to(given * days, 2);
  l["achievable_total_mg_per_day"sv] = round_to(given + next, 2);
  l["achievable_units_per_day"sv] = units_json(drug, form, given);
  l["rounded_down"sv] = rounded;
  if (rounded) {
    const std::string aid = id + ".achievable." + std::string(form);
    const json& a = ctx.rule(aid);
    if (a.is_object()) {
      l["rounding_note"sv] = a.value("text"sv, "");
      l["rounding_refs"sv] = Ctx::refs_of(a);
      l["rounding_rule"sv] = aid;
    }
  }
  l["max_mg_per_day"sv] = cap;
  l["split"sv] = days > 1;
  l["label_split_days"sv] = label_days;
  l["trough_check_after_days"sv] = r["trough_check_after_days"sv];
  // The label reduces the maintenance dose in hepatic impairment, never the
  // loading dose (rapamune-pi-2.5; fact sheet A4).
  l["hepatic_note"sv] = r.value("hepatic_note"sv, "");
  l["hepatic_note_refs"sv] = Ctx::refs_of(r, "hepatic_note_refs");
  l["text"sv] = r.value("text"sv, "");
  l["refs"sv] = Ctx::refs_of(r);
  l["rule"sv] = id;
  ctx.titration["loading_dose_option"sv] = std::move(l);
}

// Where the patient stands when the calculated dose is below the lowest
// tablet strength.
enum class FloorCase {
  general,       // the lowest strength once daily is the answer
  on_lowest,     // on the lowest strength, trough above the range: no lower tablet dose
  below_lowest,  // on less than the lowest strength and the trough asks for no more
};

// On the lowest tablet strength once daily with a trough above the range, the
// tablets have no lower dose to offer, so the answer says so now rather than
// "if the trough stays above the target". On less than the lowest strength
// (e.g. 0.25 mg entered) when the trough asks for no higher dose, the lowest
// tablet would raise a dose the trough does not ask to raise, so no tablet
// dose is given (rapamune-pi-2.1, rapamune-pi-2.4, rapamune-pi-3).
FloorCase floor_case(Ctx& ctx, double lowest_mg) {
  const ojson& cur = ctx.titration["current_dose_mg"sv];
  const ojson& raw = ctx.titration["raw_new_dose_mg"sv];
  if (!cur.is_number() || !raw.is_number()) return FloorCase::general;
  if (!is_string_equal(ctx.titration["current_frequency"sv], "once_daily"))
    return FloorCase::general;
  const double current = cur.get<double>();
  if (current < lowest_mg - 1e-9 && raw.get<double>() <= current + 1e-9)
    return FloorCase::below_lowest;
  const ojson& trough = ctx.titration["trough_ng_ml"sv];
  const ojson& range = ctx.titration["target_range_ng_ml"sv];
  if (std::fabs(current - lowest_mg) > 1e-9 || !trough.is_number() || !range.is_array() ||
      range.size() != 2 || !range[1].is_number())
    return FloorCase::general;
  // The same boundary as "in_range": a trough equal to the upper limit is in range.
  return trough.get<double>() > range[1].get<double>() ? FloorCase::on_lowest : FloorCase::general;
}

// Sirolimus is given once daily only: a calculated dose below the lowest
// tablet strength stays at that strength once daily instead of the shared
// mechanism's every-other-day step ("<drug>.titration_floor"). The note is
// the one for the patient's situation (see floor_case), and a floor that
// would raise a dose the trough does not ask to raise gives no dose at all
// ("<drug>.titration_floor.decrease_below_lowest").
void once_daily_titration(Ctx& ctx, std::string_view form) {
  if (!ctx.titration.is_object()) return;
  const ojson& nd = ctx.titration["new_dose_mg"sv];
  const ojson& raw = ctx.titration["raw_new_dose_mg"sv];
  if (!nd.is_number() || !raw.is_number()) return;
  auto strengths = strengths_of(drug, form);
  if (strengths.empty()) return;
  double lowest = *std::min_element(strengths.begin(), strengths.end());
  bool below = raw.get<double>() < lowest - 1e-9;
  bool every_other_day = is_string_equal(ctx.titration["new_frequency"sv], "every_other_day");
  if (!below && !every_other_day) return;
  // The general floor rule always applies; a situation's own rule gives the note.
  const std::string floor_id = std::string(drug) + ".titration_floor";
  (void)ctx.rule(floor_id);
  const FloorCase situation = floor_case(ctx, lowest);
  const std::string id =
      situation == FloorCase::on_lowest      ? floor_id + ".trough_above_range_on_lowest"
      : situation == FloorCase::below_lowest ? floor_id + ".decrease_below_lowest"
                                             : floor_id;
  const json& note = ctx.rule(id);
  if (situation == FloorCase::below_lowest) {
    ctx.titration["new_dose_mg"sv] = nullptr;
    ctx.titration["new_frequency"sv] = nullptr;
    ctx.titration["dose_not_raised"sv] = true;
  } else {
    ctx.titration["new_dose_mg"sv] = round_to(lowest, 2);
    ctx.titration["new_frequency"sv] = "once_daily";
  }
  ctx.titration["below_lowest_strength"sv] = true;
  ctx.titration["lowest_strength_mg"sv] = round_to(lowest, 2);
  ctx.titration["floor_note"sv] = note.value("text"sv, "");
  ctx.titration["floor_refs"sv] = Ctx::refs_of(note);
  ctx.titration["floor_rule"sv] = id;
}

void interactions(Ctx& ctx) {
  (void)evaluate_interactions(ctx, drug, "tdm");
}

// Reported (and lab-graded) adverse events. The label has no
// dose-modification table: each row says so, with the label's warning and
// the project's general grade algorithm ("<drug>.adverse_reactions").
void toxicity(Ctx& ctx, const std::string& form, std::optional<double> dose_mg) {
  auto current = ctx.req.num({"therapy", "current_dose_mg"});
  ToxicityInput in;
  in.drug = drug;
  in.form = form;
  in.current_dose_mg = current ? current : dose_mg;
  in.frequency = "once_daily";
  evaluate_toxicity(ctx, in);
  // Rows that only suggest considering a change say so in a field of their own.
  for (auto& t : ctx.toxicity) {
    if (!t.is_object()) continue;
    auto rid = t.find("rule"sv);
    if (rid == t.end() || !rid->is_string()) continue;
    const json& row = content::at(rid->get<std::string>());
    if (row.is_object() && row.contains("consider"sv) && row["consider"sv].is_string())
      t["consider"sv] = row["consider"sv].get<std::string>();
  }
}

}  // namespace

Reached evaluate_sirolimus_lam(Ctx& ctx, const Derived& d) {
  const std::string scope = std::string(drug) + ".indications.lam";
  const json& ind = ctx.rule(scope);
  Eligibility e(ctx, drug, scope);

  auto hyper = ctx.req.flag({"patient", "rapamycin_hypersensitivity"});
  // Not stated: unknown and named as missing, never assumed met.
  e.criterion("no_rapamycin_hypersensitivity", hyper ? std::optional<bool>(!*hyper) : std::nullopt,
              {"/patient/rapamycin_hypersensitivity"});

  // Abnormal (FEV1 < 70% predicted) or declining (≥ 90 mL/year) lung function:
  // ATS/JRS 2016 recommendation 1 with the operational thresholds.
  auto fev1 = ctx.req.num({"condition", "lam", "fev1_percent_predicted"});
  auto decline = ctx.req.num({"condition", "lam", "fev1_decline_ml_per_year"});
  std::optional<bool> low, declining;
  if (fev1) low = *fev1 < ind["fev1_percent_predicted_lt"sv].get<double>();
  if (decline) declining = *decline >= ind["fev1_decline_ml_per_year_ge"sv].get<double>();
  std::optional<bool> lung = both_or_either(low, declining);
  const std::string p_fev1 = "/condition/lam/fev1_percent_predicted";
  const std::string p_decline = "/condition/lam/fev1_decline_ml_per_year";
  e.criterion("fev1_below_70_percent", low,
              lung ? std::vector<std::string>{} : std::vector<std::string>{p_fev1});
  e.criterion("fev1_decline_at_least_90_ml_per_year", declining,
              lung ? std::vector<std::string>{} : std::vector<std::string>{p_decline});

  // Problematic chylous effusion: conditional recommendation 2.
  auto chylous = ctx.req.flag({"condition", "lam", "chylous_effusion"});
  if (chylous) e.criterion("chylous_effusion", *chylous);

  Status status;
  if (hyper == std::optional<bool>(true))
    status = Status::contraindicated;
  else if (lung == std::optional<bool>(true))
    status = Status::indicated;
  else if (chylous == std::optional<bool>(true))
    status = Status::consider;
  else if (lung == std::optional<bool>(false))
    status = Status::not_indicated;
  else
    status = Status::insufficient_data;
  if (status == Status::not_indicated) e.alternative("observation");
  e.note("regrowth_after_stopping");
  e.note("eu_label_differs");
  e.finish(status);

  evaluate_patient_warnings(ctx, drug);
  if (status == Status::contraindicated || status == Status::not_indicated) {
    interactions(ctx);
    toxicity(ctx, form_for(ctx, ind), std::nullopt);
    return Reached::stopped_early;
  }

  const json& tdm = ctx.rule(std::string(drug) + ".tdm");
  RegimenSpec spec;
  spec.drug = drug;
  spec.form = form_for(ctx, ind);
  spec.dose_mg = ind["dose_mg"sv].get<double>();
  spec.frequency = ind["frequency"sv].get<std::string>();
  spec.refs = Ctx::refs_of(ind);
  spec.trough_target_ng_ml = {tdm["target_range_ng_ml"sv][0].get<double>(),
                              tdm["target_range_ng_ml"sv][1].get<double>()};
  spec.next_trough_check_days = {ind["first_trough_days"sv][0].get<double>(),
                                 ind["first_trough_days"sv][1].get<double>()};
  hepatic(ctx, d, spec);
  ctx.regimen = regimen_json(ctx, spec);

  // The project's summary gives 3–10 ng/mL for sirolimus: shown with its own
  // source and context, never used as the LAM target (davies-2011).
  ojson others = ojson::array();
  const std::string other_id = std::string(drug) + ".other_trough_targets.brief_3_10";
  const json& o = ctx.rule(other_id);
  others.push_back({{"code", "brief_3_10"},
                    {"context", o.value("context"sv, "")},
                    {"range_ng_ml", o["range_ng_ml"sv]},
                    {"used", false},
                    {"text", o.value("text"sv, "")},
                    {"refs", Ctx::refs_of(o)},
                    {"rule", other_id}});
  ctx.regimen["other_trough_targets"sv] = std::move(others);

  evaluate_titration(ctx, drug, spec.form);
  once_daily_titration(ctx, spec.form);
  loading_dose(ctx, spec.form);
  interactions(ctx);
  toxicity(ctx, spec.form, spec.dose_mg);
  return Reached::regimen;
}

}  // namespace mtorcalc
