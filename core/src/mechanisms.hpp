// Mechanisms shared by every drug family:
// comedication interactions, the adverse-reaction tables, trough titration
// and the everyday warnings. Each reads the drug's own rules from content/:
//
//   content/interactions.json  "drugs.<name>": {classes:[...], aliases:[...], refs}
//   <drug>.interactions.<class>[.<dosing_group>]: {action, dose_mg | dose_factor, text, refs}
//   <drug>.adverse_reactions.<term>: [{grades:[..], recurrent: true|false (absent: any),
//                                      action, resume, until, supportive, refs}]
//   <drug>.dose_reduction: {method: "fraction"|"step"|"levels", ...}
//   <drug>.current_level: {tolerance_fraction, no_bsa_text, below_lowest_text, refs}
//                         (method "levels": how a current dose is read as a level)
//   <drug>.tdm: {target_range_ng_ml, max_increase_mg_per_step?, recheck_days,
//                steady_state_min_days, max_daily_dose_mg?, refs}
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "derived.hpp"
#include "eval.hpp"
#include "plan.hpp"

namespace mtorcalc {

// ---- interactions ------------------------------------------------------------

struct InteractionSummary {
  std::vector<std::string> classes;  // every class found, once each
  [[nodiscard]] bool has(std::string_view c) const {
    for (const auto& x : classes)
      if (x == c) return true;
    return false;
  }
};

/// Looks up every comedication, fills ctx.interactions (one entry per class
/// a drug belongs to) and ctx.interactions_unrecognized, and adds the class
/// warnings ("<drug>.interactions.<class>.warning"). `dosing_group` selects a
/// group-specific action when content has one (e.g. "fixed" vs "tdm").
/// An entry's dose_mg is the rule's fixed dose, if any; the dose to give
/// with it is the plan's composition's (plan.cpp).
InteractionSummary evaluate_interactions(Ctx& ctx, std::string_view drug,
                                         std::string_view dosing_group);

/// The name under which content/interactions.json knows a comedication
/// (aliases resolved, case and spacing normalised); the normalised name
/// itself when content does not list it.
[[nodiscard]] std::string canonical_comedication(std::string_view name);

/// The action rule for a class, group-specific first ("<drug>.interactions.<class>.<group>").
[[nodiscard]] std::string interaction_rule_id(std::string_view drug, std::string_view klass,
                                              std::string_view dosing_group);

// ---- dose reduction ------------------------------------------------------------

/// The composition's level rules (plan.hpp read_dose_level, reduction_dose)
/// for `drug`'s content: "<drug>.dose_reduction" levels_mg_per_m2 and
/// "<drug>.current_level" tolerance_fraction.
[[nodiscard]] ReductionRules level_rules(std::string_view drug, double dose_mg,
                                         std::optional<double> bsa_m2);

/// A reduced dose per "<drug>.dose_reduction". For "fraction" the result is
/// rounded to the strengths of `form` and switches to every other day below
/// the lowest strength; "step" subtracts step_mg down to floor_mg; "levels"
/// reads the current dose as a label level (read_dose_level) and moves one
/// level down. No dose: resume_note says why (no lower dose left, no BSA,
/// below the lowest level), or the current dose is above the label.
struct ReducedDose {
  std::optional<double> dose_mg;
  std::string frequency;
  std::optional<double> dose_mg_per_m2;
  std::string note;
  std::string resume_note;           // why no dose is given
  bool per_m2 = false;               // method "levels": the dose was read in mg/m²
  std::string level_note;            // "levels": how the current dose was read, when not exact
  std::vector<std::string> missing;  // "levels": the inputs of the BSA, when it is missing
  bool above_label = false;          // "levels": for flag_dose_above_label to answer
};
[[nodiscard]] ReducedDose reduced_dose(Ctx& ctx, std::string_view drug, std::string_view form,
                                       double current_dose_mg, std::string_view current_frequency,
                                       std::optional<double> bsa_m2);

// ---- adverse reactions -------------------------------------------------------

/// How many doses a frequency gives per day on average (every other day: 0.5).
[[nodiscard]] double daily_factor(std::string_view frequency);

/// Applies "<drug>.adverse_reactions" to every adverse event in the request
/// and to CTCAE grades derived from labs (ctx.derived.ctcae) for terms the
/// request did not report itself. Fills ctx.toxicity.
struct ToxicityInput {
  std::string drug;
  std::string form;
  std::optional<double> current_dose_mg;  // therapy.current_dose_mg, else the regimen's dose
  std::string frequency;
  std::optional<double> bsa_m2;
};
void evaluate_toxicity(Ctx& ctx, const ToxicityInput& in);

/// Last step of a drug's toxicity answers, once they are final: marks the
/// label's stop where no lower dose remains. The plan's ceiling then bounds
/// every resume dose (compose_plan).
void finish_toxicity(Ctx& ctx, std::string_view drug);

/// A current dose above the label's maximum (check_current_dose, plan.hpp):
/// a serious warning located at /therapy/current_dose_mg
/// ("<drug>.warnings.current_dose_above_label", with the check's figures such
/// as the labelled maximum), and no resume dose is stepped down from it.
/// Call after the drug's toxicity answers are made.
void flag_dose_above_label(Ctx& ctx, std::string_view drug, const CurrentDoseCheck& check);

// ---- trough titration --------------------------------------------------------

/// Proportional titration from therapy.trough_ng_ml per "<drug>.tdm":
/// new = current × target / measured, the increase capped per step, rounded
/// to the form's strengths, every other day below the lowest strength.
/// Fills ctx.titration (null without a trough) and the steady-state warning.
void evaluate_titration(Ctx& ctx, std::string_view drug, std::string_view form);

// ---- everyday warnings ----------------------------------------------------------

/// Age, pregnancy, lactation, reproductive potential and the like: adds the
/// drug's warnings whose conditions hold ("<drug>.warnings.<code>"; the code
/// list in content/common.json "patient_warnings").
void evaluate_patient_warnings(Ctx& ctx, std::string_view drug);

}  // namespace mtorcalc
