// Topical sirolimus 0.2% gel (Hyftor) for TSC facial angiofibroma: age ≥ 6,
// twice daily, the daily maximum by age, the 12-week response check.
// Numbers: content/sirolimus_topical.json (refs hyftor-pi*).
#include "dosing.hpp"
#include "drugs.hpp"
#include "eligibility.hpp"
#include "mechanisms.hpp"

namespace mtorcalc {

using namespace std::string_view_literals;

namespace {

constexpr const char* drug = "sirolimus_topical";

// The age band of the daily maximum (hyftor-pi §2); its content id, or empty.
std::string band_for(const json& ind, double age) {
  for (const auto& [code, b] : ind["max_daily_gel"sv].items()) {
    bool lo = age >= b["min_age_years"sv].get<double>();
    bool hi = !b.contains("below_age_years"sv) || age < b["below_age_years"sv].get<double>();
    if (lo && hi) return code;
  }
  return "";
}

// No improvement after 12 weeks: review (hyftor-pi-response).
void response_check(Ctx& ctx) {
  const json& r = ctx.rule(std::string(drug) + ".response_check");
  ctx.monitor(drug, "response_12_weeks");
  auto months = ctx.req.num({"therapy", "months_on_therapy"});
  auto response = ctx.req.str({"therapy", "response"});
  if (!months || !response || *response == "responding"sv) return;
  double weeks = *months * r["weeks_per_month"sv].get<double>();
  if (weeks >= r["weeks"sv].get<double>()) ctx.warn(drug, "non_response_review");
}

}  // namespace

Reached evaluate_sirolimus_topical_facial(Ctx& ctx, const Derived&) {
  const std::string scope = std::string(drug) + ".indications.tsc_facial_angiofibroma";
  const json& ind = ctx.rule(scope);
  Eligibility e(ctx, drug, scope);

  auto hyper = ctx.req.flag({"patient", "rapamycin_hypersensitivity"});
  // Not stated: unknown and named as missing, never assumed met.
  e.criterion("no_rapamycin_hypersensitivity", hyper ? std::optional<bool>(!*hyper) : std::nullopt,
              {"/patient/rapamycin_hypersensitivity"});
  auto age = ctx.req.num({"patient", "age_years"});
  std::optional<bool> old_enough;
  if (age) old_enough = *age >= ind["min_age_years"sv].get<double>();
  e.criterion("age_at_least_6", old_enough, {"/patient/age_years"});
  // The indication itself says TSC-associated; only an explicit "no" counts.
  auto tsc = ctx.req.flag({"patient", "tsc_definite"});
  e.criterion("tsc_associated", tsc != std::optional<bool>(false));

  Status status;
  if (hyper == std::optional<bool>(true))
    status = Status::contraindicated;
  else if (old_enough == std::optional<bool>(false) || tsc == std::optional<bool>(false))
    status = Status::not_indicated;
  else if (!old_enough)
    status = Status::insufficient_data;
  else
    status = Status::indicated;
  e.note("daily_maximum");
  if (old_enough == std::optional<bool>(false)) e.note("bad_source_age_3");
  e.finish(status);

  evaluate_patient_warnings(ctx, drug);
  (void)evaluate_interactions(ctx, drug, "");
  if (status != Status::indicated) return Reached::stopped_early;

  std::string band = band_for(ind, *age);
  if (band.empty()) return Reached::stopped_early;
  const std::string band_id = scope + ".max_daily_gel." + band;
  const json& b = ctx.rule(band_id);
  const std::string form = ind["form"sv].get<std::string>();
  double percent =
      content::at(std::string(drug) + ".forms." + form + ".concentration_percent").get<double>();
  double per_day = ind["applications_per_day"sv].get<double>();
  double max_gel_mg = b["max_daily_gel_mg"sv].get<double>();

  RegimenSpec spec;
  spec.drug = drug;
  spec.form = form;
  spec.dose_mg = max_gel_mg / per_day * percent / 100.0;  // sirolimus in half the daily gel maximum
  spec.frequency = ind["frequency"sv].get<std::string>();
  spec.refs = Ctx::refs_of(ind);
  for (const auto& x : Ctx::refs_of(b)) spec.refs.push_back(x);
  ctx.regimen = regimen_json(ctx, spec);
  ctx.regimen["max_daily_gel_mg"sv] = max_gel_mg;
  ctx.regimen["max_daily_gel_cm"sv] = b["gel_length_cm"sv];
  ctx.regimen["max_gel_mg_per_application"sv] = round_to(max_gel_mg / per_day, 2);
  ctx.regimen["max_daily_sirolimus_mg"sv] = round_to(max_gel_mg * percent / 100.0, 2);
  ctx.regimen["concentration_percent"sv] = percent;
  ctx.regimen["age_band"sv] = band;
  ctx.regimen["age_band_rule"sv] = band_id;
  response_check(ctx);
  return Reached::regimen;
}

}  // namespace mtorcalc
