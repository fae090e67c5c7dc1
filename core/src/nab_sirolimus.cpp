// Nab-sirolimus (Fyarro) for malignant PEComa: 100 mg/m² IV on days 1 and 8
// of 21-day cycles, dose levels 75 / 56 / 45 mg/m², hepatic dosing by NCI
// criteria, CYP3A4 interactions and the adverse-reaction table.
// Numbers: content/nab_sirolimus.json (refs fyarro-pi-*).
#include <algorithm>

#include "dosing.hpp"
#include "drugs.hpp"
#include "eligibility.hpp"
#include "mechanisms.hpp"
#include "plan.hpp"
#include "sirolimus_family.hpp"

namespace mtorcalc {

using namespace std::string_view_literals;

namespace {

constexpr const char* drug = "nab_sirolimus";

// A haemoglobin-derived anaemia grade acts through the shared mechanism only
// on therapy (ctcae.acts_as); at a start it is answered here from
// "nab_sirolimus.adverse_reactions.anemia" (Fyarro Table 2). A reported
// anaemia is one reaction with the haemoglobin's: the worse grade counts,
// the reported grade and its recurrence are kept beside it, and only one row
// answers it (as the shared mechanism does for the other terms).
void anemia(Ctx& ctx, const ToxicityInput& in) {
  const std::optional<double>& dose = in.current_dose_mg;
  if (!ctx.derived.contains("ctcae"sv)) return;
  std::optional<std::size_t> reported;
  for (std::size_t i = 0; i < ctx.toxicity.size(); ++i)
    if (ctx.toxicity[i].is_object() && ctx.toxicity[i].value("term"sv, std::string()) == "anemia"sv)
      reported = i;
  for (const auto& g : ctx.derived["ctcae"sv]) {
    if (!g.is_object() || g.value("term"sv, std::string()) != "anemia"sv) continue;
    auto gi = g.find("grade"sv);
    if (gi == g.end() || !gi->is_number()) continue;
    int grade = gi->get<int>();
    if (grade < 1) continue;
    bool recurrent = false;
    if (reported) {
      const ojson& r = ctx.toxicity[*reported];
      if (r.value("grade"sv, 0) >= grade) return;
      recurrent = r.value("recurrent"sv, false);
      // The row answering the lower reported grade no longer applies.
      const std::string replaced = r.value("rule"sv, std::string());
      ctx.rules.erase(std::remove(ctx.rules.begin(), ctx.rules.end(), replaced), ctx.rules.end());
    }
    const std::string table_id = std::string(drug) + ".adverse_reactions.anemia";
    const json& table = content::at(table_id);
    std::string row_key;
    if (table.is_object())
      for (const auto& [key, row] : table.items()) {
        if (!row.is_object() || !row.contains("grades"sv)) continue;
        auto rec = row.find("recurrent"sv);
        if (rec != row.end() && rec->is_boolean() && rec->get<bool>() != recurrent) continue;
        for (const auto& gr : row["grades"sv])
          if (gr.is_number() && gr.get<int>() == grade) row_key = key;
        if (!row_key.empty()) break;
      }
    ojson t = ojson::object();
    t["term"sv] = "anemia";
    t["grade"sv] = grade;
    t["recurrent"sv] = recurrent;
    t["source"sv] = g.value("from"sv, std::string("/patient/labs/hemoglobin_g_dl"));
    if (reported) {
      t["reported_grade"sv] = ctx.toxicity[*reported]["grade"sv];
      t["grade_note"sv] =
          "The lab value is a higher grade than the one reported; the higher grade is used.";
    }
    t["action"sv] = nullptr;
    t["resume"sv] = nullptr;
    t["resume_dose_mg"sv] = nullptr;
    t["resume_frequency"sv] = nullptr;
    auto answer = [&](ojson entry) {
      if (reported)
        ctx.toxicity[*reported] = std::move(entry);
      else
        ctx.toxicity.push_back(std::move(entry));
    };
    if (row_key.empty()) {
      t["action"sv] = "continue";
      t["label_action"sv] = false;
      t["until"sv] = nullptr;
      t["supportive"sv] = nullptr;
      t["text"sv] = "The label table has no row for this grade.";
      t["refs"sv] = ojson::array();
      answer(std::move(t));
      return;
    }
    const std::string rid = table_id + "." + row_key;
    const json& row = ctx.rule(rid);
    t["action"sv] = row.value("action"sv, "");
    std::string resume = row.value("resume"sv, "");
    t["resume"sv] = resume.empty() ? ojson(nullptr) : ojson(resume);
    if (dose && resume == "same_dose"sv) {
      t["resume_dose_mg"sv] = round_to(*dose, 2);
      t["resume_frequency"sv] = in.frequency;
    } else if (dose && resume == "reduced_dose"sv) {
      // A recurrent grade >= 3 (reported recurrent, the haemoglobin worse).
      ReducedDose rd = reduced_dose(ctx, drug, in.form, *dose, in.frequency, in.bsa_m2);
      if (rd.dose_mg) {
        t["resume_dose_mg"sv] = round_to(*rd.dose_mg, 2);
        t["resume_frequency"sv] = rd.frequency;
      }
    }
    if (!t["resume_dose_mg"sv].is_null()) {
      if (!ctx.req.num({"therapy", "current_dose_mg"})) {
        t["dose_basis"sv] = "regimen_assumed";
        t["assumed_current_dose_mg"sv] = round_to(*dose, 2);
        t["missing"sv] = ojson::array({"/therapy/current_dose_mg"});
      } else {
        t["dose_basis"sv] = "therapy";
      }
    }
    t["until"sv] = row.contains("until"sv) ? ojson(row.value("until"sv, "")) : ojson(nullptr);
    t["supportive"sv] = nullptr;
    t["text"sv] = row.value("text"sv, "");
    t["refs"sv] = Ctx::refs_of(row);
    t["rule"sv] = rid;
    answer(std::move(t));
    return;
  }
}

}  // namespace

Reached evaluate_nab_sirolimus_pecoma(Ctx& ctx, const Derived& d) {
  const std::string scope = std::string(drug) + ".indications.pecoma";
  const json& ind = ctx.rule(scope);
  Eligibility e(ctx, drug, scope);

  auto malignant = ctx.req.flag({"condition", "pecoma", "malignant"});
  auto advanced = ctx.req.flag({"condition", "pecoma", "advanced"});
  auto age = ctx.req.num({"patient", "age_years"});
  e.criterion("malignant", malignant, {"/condition/pecoma/malignant"});
  e.criterion("advanced", advanced, {"/condition/pecoma/advanced"});
  std::optional<bool> adult;
  if (age) adult = *age >= ind["adult_age_years"sv].get<double>();
  e.criterion("adult", adult, {"/patient/age_years"});
  // Severe hypersensitivity to sirolimus, other rapamycins or albumin (fyarro-pi-4).
  auto hyper = ctx.req.flag({"patient", "rapamycin_hypersensitivity"});
  e.criterion("no_rapamycin_hypersensitivity", hyper ? std::optional<bool>(!*hyper) : std::nullopt,
              {"/patient/rapamycin_hypersensitivity"});

  // Severe hepatic impairment (bilirubin > 3 × ULN): avoid (fyarro-pi-2.4).
  const json& hep = content::at(std::string(drug) + ".hepatic");
  NciHepaticResult h = nci_hepatic(ctx.req, hep["bilirubin_uln_times"sv]);
  bool severe = h.category == NciHepatic::severe;
  bool hep_known = h.category != NciHepatic::unknown;
  e.criterion("not_severe_hepatic_impairment",
              hep_known ? std::optional<bool>(!severe) : std::nullopt,
              hep_known ? std::vector<std::string>{} : h.missing);
  if (!d.bsa_m2) {
    if (!ctx.req.has({"patient", "weight_kg"})) e.missing("/patient/weight_kg");
    if (!ctx.req.has({"patient", "height_cm"})) e.missing("/patient/height_cm");
  }

  bool unmet = malignant == std::optional<bool>(false) || advanced == std::optional<bool>(false) ||
               adult == std::optional<bool>(false) || severe;
  // A stated Child-Pugh class is not the label's NCI category: without
  // bilirubin and AST against the ULN the hepatic dose cannot be chosen.
  auto stated = ctx.req.str({"patient", "hepatic", "child_pugh_class"});
  bool class_without_nci = stated && *stated != "A" && !hep_known;
  Status status;
  if (hyper == std::optional<bool>(true))
    status = Status::contraindicated;
  else if (unmet)
    status = Status::not_indicated;
  else if (!malignant || !advanced || !adult || class_without_nci)
    status = Status::insufficient_data;
  else
    status = Status::indicated;
  e.note("ampect");
  e.note("mtor_rationale");
  e.finish(status);

  evaluate_patient_warnings(ctx, drug);
  if (hyper == std::optional<bool>(true)) ctx.warn(drug, "hypersensitivity");
  if (class_without_nci) ctx.warn(drug, "hepatic_impairment");
  if (severe) {
    ctx.rule(std::string(drug) + ".hepatic.severe");
    ctx.warn(drug, "hepatic_impairment");
  }
  InteractionSummary inter = evaluate_interactions(ctx, drug, "");
  // Their doses in mg for this patient come from the plan's composition.
  if (status == Status::not_indicated) return Reached::stopped_early;

  // The start pipeline's rules: the labelled mg/m² level, then the hepatic
  // and inhibitor levels (fyarro-pi-2.4); the lowest applies.
  StartRules rules;
  rules.dose_mg_per_m2 = ind["dose_mg_per_m2"sv].get<double>();
  rules.bsa_m2 = d.bsa_m2;
  rules.levels_in_note = true;
  rules.increment_mg = increment_of(drug, ind["form"sv].get<std::string>());
  auto step = [&](const std::string& code, const std::string& id) {
    const json& r = ctx.rule(id);
    rules.steps.push_back(start_step(StartStep::Kind::dose_mg_per_m2,
                                     r["dose_mg_per_m2"sv].get<double>(), code, id, r));
  };
  if (h.category == NciHepatic::mild || h.category == NciHepatic::moderate) {
    std::string key = h.category == NciHepatic::mild ? "mild" : "moderate";
    step("hepatic_" + key, std::string(drug) + ".hepatic." + key);
    ctx.warn(drug, "hepatic_impairment");
  }
  for (const char* klass : {"moderate_cyp3a4_inhibitor", "weak_cyp3a4_inhibitor"})
    if (inter.has(klass) && applies_at_start(ctx, klass))
      step(klass, interaction_rule_id(drug, klass, ""));
  StartDose start = compose_start(rules);

  RegimenSpec spec;
  spec.drug = drug;
  spec.form = ind["form"sv].get<std::string>();
  spec.frequency = ind["frequency"sv].get<std::string>();
  spec.dose_mg_per_m2 = start.dose_mg_per_m2;
  spec.refs = Ctx::refs_of(ind);
  spec.dose_mg = start.dose_mg.value_or(0);
  spec.adjustments = std::move(start.adjustments);
  spec.notes = std::move(start.notes);
  if (h.ast_unknown)
    // The note names the mild-impairment dose, so its text lives in content.
    spec.notes.push_back(content::at("nab_sirolimus.hepatic.ast_unknown_note").get<std::string>());
  // AST above the ULN without a bilirubin, or a liver value without its ULN:
  // 100, 75, 56 mg/m² or avoid depends on what is missing, so no dose is
  // given (fyarro-pi-2.4).
  const std::optional<HepaticPending> hold = hepatic_pending(ctx.req, h);
  const json* pending = hold ? &announce_hepatic_pending(ctx, drug, *hold, spec.notes) : nullptr;
  ctx.regimen = regimen_json(ctx, spec);
  ctx.regimen["infusion_minutes"sv] = ind["infusion_minutes"sv];
  if (!d.bsa_m2) {
    // Without a BSA the mg dose cannot be given; never guessed.
    ctx.regimen["dose_mg"sv] = nullptr;
    ctx.regimen["units"sv] = ojson::array();
  }
  if (pending) set_dose_pending(ctx.regimen, drug, *hold, *pending);

  auto current = ctx.req.num({"therapy", "current_dose_mg"});
  std::optional<double> dose =
      current ? current
              : (d.bsa_m2 && !pending ? std::optional<double>(spec.dose_mg) : std::nullopt);
  const ToxicityInput tin{drug, spec.form, dose, spec.frequency, d.bsa_m2};
  evaluate_toxicity(ctx, tin);
  anemia(ctx, tin);
  // The reading of the current dose as a label level that gives the resume
  // doses (read_dose_level) also decides whether it is above the label, where
  // no resume dose is stepped down from it (fyarro-pi-2.2).
  flag_dose_above_label(ctx, drug, check_current_dose(ctx, drug, "pecoma", d.bsa_m2));
  finish_toxicity(ctx, drug);
  return Reached::regimen;
}

}  // namespace mtorcalc
