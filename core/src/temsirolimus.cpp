// Temsirolimus (Torisel) for advanced RCC: eligibility with the ARCC
// poor-risk count, 25 mg IV weekly with H1 premedication, the hold/restart
// rules, hepatic dosing by bilirubin/AST, CYP3A4 interactions and warnings.
// Numbers: content/temsirolimus.json (refs torisel-pi-*).
#include "dosing.hpp"
#include "drugs.hpp"
#include "eligibility.hpp"
#include "mechanisms.hpp"
#include "plan.hpp"
#include "sirolimus_family.hpp"

namespace mtorcalc {

using namespace std::string_view_literals;

namespace {

constexpr const char* drug = "temsirolimus";

std::optional<bool> as_opt_bool(const json& j) {
  if (j.is_boolean()) return j.get<bool>();
  return std::nullopt;
}

}  // namespace

Reached evaluate_temsirolimus_rcc(Ctx& ctx, const Derived& d) {
  const std::string scope = std::string(drug) + ".indications.rcc";
  const json& ind = ctx.rule(scope);
  Eligibility e(ctx, drug, scope);

  auto advanced = ctx.req.flag({"condition", "rcc", "advanced"});
  e.criterion("advanced", advanced, {"/condition/rcc/advanced"});

  // Bilirubin > 1.5 × ULN is the US contraindication (torisel-pi-4).
  const json& hep = content::at(std::string(drug) + ".hepatic");
  NciHepaticResult h = nci_hepatic(ctx.req, hep["bilirubin_uln_times"sv]);
  bool bili_known = h.category != NciHepatic::unknown;
  bool too_high = h.category == NciHepatic::moderate || h.category == NciHepatic::severe;
  e.criterion("bilirubin_not_above_1_5_uln",
              bili_known ? std::optional<bool>(!too_high) : std::nullopt,
              bili_known ? std::vector<std::string>{} : h.missing);

  // ARCC poor risk (≥ 3 of 6): informative in the US, the EU first-line condition.
  std::vector<std::string> arcc_missing;
  std::optional<bool> poor;
  if (ctx.derived.contains("arcc"sv)) {
    poor = as_opt_bool(ctx.derived["arcc"sv]["poor_risk"sv]);
    if (!poor)
      for (const auto& m : ctx.derived["arcc"sv]["missing"sv])
        arcc_missing.push_back(m.get<std::string>());
  }
  e.criterion("arcc_poor_risk", poor, arcc_missing);

  // A stated Child-Pugh class is not the label's NCI category: without
  // bilirubin and AST against the ULN the hepatic dose cannot be chosen.
  auto stated = ctx.req.str({"patient", "hepatic", "child_pugh_class"});
  bool class_without_nci = stated && *stated != "A" && !bili_known;
  Status status;
  if (too_high)
    status = Status::contraindicated;
  else if (advanced == std::optional<bool>(false))
    status = Status::not_indicated;
  else if (!advanced || class_without_nci)
    status = Status::insufficient_data;
  else
    status = Status::indicated;

  auto prior = ctx.req.strings({"condition", "rcc", "prior_therapies"});
  if (prior.empty()) e.alternative("io_doublet");
  auto histology = ctx.req.str({"condition", "rcc", "histology"});
  if (histology && *histology != "clear_cell"sv) e.note("non_clear_cell");
  if (histology == std::optional<std::string>("chromophobe")) e.note("chromophobe");
  if (ctx.req.flag({"condition", "rcc", "tsc_associated"}) == std::optional<bool>(true))
    e.note("tsc_associated");
  e.note("eu_label_differs");
  e.finish(status);

  evaluate_patient_warnings(ctx, drug);
  if (class_without_nci) ctx.warn(drug, "hepatic_impairment");
  if (too_high) {
    ctx.rule(std::string(drug) + ".hepatic.contraindicated");
    ctx.warn(drug, "hepatic_impairment");
  }
  if (status == Status::contraindicated || status == Status::not_indicated) {
    (void)evaluate_interactions(ctx, drug, "");
    return Reached::stopped_early;
  }

  // AST above the ULN without a bilirubin, or a liver value without its ULN:
  // 25 mg, 15 mg or a contraindication depends on what is missing, so no
  // dose is given (torisel-pi-2.4, -4).
  const std::optional<HepaticPending> hold = hepatic_pending(ctx.req, h);

  RegimenSpec spec;
  spec.drug = drug;
  spec.form = ind["form"sv].get<std::string>();
  spec.frequency = ind["frequency"sv].get<std::string>();
  spec.refs = Ctx::refs_of(ind);
  // The start pipeline's rules: the labelled weekly dose, then mild hepatic
  // impairment's lower dose (torisel-pi-2.4).
  StartRules rules;
  rules.dose_mg = ind["dose_mg"sv].get<double>();
  if (h.category == NciHepatic::mild) {
    const std::string id = std::string(drug) + ".hepatic.mild";
    const json& mild = ctx.rule(id);
    rules.steps.push_back(start_step(StartStep::Kind::dose_mg, mild["dose_mg"sv].get<double>(),
                                     "hepatic_mild", id, mild));
    ctx.warn(drug, "hepatic_impairment");
  }
  StartDose start = compose_start(rules);
  spec.dose_mg = *start.dose_mg;
  spec.adjustments = std::move(start.adjustments);
  if (h.ast_unknown)
    // The note names the mild-impairment dose, so its text lives in content.
    spec.notes.push_back(content::at("temsirolimus.hepatic.ast_unknown_note").get<std::string>());
  const json* pending = hold ? &announce_hepatic_pending(ctx, drug, *hold, spec.notes) : nullptr;
  const json& pre = ctx.rule(std::string(drug) + ".premedication");
  spec.premedication = ojson(pre);
  ctx.regimen = regimen_json(ctx, spec);
  ctx.regimen["infusion_minutes"sv] = ind["infusion_minutes"sv];
  if (pending) set_dose_pending(ctx.regimen, drug, *hold, *pending);
  ctx.warn(drug, "infusion_premedication");

  (void)evaluate_interactions(ctx, drug, "");
  auto current = ctx.req.num({"therapy", "current_dose_mg"});
  std::optional<double> dose = current;
  if (!dose && !pending) dose = spec.dose_mg;
  evaluate_toxicity(ctx, {drug, spec.form, dose, spec.frequency, d.bsa_m2});
  // Above 25 mg weekly, or 50 mg with a strong CYP3A4 inducer that cannot be
  // avoided (torisel-pi-2.1, -2.4): the label's 5 mg/week restart steps start
  // from a labelled dose, so none is stepped down from it.
  flag_dose_above_label(ctx, drug, check_current_dose(ctx, drug, "rcc", d.bsa_m2));
  finish_toxicity(ctx, drug);
  return Reached::regimen;
}

}  // namespace mtorcalc
