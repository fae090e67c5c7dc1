// Everolimus (Afinitor, Afinitor Disperz): eligibility per indication, the
// starting regimen in one dosage form, hepatic and interaction adjustments,
// trough titration, the adverse-reaction table, warnings, monitoring and the
// expected response. Every number is read from content/everolimus.json (and
// the shared interactions list); this file holds only the logic.
#include <algorithm>
#include <cmath>

#include "dosing.hpp"
#include "drugs.hpp"
#include "eligibility.hpp"
#include "everolimus_dosing.hpp"
#include "mechanisms.hpp"
#include "plan.hpp"

namespace mtorcalc {

using namespace std::string_view_literals;

namespace {

constexpr const char* drug = "everolimus";

enum class DosingGroup { fixed, tdm };

[[nodiscard]] std::string_view group_name(DosingGroup g) {
  return g == DosingGroup::tdm ? "tdm" : "fixed";
}

// How a criterion takes part in the status: a blocking criterion that is
// unmet makes the drug not indicated and, when unknown, leaves the question
// open (insufficient_data); an exclusion only blocks when it is known to
// hold (absent means the clinician flagged nothing); an informational one
// never changes the status.
enum class Weight { blocking, exclusion, informational };

struct Decision {
  bool contraindicated = false;
  bool unmet = false;
  bool unknown = false;
  bool consider = false;
};

[[nodiscard]] Status status_of(const Decision& d) {
  if (d.contraindicated) return Status::contraindicated;
  if (d.unmet) return Status::not_indicated;
  if (d.unknown) return Status::insufficient_data;
  if (d.consider) return Status::consider;
  return Status::indicated;
}

std::optional<bool> need(Eligibility& e, Decision& d, std::string_view code,
                         std::optional<bool> met, Weight w, std::vector<std::string> missing = {}) {
  if (w == Weight::exclusion && !met) {
    // Not stated: shown as unknown and asked for, without holding the answer back.
    e.criterion(code, met);
    for (auto& m : missing) e.missing(std::move(m));
    return met;
  }
  e.criterion(code, met, std::move(missing));
  if (w == Weight::informational) return met;
  if (met == std::optional<bool>(false)) d.unmet = true;
  if (!met) d.unknown = true;
  return met;
}

[[nodiscard]] std::optional<bool> negate(std::optional<bool> b) {
  if (!b) return std::nullopt;
  return !*b;
}

bool contains_any(const std::vector<std::string>& have, const json& wanted) {
  for (const auto& h : have)
    for (const auto& w : wanted)
      if (w == h) return true;
  return false;
}

bool has_comedication(const Ctx& ctx, std::string_view name) {
  for (const auto& c : ctx.req.strings({"comedications"}))
    if (c == name) return true;
  return false;
}

// Hypersensitivity to rapamycin derivatives is a contraindication for every
// indication (afinitor-pi-4). Not stated: unknown, without blocking.
void hypersensitivity(Ctx& ctx, Eligibility& e, Decision& d) {
  auto h = ctx.req.flag({"patient", "rapamycin_hypersensitivity"});
  e.criterion("no_rapamycin_hypersensitivity", negate(h));
  if (h == std::optional<bool>(true)) {
    d.contraindicated = true;
    ctx.warn(drug, "hypersensitivity");
  }
}

// Definite TSC: the indication chosen already says TSC; false means
// sporadic disease, which no label covers (afinitor-pi-1).
void tsc(Ctx& ctx, Eligibility& e, Decision& d) {
  auto t = ctx.req.flag({"patient", "tsc_definite"});
  e.criterion("tsc", t);
  if (t == std::optional<bool>(false)) d.unmet = true;
  if (!t) e.note("tsc_assumed");
}

void add_note(Ctx& ctx, std::string_view id, std::string_view code) {
  if (!ctx.rule(id).is_object() || !ctx.eligibility.is_object()) return;
  ctx.eligibility["notes"sv].push_back(coded_text(id, code));
}

// ---- eligibility per indication ---------------------------------------------------

// The label indications for AML, RCC, breast cancer and NET are for adults
// (Afinitor PI §1). Under the indication's adult age the answer is
// "consider" with a note, not a refusal: paediatric use is a specialist's
// decision. An age not given is shown as unknown without holding the answer.
void adult_criterion(Ctx& ctx, Eligibility& e, Decision& d, const json& ind) {
  auto age = ctx.req.num({"patient", "age_years"});
  std::optional<bool> adult;
  if (age) adult = *age >= ind["adult_min_age_years"sv].get<double>();
  e.criterion("adult", adult, {"/patient/age_years"});
  if (adult == std::optional<bool>(false)) {
    d.consider = true;
    e.note("pediatric_off_label");
  }
}

Status aml(Ctx& ctx, const Derived& dv, Eligibility& e) {
  const std::string scope = "everolimus.indications.tsc_renal_aml";
  const json& ind = content::at(scope);
  Decision d;
  hypersensitivity(ctx, e, d);
  tsc(ctx, e, d);

  adult_criterion(ctx, e, d, ind);

  auto bleed = ctx.req.flag({"condition", "aml", "acute_hemorrhage"});
  need(e, d, "no_acute_hemorrhage", negate(bleed), Weight::exclusion,
       {"/condition/aml/acute_hemorrhage"});
  if (bleed == std::optional<bool>(true)) e.alternative("embolization_corticosteroids");
  auto surgery = ctx.req.flag({"condition", "aml", "needs_immediate_surgery"});
  need(e, d, "no_immediate_surgery", negate(surgery), Weight::exclusion,
       {"/condition/aml/needs_immediate_surgery"});
  if (surgery == std::optional<bool>(true)) e.alternative("surgery");

  // Reasons to treat (tsc-consensus-2021): any one suffices.
  auto size = ctx.req.num({"condition", "aml", "largest_diameter_cm"});
  auto growth = dv.aml_growth_cm_per_year;
  auto aneurysm = ctx.req.num({"condition", "aml", "aneurysm_mm"});
  auto burden = ctx.req.flag({"condition", "aml", "high_tumor_burden"});
  const double size_gt = ind["growing_aml_gt_cm"sv].get<double>();
  const double aneurysm_gt = ind["aneurysm_gt_mm"sv].get<double>();
  const double growth_gt = ind["growth_gt_cm_per_year"sv].get<double>();

  std::optional<bool> growing_large;
  if (size && *size <= size_gt)
    growing_large = false;
  else if (size && growth)
    growing_large = *growth > 0;
  std::optional<bool> big_aneurysm;
  if (aneurysm) big_aneurysm = *aneurysm > aneurysm_gt;
  std::optional<bool> fast;
  if (growth) fast = *growth > growth_gt;

  std::optional<bool> trigger;
  if (growing_large == std::optional<bool>(true) || big_aneurysm == std::optional<bool>(true) ||
      fast == std::optional<bool>(true) || burden == std::optional<bool>(true))
    trigger = true;
  else if (growing_large && big_aneurysm && fast && burden)
    trigger = false;
  const bool open = !trigger;
  const std::vector<std::string> growth_paths = {"/condition/aml/growth_cm_per_year",
                                                 "/condition/aml/previous_largest_diameter_cm",
                                                 "/condition/aml/months_between_measurements"};
  std::vector<std::string> size_missing;
  if (open && !size) size_missing.push_back("/condition/aml/largest_diameter_cm");
  if (open && size && !growth) size_missing = growth_paths;
  e.criterion("growing_over_3cm", growing_large, size_missing);
  e.criterion(
      "aneurysm_over_5mm", big_aneurysm,
      open ? std::vector<std::string>{"/condition/aml/aneurysm_mm"} : std::vector<std::string>{});
  e.criterion("growth_over_0_5_cm_per_year", fast,
              open ? growth_paths : std::vector<std::string>{});
  e.criterion("high_tumor_burden", burden,
              open ? std::vector<std::string>{"/condition/aml/high_tumor_burden"}
                   : std::vector<std::string>{});
  // The label names no size or growth threshold; EXIST-2 (§14) enrolled AML
  // of at least 3 cm and the triggers are consensus: such an AML without a
  // trigger is 'consider', surveillance kept as the alternative.
  const bool trial_size = size && *size >= size_gt;
  if (trigger == std::optional<bool>(false) && trial_size) {
    need(e, d, "treatment_trigger", trigger, Weight::informational);
    d.consider = true;
  } else {
    need(e, d, "treatment_trigger", trigger, Weight::blocking);
  }
  if (trigger == std::optional<bool>(false)) {
    e.alternative("surveillance");
    e.alternative("embolization_or_resection");
  }
  e.note("threshold_conflict");
  e.note("kidney_transplant");
  return status_of(d);
}

// The label's minimum age for a TSC indication ("min_age_years" in content).
std::optional<bool> minimum_age(Ctx& ctx, Eligibility& e, Decision& d, const json& ind,
                                std::string_view code) {
  auto age = ctx.req.num({"patient", "age_years"});
  std::optional<bool> old_enough;
  if (age) old_enough = *age >= ind["min_age_years"sv].get<double>();
  need(e, d, code, old_enough, Weight::blocking, {"/patient/age_years"});
  return old_enough;
}

Status sega(Ctx& ctx, Eligibility& e) {
  const json& ind = content::at("everolimus.indications.tsc_sega");
  Decision d;
  hypersensitivity(ctx, e, d);
  tsc(ctx, e, d);
  (void)minimum_age(ctx, e, d, ind, "age_at_least_1");

  auto needs = ctx.req.flag({"condition", "sega", "needs_intervention"});
  need(e, d, "needs_intervention", needs, Weight::blocking, {"/condition/sega/needs_intervention"});
  if (needs == std::optional<bool>(false)) e.alternative("surveillance");

  auto acute = ctx.req.flag({"condition", "sega", "acute_symptoms"});
  need(e, d, "no_acute_symptoms", negate(acute), Weight::exclusion,
       {"/condition/sega/acute_symptoms"});
  if (acute == std::optional<bool>(true)) e.alternative("surgery_first");

  // Not curatively resectable (label). A resectable SEGA that is growing
  // and asymptomatic may still get an mTOR inhibitor (consensus): consider.
  auto resectable = ctx.req.flag({"condition", "sega", "curatively_resectable"});
  auto growing = ctx.req.flag({"condition", "sega", "growing"});
  e.criterion("not_curatively_resectable", negate(resectable),
              {"/condition/sega/curatively_resectable"});
  if (!resectable) d.unknown = true;
  if (resectable == std::optional<bool>(true)) {
    e.alternative("surgery_or_mtori");
    if (growing == std::optional<bool>(true) && acute != std::optional<bool>(true))
      d.consider = true;
    else
      d.unmet = true;
  }
  e.note("form_choice");
  e.note("eu_young_children");
  return status_of(d);
}

Status seizures(Ctx& ctx, Eligibility& e) {
  const json& ind = content::at("everolimus.indications.tsc_seizures");
  Decision d;
  hypersensitivity(ctx, e, d);
  tsc(ctx, e, d);
  auto old_enough = minimum_age(ctx, e, d, ind, "age_at_least_2");
  need(e, d, "partial_onset", ctx.req.flag({"condition", "seizures", "partial_onset"}),
       Weight::blocking, {"/condition/seizures/partial_onset"});
  need(e, d, "adjunctive_refractory", ctx.req.flag({"condition", "seizures", "refractory"}),
       Weight::informational);
  if (old_enough == std::optional<bool>(false)) e.alternative("infantile_spasms");
  e.note("disperz_only");
  e.note("eu_dosing");
  return status_of(d);
}

Status rcc(Ctx& ctx, Eligibility& e, bool& combination) {
  const json& ind = content::at("everolimus.indications.rcc");
  Decision d;
  hypersensitivity(ctx, e, d);
  need(e, d, "advanced", ctx.req.flag({"condition", "rcc", "advanced"}), Weight::blocking,
       {"/condition/rcc/advanced"});
  adult_criterion(ctx, e, d, ind);
  combination = has_comedication(ctx, "lenvatinib");

  auto tsc_rcc = ctx.req.flag({"condition", "rcc", "tsc_associated"});
  std::optional<bool> labelled_prior;
  std::optional<bool> other_prior;
  if (ctx.req.has({"condition", "rcc", "prior_therapies"})) {
    auto prior = ctx.req.strings({"condition", "rcc", "prior_therapies"});
    labelled_prior = contains_any(prior, ind["sunitinib_or_sorafenib"sv]);
    other_prior = contains_any(prior, ind["other_vegf_targeted"sv]);
  }
  e.criterion("prior_sunitinib_or_sorafenib", labelled_prior, {"/condition/rcc/prior_therapies"});
  if (!labelled_prior) d.unknown = true;
  if (labelled_prior == std::optional<bool>(false)) {
    e.criterion("prior_other_vegf_targeted", other_prior);
    if (other_prior == std::optional<bool>(true)) {
      // Everolimus alone after another VEGF-targeted drug is outside its
      // label wording; with lenvatinib the Lenvima label covers it (below).
      if (!combination) d.consider = true;
    } else if (tsc_rcc == std::optional<bool>(true)) {
      d.consider = true;  // TSC2-driven RCC: first-line everolimus case reports
    } else {
      d.unmet = true;
      e.alternative("first_line_guideline");
      e.alternative("temsirolimus_any_line");
    }
  }
  if (tsc_rcc) e.criterion("tsc_associated", tsc_rcc);
  if (tsc_rcc == std::optional<bool>(true)) e.note("tsc_associated");

  const bool any_vegf =
      labelled_prior == std::optional<bool>(true) || other_prior == std::optional<bool>(true);
  if (any_vegf && !combination) e.alternative("lenvatinib_everolimus");
  if (combination) {
    // Lenvatinib + everolimus is labelled after one prior anti-angiogenic
    // therapy of any kind (Lenvima PI §1, §2).
    std::optional<bool> after_anti_angiogenic;
    if (labelled_prior && other_prior) after_anti_angiogenic = any_vegf;
    e.criterion("lenvatinib_combination_prior_anti_angiogenic", after_anti_angiogenic,
                {"/condition/rcc/prior_therapies"});
    e.note("lenvatinib_combination");
  }

  if (auto h = ctx.req.str({"condition", "rcc", "histology"}); h && *h != "clear_cell"sv) {
    e.note("non_clear_cell");
    if (*h == "chromophobe"sv) e.note("chromophobe");
    e.alternative("temsirolimus_poor_risk");
  }
  e.note("guideline_position");
  return status_of(d);
}

Status breast(Ctx& ctx, Eligibility& e) {
  Decision d;
  hypersensitivity(ctx, e, d);
  const json& ind = content::at("everolimus.indications.breast_hr_positive");
  adult_criterion(ctx, e, d, ind);
  // The indication is for postmenopausal women; a man's HR-positive breast
  // cancer is outside the label wording. Sex not given is shown as unknown
  // and asked for, without holding the answer back (as for age).
  std::optional<bool> female;
  if (auto sex = ctx.req.str({"patient", "sex"})) female = *sex == "female"sv;
  e.criterion("female", female, {"/patient/sex"});
  if (female == std::optional<bool>(false)) d.consider = true;
  for (const char* c : {"postmenopausal", "hr_positive", "her2_negative", "prior_nonsteroidal_ai"})
    need(e, d, c, ctx.req.flag({"condition", "breast", c}), Weight::blocking,
         {"/condition/breast/" + std::string(c)});
  e.note("eu_visceral");
  return status_of(d);
}

Status net(Ctx& ctx, Eligibility& e) {
  Decision d;
  hypersensitivity(ctx, e, d);
  adult_criterion(ctx, e, d, content::at("everolimus.indications.net"));
  auto origin = ctx.req.str({"condition", "net", "origin"});
  need(e, d, "origin_labelled", origin ? std::optional<bool>(true) : std::nullopt, Weight::blocking,
       {"/condition/net/origin"});
  need(e, d, "progressive", ctx.req.flag({"condition", "net", "progressive"}), Weight::blocking,
       {"/condition/net/progressive"});
  // GI and lung NET: labelled only when well differentiated and non-functional.
  const bool gi_lung = origin && *origin != "pancreatic"sv;
  if (gi_lung)
    need(e, d, "well_differentiated", ctx.req.flag({"condition", "net", "well_differentiated"}),
         Weight::blocking, {"/condition/net/well_differentiated"});
  auto functional = ctx.req.flag({"condition", "net", "functional_carcinoid"});
  need(e, d, "not_functional_carcinoid", negate(functional),
       gi_lung ? Weight::blocking : Weight::exclusion, {"/condition/net/functional_carcinoid"});
  if (functional == std::optional<bool>(true)) e.alternative("functional_carcinoid");
  return status_of(d);
}

// ---- regimen --------------------------------------------------------------------

struct Plan {
  DosingGroup group = DosingGroup::fixed;
  std::string form;
  std::optional<double> dose_mg;  // per administration; nullopt when BSA is missing
  std::string frequency;
  bool form_overridden = false;
};

[[nodiscard]] std::string form_for(Ctx& ctx, const json& ind, bool& overridden) {
  std::string chosen = ind.contains("default_form"sv) ? ind["default_form"sv].get<std::string>()
                                                      : ind["form"sv].get<std::string>();
  auto asked = ctx.req.str({"therapy", "form"});
  if (!asked) return chosen;
  bool allowed = false;
  if (ind.contains("forms"sv)) {
    for (const auto& f : ind["forms"sv]) allowed = allowed || is_string_equal(f, *asked);
  } else {
    allowed = is_string_equal(ind["form"sv], *asked);
  }
  if (allowed) return *asked;
  overridden = true;
  ctx.warn(drug, "form_not_for_indication");
  return chosen;
}

// What a BSA dose lacks: the weight, the height, or both (either is asked
// for only when absent; a BSA given outright needs neither).
std::vector<std::string> bsa_inputs_missing(const Ctx& ctx) {
  std::vector<std::string> out;
  if (!ctx.req.has({"patient", "weight_kg"})) out.emplace_back("/patient/weight_kg");
  if (!ctx.req.has({"patient", "height_cm"})) out.emplace_back("/patient/height_cm");
  if (out.empty()) out = {"/patient/weight_kg", "/patient/height_cm"};
  return out;
}

// Fixed-dose hepatic dose by Child-Pugh class (afinitor-pi-2.10).
void hepatic_fixed(Ctx& ctx, const Derived& d, StartRules& rules) {
  if (!d.child_pugh_class) return;
  const std::string id = std::string(drug) + ".hepatic.fixed_dose." + *d.child_pugh_class;
  const json& r = ctx.rule(id);
  if (!r.is_object()) return;
  rules.steps.push_back(start_step(StartStep::Kind::dose_mg, r["dose_mg"sv].get<double>(),
                                   "hepatic_child_pugh_" + *d.child_pugh_class, id, r));
  ctx.warn(drug, "hepatic_impairment");
  if (r.contains("warning"sv)) ctx.warn(drug, r["warning"sv].get<std::string>());
}

Plan fixed_regimen(Ctx& ctx, const Derived& d, const std::string& indication,
                   const InteractionSummary& ix, bool combination) {
  const std::string scope = "everolimus.indications." + indication;
  const json& ind = ctx.rule(scope);
  Plan p;
  p.group = DosingGroup::fixed;
  RegimenSpec spec;
  spec.drug = drug;
  spec.form = form_for(ctx, ind, p.form_overridden);
  spec.frequency = ind["frequency"sv].get<std::string>();
  spec.refs = Ctx::refs_of(ind);
  if (ind.contains("companion"sv)) spec.notes.push_back(ind["companion"sv].get<std::string>());

  // The rules the start pipeline composes: the labelled dose, lenvatinib's
  // combination dose (lenvima-pi-2), the hepatic class, a moderate inhibitor's
  // fixed dose (afinitor-pi-2.11).
  StartRules rules;
  rules.dose_mg = ind["dose_mg"sv].get<double>();
  if (combination) {
    const std::string id = "everolimus.indications.rcc.notes.lenvatinib_combination";
    const json& c = ctx.rule(id);
    rules.steps.push_back(start_step(StartStep::Kind::dose_mg,
                                     ind["lenvatinib_combination_dose_mg"sv].get<double>(),
                                     "lenvatinib_combination", id, c));
  }
  hepatic_fixed(ctx, d, rules);
  if (ix.has("moderate_cyp3a4_inhibitor") && applies_at_start(ctx, "moderate_cyp3a4_inhibitor")) {
    const std::string rid = interaction_rule_id(drug, "moderate_cyp3a4_inhibitor", "fixed");
    const json& r = ctx.rule(rid);
    if (r.contains("dose_mg"sv))
      rules.steps.push_back(start_step(StartStep::Kind::dose_mg, r["dose_mg"sv].get<double>(),
                                       "moderate_cyp3a4_inhibitor", rid, r));
  }
  StartDose start = compose_start(rules);
  spec.dose_mg = *start.dose_mg;
  spec.adjustments = std::move(start.adjustments);
  p.form = spec.form;
  p.dose_mg = spec.dose_mg;
  p.frequency = spec.frequency;
  ctx.regimen = regimen_json(ctx, spec);
  return p;
}

Plan bsa_regimen(Ctx& ctx, const Derived& d, const std::string& indication,
                 const InteractionSummary& ix, Eligibility* e) {
  const std::string scope = "everolimus.indications." + indication;
  const json& ind = ctx.rule(scope);
  const json& tdm = ctx.rule("everolimus.tdm");
  Plan p;
  p.group = DosingGroup::tdm;
  RegimenSpec spec;
  spec.drug = drug;
  spec.form = form_for(ctx, ind, p.form_overridden);
  spec.frequency = ind["frequency"sv].get<std::string>();
  spec.refs = Ctx::refs_of(ind);

  StartRules rules;
  rules.dose_mg_per_m2 = ind["dose_mg_per_m2"sv].get<double>();
  rules.bsa_m2 = d.bsa_m2;
  rules.strengths_mg = strengths_of(drug, spec.form);
  rules.tie = tie_rule(drug);
  // Severe hepatic impairment lowers the starting dose per m² (afinitor-pi-2.10).
  if (d.child_pugh_class) {
    const std::string id = "everolimus.hepatic.bsa_dose." + *d.child_pugh_class;
    const json& r = ctx.rule(id);
    ctx.warn(drug, "hepatic_impairment");
    if (r.is_object() && r.contains("dose_mg_per_m2"sv))
      rules.steps.push_back(start_step(StartStep::Kind::dose_mg_per_m2,
                                       r["dose_mg_per_m2"sv].get<double>(),
                                       "hepatic_child_pugh_" + *d.child_pugh_class, id, r));
    else if (r.is_object())
      spec.notes.push_back(r.value("text"sv, ""));
    if (r.is_object() && r.contains("warning"sv)) ctx.warn(drug, r["warning"sv].get<std::string>());
  }
  spec.trough_target_ng_ml = {tdm["target_range_ng_ml"sv][0].get<double>(),
                              tdm["target_range_ng_ml"sv][1].get<double>()};
  spec.next_trough_check_days = {tdm["recheck_days"sv][0].get<double>(),
                                 tdm["recheck_days"sv][1].get<double>()};
  ctx.rule("everolimus.rounding");
  if (d.bsa_m2) {
    // P-gp and moderate CYP3A4 inhibitor: halve, every other day below the
    // lowest strength (afinitor-pi-2.11).
    if (ix.has("moderate_cyp3a4_inhibitor") && applies_at_start(ctx, "moderate_cyp3a4_inhibitor")) {
      const std::string rid = interaction_rule_id(drug, "moderate_cyp3a4_inhibitor", "tdm");
      const json& r = ctx.rule(rid);
      if (r.contains("dose_factor"sv))
        rules.steps.push_back(start_step(StartStep::Kind::daily_factor,
                                         r["dose_factor"sv].get<double>(),
                                         "moderate_cyp3a4_inhibitor", rid, r));
    }
    // A P-gp and strong CYP3A4 inducer the patient takes at the start and
    // cannot avoid: the daily dose doubled, in one step of at most the label's
    // increment (afinitor-pi-2.12); on therapy, only one taken since the start.
    if (ix.has("strong_cyp3a4_inducer") && applies_at_start(ctx, "strong_cyp3a4_inducer")) {
      const std::string rid = interaction_rule_id(drug, "strong_cyp3a4_inducer", "tdm");
      const json& r = ctx.rule(rid);
      if (r.contains("dose_factor"sv) && tdm.contains("max_increase_mg_per_step"sv)) {
        StartStep s = start_step(StartStep::Kind::daily_factor, r["dose_factor"sv].get<double>(),
                                 "strong_cyp3a4_inducer", rid, r);
        s.max_increase_mg = tdm["max_increase_mg_per_step"sv].get<double>();
        rules.steps.push_back(std::move(s));
      }
    }
  } else if (e) {
    for (const auto& m : bsa_inputs_missing(ctx)) e->missing(m);
  }
  StartDose start = compose_start(rules);
  for (auto& n : start.notes) spec.notes.push_back(std::move(n));
  spec.notes.push_back(content::at("everolimus.rounding.text").get<std::string>());
  spec.dose_mg_per_m2 = start.dose_mg_per_m2;
  spec.calculated_dose_mg = start.calculated_dose_mg;
  spec.adjustments = std::move(start.adjustments);
  if (start.dose_mg) {
    spec.dose_mg = *start.dose_mg;
    spec.frequency = start.frequency;
  }
  ojson reg = regimen_json(ctx, spec);
  if (!start.dose_mg) {
    reg["dose_mg"sv] = nullptr;
    reg["units"sv] = ojson::array();
    reg["missing"sv] = ojson(bsa_inputs_missing(ctx));
  }
  ctx.regimen = std::move(reg);
  p.form = spec.form;
  if (start.dose_mg) p.dose_mg = start.dose_mg;
  p.frequency = spec.frequency;
  return p;
}

// ---- titration, warnings, monitoring ------------------------------------------------

void titration(Ctx& ctx, const std::string& indication, const Plan& p) {
  if (!ctx.req.has({"therapy", "trough_ng_ml"})) return;
  if (indication == "rcc"sv || indication == "breast_hr_positive"sv || indication == "net"sv) {
    // TDM is not established in oncology (afinitor-pi-2.8): no titration.
    ctx.warn(drug, "oncology_tdm_not_established");
    return;
  }
  std::string form = p.form;
  if (auto f = ctx.req.str({"therapy", "form"}); f && !p.form_overridden) form = *f;
  evaluate_titration(ctx, drug, form);
  if (!ctx.titration.is_object()) return;
  ojson notes = ojson::array();
  auto add = [&](std::string_view id, std::string_view code) {
    ctx.rule(id);  // lists the rule
    notes.push_back(coded_text(id, code));
  };
  if (indication == "tsc_renal_aml"sv) add("everolimus.tdm_aml", "aml_fixed_dose_label");
  if (indication == "tsc_seizures"sv) add("everolimus.tdm_franz", "exist3_exposure");
  ctx.titration["form"sv] = form;
  ctx.titration["notes"sv] = std::move(notes);
  ctx.monitor(drug, "trough");
}

void response_review(Ctx& ctx, const std::string& indication) {
  const bool tsc_ind = indication == "tsc_renal_aml"sv || indication == "tsc_sega"sv ||
                       indication == "tsc_seizures"sv;
  if (!tsc_ind) return;
  ctx.monitor(drug, "response_review");
  ctx.warn(drug, "response_review_due");
  auto months = ctx.req.num({"therapy", "months_on_therapy"});
  auto response = ctx.req.str({"therapy", "response"});
  const json& r = ctx.rule("everolimus.warnings.non_response_review");
  if (!months || !response || !r.contains("min_months"sv)) return;
  bool no_response = false;
  for (const auto& x : r["responses"sv]) no_response = no_response || is_string_equal(x, *response);
  if (*months >= r["min_months"sv].get<double>() && no_response)
    ctx.warn(drug, "non_response_review");
}

void monitoring(Ctx& ctx, const std::string& indication) {
  if (indication == "tsc_sega"sv || indication == "tsc_seizures"sv) ctx.monitor(drug, "trough");
  for (const char* m :
       {"fasting_glucose", "lipids", "cbc", "renal_function", "adverse_events_early"})
    ctx.monitor(drug, m);
  if (indication == "tsc_renal_aml"sv) ctx.monitor_as(drug, "imaging", "aml_imaging");
  if (indication == "tsc_sega"sv) ctx.monitor_as(drug, "imaging", "sega_imaging");
}

void expected(Ctx& ctx, const std::string& indication, bool combination) {
  if (indication == "tsc_renal_aml"sv) ctx.expect_response(drug, "aml");
  if (indication == "tsc_sega"sv) ctx.expect_response(drug, "sega");
  if (indication == "tsc_seizures"sv) ctx.expect_response(drug, "seizures");
  if (indication == "rcc"sv) ctx.expect_response(drug, combination ? "rcc_lenvatinib" : "rcc");
  if (indication == "breast_hr_positive"sv) ctx.expect_response(drug, "breast");
  if (indication == "net"sv) {
    auto origin = ctx.req.str({"condition", "net", "origin"});
    if (origin == std::optional<std::string>("pancreatic"))
      ctx.expect_response(drug, "net_pancreatic");
    else if (origin)
      ctx.expect_response(drug, "net_gi_lung");
  }
  if (indication == "tsc_renal_aml"sv || indication == "tsc_sega"sv ||
      indication == "tsc_seizures"sv)
    ctx.expect_response(drug, "continue_responders");
}

}  // namespace

Reached evaluate_everolimus(Ctx& ctx, const Derived& d) {
  const std::string indication = ctx.req.indication();
  const std::string scope = "everolimus.indications." + indication;
  if (!content::at(scope).is_object()) {
    evaluate_unlabelled(ctx, drug);
    return Reached::stopped_early;
  }

  Eligibility e(ctx, drug, scope);
  bool combination = false;
  Status status = Status::insufficient_data;
  if (indication == "tsc_renal_aml"sv)
    status = aml(ctx, d, e);
  else if (indication == "tsc_sega"sv)
    status = sega(ctx, e);
  else if (indication == "tsc_seizures"sv)
    status = seizures(ctx, e);
  else if (indication == "rcc"sv)
    status = rcc(ctx, e, combination);
  else if (indication == "breast_hr_positive"sv)
    status = breast(ctx, e);
  else if (indication == "net"sv)
    status = net(ctx, e);

  const DosingGroup group = is_string_equal(content::at(scope + ".dosing_group"), "tdm")
                                ? DosingGroup::tdm
                                : DosingGroup::fixed;

  // Interactions first: they change the starting dose. The base for scaled
  // (TDM) actions is the current dose when the patient is already treated.
  std::optional<double> base = ctx.req.num({"therapy", "current_dose_mg"});
  const bool give_regimen = status != Status::contraindicated && status != Status::not_indicated;
  InteractionSummary ix;
  Plan plan;
  // The entries' doses come from the plan's composition (plan.cpp), which
  // applies each rule once: no base dose is scaled here.
  ix = evaluate_interactions(ctx, drug, group_name(group));
  if (give_regimen)
    plan = group == DosingGroup::tdm ? bsa_regimen(ctx, d, indication, ix, &e)
                                     : fixed_regimen(ctx, d, indication, ix, combination);
  if (taken_now(ctx, "strong_cyp3a4_inhibitor")) ctx.warn(drug, "strong_inhibitor_avoid");
  if (taken_now(ctx, "strong_cyp3a4_inducer")) ctx.warn(drug, "strong_inducer_avoid");
  if (!give_regimen && d.child_pugh_class) ctx.warn(drug, "hepatic_impairment");

  e.finish(status);
  add_note(ctx, "everolimus.mechanism", "mechanism");

  if (plan.form.empty()) {
    bool ignored = false;
    plan.form = form_for(ctx, content::at(scope), ignored);
    plan.form_overridden = ignored;
  }
  titration(ctx, indication, plan);

  ToxicityInput tin;
  tin.drug = drug;
  tin.form = plan.form;
  if (auto f = ctx.req.str({"therapy", "form"}); f && !plan.form_overridden) tin.form = *f;
  tin.current_dose_mg = base ? base : plan.dose_mg;
  tin.frequency = ctx.req.str({"therapy", "frequency"})
                      .value_or(plan.frequency.empty() ? "once_daily" : plan.frequency);
  tin.bsa_m2 = d.bsa_m2;
  evaluate_toxicity(ctx, tin);
  // A current dose above the label's maximum for a fixed-dose indication (10 mg
  // daily; 20 mg only with a strong inducer that cannot be avoided, Afinitor PI
  // 2.4, 2.12): "50% of the previous dose" of 100 mg a day is not a labelled dose.
  flag_dose_above_label(ctx, drug, check_current_dose(ctx, drug, indication, d.bsa_m2));
  finish_toxicity(ctx, drug);

  evaluate_patient_warnings(ctx, drug);
  response_review(ctx, indication);
  monitoring(ctx, indication);
  expected(ctx, indication, combination);
  return Reached::regimen;
}

}  // namespace mtorcalc
