// Nab-sirolimus (Fyarro) for malignant PEComa: 100 mg/m² IV on days 1 and 8
// of 21-day cycles, dose levels 75 / 56 / 45 mg/m², hepatic dosing by NCI
// criteria, CYP3A4 interactions and the adverse-reaction table.
// Numbers: content/nab_sirolimus.json (refs fyarro-pi-*).
#include <cmath>

#include "dosing.hpp"
#include "drugs.hpp"
#include "eligibility.hpp"
#include "mechanisms.hpp"
#include "sirolimus_family.hpp"

namespace mtorcalc {
namespace {

constexpr const char* drug = "nab_sirolimus";

// Where the current dose sits among the label's levels (fyarro-pi-2.2
// Table 1) at the current BSA. A dose within the content tolerance of a level
// is that level; a dose between two levels steps to the next level below it,
// never skipping one. The levels are read from content.
struct LevelStep {
  bool above_label = false;       // above the starting level (beyond the tolerance)
  std::optional<double> next_m2;  // the level to resume at; none: discontinue
  bool below_lowest = false;      // below the lowest level (beyond the tolerance)
  std::string note;               // how the current dose was read, when not exact
};

LevelStep step_down(double current_mg, double bsa, const json& levels, double tol) {
  LevelStep out;
  std::vector<double> lv;
  for (const auto& l : levels)
    if (l.is_number()) lv.push_back(l.get<double>());
  if (lv.empty() || bsa <= 0) return out;
  const double m2 = current_mg / bsa;
  const std::string at = "Current dose " + num_text(current_mg) + " mg at BSA " + num_text(bsa) +
                         " m² = " + num_text(m2) + " mg/m²";
  if (m2 > lv.front() * (1.0 + tol)) {
    out.above_label = true;
    return out;
  }
  for (std::size_t i = 0; i < lv.size(); ++i) {
    if (std::fabs(m2 - lv[i]) <= lv[i] * tol + 1e-9) {
      if (i + 1 < lv.size()) out.next_m2 = lv[i + 1];
      if (std::fabs(m2 - lv[i]) > 0.005 * lv[i])
        out.note = at + ", within " + num_text(tol * 100) + "% of the " + num_text(lv[i]) +
                   " mg/m² level: taken as that level.";
      return out;
    }
  }
  for (std::size_t i = 0; i + 1 < lv.size(); ++i) {
    if (m2 < lv[i] && m2 > lv[i + 1]) {
      out.next_m2 = lv[i + 1];
      out.note = at + ", between the " + num_text(lv[i]) + " and " + num_text(lv[i + 1]) +
                 " mg/m² levels (e.g. dosed at an earlier BSA): the next label level below it, " +
                 num_text(lv[i + 1]) + " mg/m², is used. Check which level the patient is on.";
      return out;
    }
  }
  out.below_lowest = true;
  out.note = at + ".";
  return out;
}

// The label's dose levels (content), or null when content lacks them.
const json& levels_of(const json& reduction) {
  static const json none;
  if (!reduction.is_object()) return none;
  auto it = reduction.find("levels_mg_per_m2");
  return it != reduction.end() ? *it : none;
}

// The shared table gives a reduced dose by its own reading of the level; the
// label's levels are applied here to every nab-sirolimus reduced-dose answer:
// the current dose mapped to its level at the current BSA, one level down.
void apply_levels(Ctx& ctx, std::optional<double> dose, std::optional<double> bsa,
                  const std::string& frequency) {
  const json& red = content::at(std::string(drug) + ".dose_reduction");
  const std::string prefix = std::string(drug) + ".adverse_reactions.";
  for (auto& t : ctx.toxicity) {
    if (!t.is_object() || t.value("resume", ojson(nullptr)) != "reduced_dose") continue;
    if (t.value("rule", std::string()).rfind(prefix, 0) != 0) continue;
    if (!dose) continue;
    const json& lvl = ctx.rule(std::string(drug) + ".current_level");
    if (t.contains("resume_note")) t.erase("resume_note");
    if (t.contains("resume_dose_mg_per_m2")) t.erase("resume_dose_mg_per_m2");
    t["resume_dose_mg"] = nullptr;
    t["resume_frequency"] = nullptr;
    if (!bsa) {
      t["resume_note"] = lvl.value("no_bsa_text", "");
      t["missing"] = ojson::array({"/patient/weight_kg", "/patient/height_cm"});
      continue;
    }
    double tol = lvl.contains("tolerance_fraction") && lvl["tolerance_fraction"].is_number()
                     ? lvl["tolerance_fraction"].get<double>()
                     : 0.0;
    LevelStep s = step_down(*dose, *bsa, levels_of(red), tol);
    if (s.above_label) continue;  // flagged by flag_dose_above_label
    if (!s.note.empty()) t["level_note"] = s.note;
    if (s.next_m2) {
      t["resume_dose_mg"] = round_to(*s.next_m2 * *bsa, 2);
      t["resume_dose_mg_per_m2"] = *s.next_m2;
      t["resume_frequency"] = frequency;
    } else if (s.below_lowest) {
      t["resume_note"] = lvl.value("below_lowest_text", "");
    } else {
      t["resume_note"] = red.value("no_lower_dose_text", "");
    }
  }
}

// Rows the shared table cannot reach: anaemia is graded from haemoglobin
// (derived.ctcae) but is no contract term, so it is answered here from
// "nab_sirolimus.adverse_reactions.anemia" (Fyarro Table 2), unless the
// shared mechanism already answered it.
void anemia(Ctx& ctx, std::optional<double> dose, const std::string& frequency) {
  if (!ctx.derived.contains("ctcae")) return;
  for (const auto& t : ctx.toxicity)
    if (t.is_object() && t.value("term", std::string()) == "anemia") return;
  for (const auto& g : ctx.derived["ctcae"]) {
    if (!g.is_object() || g.value("term", std::string()) != "anemia") continue;
    auto gi = g.find("grade");
    if (gi == g.end() || !gi->is_number()) continue;
    int grade = gi->get<int>();
    if (grade < 1) continue;
    const std::string table_id = std::string(drug) + ".adverse_reactions.anemia";
    const json& table = content::at(table_id);
    std::string row_key;
    if (table.is_object())
      for (const auto& [key, row] : table.items()) {
        if (!row.is_object() || !row.contains("grades")) continue;
        for (const auto& gr : row["grades"])
          if (gr.is_number() && gr.get<int>() == grade) row_key = key;
        if (!row_key.empty()) break;
      }
    ojson t = ojson::object();
    t["term"] = "anemia";
    t["grade"] = grade;
    t["recurrent"] = false;
    t["source"] = g.value("from", std::string("/patient/labs/hemoglobin_g_dl"));
    t["action"] = nullptr;
    t["resume"] = nullptr;
    t["resume_dose_mg"] = nullptr;
    t["resume_frequency"] = nullptr;
    if (row_key.empty()) {
      t["until"] = nullptr;
      t["supportive"] = nullptr;
      t["text"] = "The label table has no row for this grade.";
      t["refs"] = ojson::array();
      ctx.toxicity.push_back(std::move(t));
      return;
    }
    const std::string rid = table_id + "." + row_key;
    const json& row = ctx.rule(rid);
    t["action"] = row.value("action", "");
    std::string resume = row.value("resume", "");
    t["resume"] = resume.empty() ? ojson(nullptr) : ojson(resume);
    if (dose && resume == "same_dose") {
      t["resume_dose_mg"] = round_to(*dose, 2);
      t["resume_frequency"] = frequency;
      if (!ctx.req.num({"therapy", "current_dose_mg"})) {
        t["dose_basis"] = "regimen_assumed";
        t["assumed_current_dose_mg"] = round_to(*dose, 2);
        t["missing"] = ojson::array({"/therapy/current_dose_mg"});
      } else {
        t["dose_basis"] = "therapy";
      }
    }
    t["until"] = row.contains("until") ? ojson(row.value("until", "")) : ojson(nullptr);
    t["supportive"] = nullptr;
    t["text"] = row.value("text", "");
    t["refs"] = Ctx::refs_of(row);
    t["rule"] = rid;
    ctx.toxicity.push_back(std::move(t));
    return;
  }
}

// A reported reaction with no Fyarro row is answered by the shared mechanism
// with a generic text; where content says what the label does give for it,
// that text and its refs replace the generic one (the action stays null).
void unlisted(Ctx& ctx) {
  for (auto& t : ctx.toxicity) {
    if (!t.is_object() || t.contains("rule") || !t["action"].is_null()) continue;
    const std::string term = t.value("term", std::string());
    const std::string id = std::string(drug) + ".unlisted_adverse_reactions." + term;
    if (!content::at(id).is_object()) continue;
    const json& r = ctx.rule(id);
    t["text"] = r.value("text", "");
    t["refs"] = Ctx::refs_of(r);
    t["rule"] = id;
  }
}

void monitoring(Ctx& ctx) {
  for (const char* m : {"potassium", "cbc", "glucose", "liver"}) ctx.monitor(drug, m);
}

// The mg/m² level after hepatic and interaction rules: the lowest applies.
struct Level {
  double mg_per_m2;
  std::vector<Adjustment> adjustments;  // in mg/m² until the BSA is applied
};

void lower_to(Level& level, std::string code, double to_m2, ojson refs, std::string note) {
  if (to_m2 >= level.mg_per_m2) return;
  level.adjustments.push_back(
      {std::move(code), level.mg_per_m2, to_m2, std::move(refs), "", std::move(note)});
  level.mg_per_m2 = to_m2;
}

void pecoma(Ctx& ctx, const Derived& d) {
  const std::string scope = std::string(drug) + ".indications.pecoma";
  const json& ind = ctx.rule(scope);
  Eligibility e(ctx, drug, scope);

  auto malignant = ctx.req.flag({"condition", "pecoma", "malignant"});
  auto advanced = ctx.req.flag({"condition", "pecoma", "advanced"});
  auto age = ctx.req.num({"patient", "age_years"});
  e.criterion("malignant", malignant, {"/condition/pecoma/malignant"});
  e.criterion("advanced", advanced, {"/condition/pecoma/advanced"});
  std::optional<bool> adult;
  if (age) adult = *age >= ind["adult_age_years"].get<double>();
  e.criterion("adult", adult, {"/patient/age_years"});

  // Severe hepatic impairment (bilirubin > 3 × ULN): avoid (fyarro-pi-2.4).
  const json& hep = content::at(std::string(drug) + ".hepatic");
  NciHepaticResult h = nci_hepatic(ctx.req, hep["bilirubin_uln_times"]);
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
  Status status;
  if (unmet)
    status = Status::not_indicated;
  else if (!malignant || !advanced || !adult)
    status = Status::insufficient_data;
  else
    status = Status::indicated;
  e.note("ampect");
  e.note("mtor_rationale");
  e.finish(status);

  evaluate_patient_warnings(ctx, drug);
  if (severe) {
    ctx.rule(std::string(drug) + ".hepatic.severe");
    ctx.warn(drug, "hepatic_impairment");
  }
  InteractionSummary inter = evaluate_interactions(ctx, drug, "", std::nullopt);
  // Interaction doses are labelled per m²: give them in mg for this patient.
  for (auto& item : ctx.interactions)
    if (item.contains("dose_mg_per_m2") && d.bsa_m2)
      item["dose_mg"] = round_to(item["dose_mg_per_m2"].get<double>() * *d.bsa_m2, 2);
  if (status == Status::not_indicated) return;

  Level level{ind["dose_mg_per_m2"].get<double>(), {}};
  if (h.category == NciHepatic::mild || h.category == NciHepatic::moderate) {
    std::string key = h.category == NciHepatic::mild ? "mild" : "moderate";
    const json& r = ctx.rule(std::string(drug) + ".hepatic." + key);
    lower_to(level, "hepatic_" + key, r["dose_mg_per_m2"].get<double>(), Ctx::refs_of(r),
             r.value("text", ""));
    ctx.warn(drug, "hepatic_impairment");
  }
  for (const char* klass : {"moderate_cyp3a4_inhibitor", "weak_cyp3a4_inhibitor"}) {
    if (!inter.has(klass)) continue;
    const json& r = ctx.rule(interaction_rule_id(drug, klass, ""));
    lower_to(level, klass, r["dose_mg_per_m2"].get<double>(), Ctx::refs_of(r), r.value("text", ""));
  }

  RegimenSpec spec;
  spec.drug = drug;
  spec.form = ind["form"].get<std::string>();
  spec.frequency = ind["frequency"].get<std::string>();
  spec.dose_mg_per_m2 = level.mg_per_m2;
  spec.refs = Ctx::refs_of(ind);
  double bsa = d.bsa_m2.value_or(0);
  spec.dose_mg = level.mg_per_m2 * bsa;
  for (auto a : level.adjustments) {
    // Adjustments carry mg for this patient; the mg/m² levels go in the note.
    a.note = a.note + " (" + num_text(a.from_mg) + " → " + num_text(a.to_mg) + " mg/m²)";
    a.from_mg *= bsa;
    a.to_mg *= bsa;
    spec.adjustments.push_back(std::move(a));
  }
  if (h.ast_unknown)
    // The note names the mild-impairment dose, so its text lives in content.
    spec.notes.push_back(content::at("nab_sirolimus.hepatic.ast_unknown_note").get<std::string>());
  // AST above the ULN without a bilirubin, or a liver value without its ULN:
  // 100, 75, 56 mg/m² or avoid depends on what is missing, so no dose is
  // given (fyarro-pi-2.4).
  const json* pending = nullptr;
  const std::optional<HepaticPending> hold = hepatic_pending(ctx.req, h);
  if (hold) {
    pending = &ctx.rule(std::string(drug) + ".hepatic." + hold->rule_code);
    spec.notes.push_back(pending->value("text", ""));
    ctx.warn(drug, "hepatic_impairment");
  }
  ctx.regimen = regimen_json(ctx, spec);
  ctx.regimen["infusion_minutes"] = ind["infusion_minutes"];
  if (!d.bsa_m2 || pending) {
    // Without a BSA the mg dose cannot be given; never guessed.
    ctx.regimen["dose_mg"] = nullptr;
    ctx.regimen["units"] = ojson::array();
  }
  if (pending) {
    ctx.regimen["dose_mg_per_m2"] = nullptr;
    ctx.regimen["dose_pending"] = {{"reason", hold->reason},
                                   {"missing", ojson(hold->missing)},
                                   {"text", pending->value("text", "")},
                                   {"refs", Ctx::refs_of(*pending)},
                                   {"rule", std::string(drug) + ".hepatic." + hold->rule_code}};
  }

  auto current = ctx.req.num({"therapy", "current_dose_mg"});
  std::optional<double> dose =
      current ? current
              : (d.bsa_m2 && !pending ? std::optional<double>(spec.dose_mg) : std::nullopt);
  evaluate_toxicity(ctx, {drug, spec.form, dose, spec.frequency, d.bsa_m2});
  anemia(ctx, dose, spec.frequency);
  unlisted(ctx);
  apply_levels(ctx, dose, d.bsa_m2, spec.frequency);
  if (current && d.bsa_m2) {
    const json& red = content::at(std::string(drug) + ".dose_reduction");
    const json& lvl = content::at(std::string(drug) + ".current_level");
    double tol = lvl.contains("tolerance_fraction") && lvl["tolerance_fraction"].is_number()
                     ? lvl["tolerance_fraction"].get<double>()
                     : 0.0;
    const json& levels = levels_of(red);
    if (levels.is_array() && !levels.empty() && levels[0].is_number()) {
      double max_m2 = levels[0].get<double>();
      if (*current / *d.bsa_m2 > max_m2 * (1.0 + tol))
        flag_dose_above_label(ctx, drug,
                              {{"current_dose_mg", *current},
                               {"current_dose_mg_per_m2", round_to(*current / *d.bsa_m2, 2)},
                               {"labelled_max_dose_mg_per_m2", max_m2}});
    }
  }
  finish_toxicity(ctx, drug, ResumeCap::at_lowered_regimen);
  monitoring(ctx);
}

}  // namespace

void evaluate_nab_sirolimus(Ctx& ctx, const Derived& d) {
  if (ctx.req.indication() == "pecoma") return pecoma(ctx, d);
  evaluate_unlabelled(ctx, drug);
}

}  // namespace mtorcalc
