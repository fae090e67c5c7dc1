// The plan: the one decision an answer leads with (contract "the plan",
// docs/plan.md). It is composed once, in one order for every drug. The start
// (labelled dose, hepatic class, interactions at the start, rounding) is
// composed here from the rules a drug module supplies (compose_start: the
// everolimus, sirolimus, temsirolimus and nab-sirolimus regimens take their
// dose from it;
// titration_dose is the trough stage's arithmetic, reduction_dose the
// toxicity stage's for fraction, step and mg/m² level reductions); the plan
// then adds the toxicity row, trough titration or the interaction the module
// found, bounded by the lowest ceiling any rule sets and rounded to what the
// form can make. The other sections are
// then brought into agreement with it: no dose anywhere above the ceiling,
// the titration's new dose the plan's dose when the question is titration,
// the acting toxicity row's resume dose the plan's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "derived.hpp"
#include "dosing.hpp"
#include "eval.hpp"

namespace mtorcalc {

// ---- the start of the composition: labelled dose, hepatic class,
// interactions at the start, rounding to the form ---------------------------
// A drug module supplies its rules as data (StartRules); compose_start is the
// one place that turns them into the starting dose and the adjustments the
// regimen shows.

/// One rule that moves the starting dose, in the composition's order.
struct StartStep {
  enum class Kind {
    dose_mg,         // a fixed dose that replaces a higher one (hepatic class, a combination)
    dose_mg_per_m2,  // a lower mg/m² level that replaces the labelled one
    daily_factor,    // the daily amount times a factor, made in the form's strengths
    dose_factor,     // a fixed dose times a factor, made in the form's doses
  };
  Kind kind = Kind::dose_mg;
  double value = 0;  // mg, mg/m², or the factor
  // daily_factor above 1: one step raises the daily amount by at most this.
  std::optional<double> max_increase_mg = std::nullopt;
  std::string code;  // regimen.adjustments[].code
  std::string rule;  // the content rule's id
  ojson refs = ojson::array();
  std::string note;  // the rule's text
};

/// What a drug module supplies for a start: the labelled dose (fixed, or per
/// m² with the BSA) and the rules that move it, in order.
struct StartRules {
  std::optional<double> dose_mg;         // a fixed labelled dose
  std::optional<double> dose_mg_per_m2;  // or a BSA-based one
  std::optional<double> bsa_m2;
  std::vector<double> strengths_mg;    // the form's strengths (BSA doses are made in them)
  std::optional<double> increment_mg;  // a liquid's measuring step; an infusion's mg/m² × BSA step
  Tie tie = Tie::down;
  std::vector<StartStep> steps;
  // An mg/m² adjustment's note names the levels ("(100 → 56 mg/m²)"): the
  // label's dose levels (Fyarro §2.2) are read in mg/m².
  bool levels_in_note = false;
};

/// The starting dose the rules compose to.
struct StartDose {
  std::optional<double> dose_mg;  // nullopt: a BSA dose without a BSA
  std::string frequency;          // "" keeps the labelled frequency
  std::optional<double> dose_mg_per_m2;
  std::optional<double> calculated_dose_mg;  // mg/m² × BSA before rounding
  std::vector<Adjustment> adjustments;
  std::vector<std::string> notes;  // a mg/m² rule that did not lower, or had no BSA to apply to
  bool rounded = false;            // a factor's dose was rounded to what the form makes
};
[[nodiscard]] StartDose compose_start(const StartRules& rules);
/// A content rule `r` (id `rule`) as a step: its text is the note.
[[nodiscard]] StartStep start_step(StartStep::Kind kind, double value, std::string code,
                                   const std::string& rule, const json& r);

// ---- the titration stage: a trough-guided new dose ----------------------------

/// What the titration stage needs: the dose now, the trough and its target,
/// the label's caps, and what the form can make.
struct TitrationRules {
  double current_daily_mg = 0;
  std::string frequency;  // of the current dose
  double target_ng_ml = 0;
  double trough_ng_ml = 0;
  std::optional<double> max_increase_mg_per_step;  // a daily increase per step (Afinitor §2.8)
  std::optional<double> max_daily_mg;              // the most on any day (Rapamune §2.1)
  std::vector<double> strengths_mg;                // tablets
  std::optional<double> increment_mg;              // a liquid's measuring step
  Tie tie = Tie::down;
};

struct TitrationDose {
  double raw_daily_mg = 0;  // current × target ÷ trough, before caps and rounding
  double dose_mg = 0;       // per administration, what the form makes
  std::string frequency;
  bool capped = false;
};

/// new daily dose = current × target ÷ trough, capped, in the form's doses:
/// below the lowest strength, the lowest every other day.
[[nodiscard]] TitrationDose titration_dose(const TitrationRules& rules);

// ---- the toxicity stage: the reduced dose a toxicity row resumes at ----------

/// A label's dose reduction: a fraction of the dose in the form's strengths
/// (below the lowest strength, the lowest every other day), a step down to
/// a floor, or the next of the label's mg/m² levels at the BSA.
struct ReductionRules {
  double current_dose_mg = 0;
  std::string frequency;
  std::optional<double> fraction;
  std::vector<double> strengths_mg;
  Tie tie = Tie::down;
  double step_mg = 0;
  double floor_mg = 0;
  std::vector<double> levels_mg_per_m2;  // highest (the labelled start) first
  std::optional<double> bsa_m2;
  double level_tolerance_fraction = 0;  // a dose this close to a level is that level
  std::optional<double> increment_mg;   // a level × BSA is given to this step (half up)
};
struct ReducedTo {
  double mg = 0;
  std::string frequency;
  std::optional<double> mg_per_m2;  // the level resumed at
};
/// The reduced dose, or nullopt when no lower labelled dose remains (for
/// levels: none below, no BSA, or a current dose above the label).
[[nodiscard]] std::optional<ReducedTo> reduction_dose(const ReductionRules& rules);

/// Whether comedications of an interacting class belong in the labelled start
/// the regimen shows: at a start, unless each was stopped (its washout, if
/// any, is the plan's to say); on therapy, only one taken since the start
/// (status `ongoing_at_start`) — one started or stopped now is the plan's
/// interaction, not the start's.
[[nodiscard]] bool applies_at_start(const Ctx& ctx, std::string_view klass);

/// Whether some comedication of an interacting class is still taken (its
/// status is not `stopped`): a stopped one draws no "avoid" warning.
[[nodiscard]] bool taken_now(const Ctx& ctx, std::string_view klass);

/// Where the current dose sits among the label's mg/m² levels at the BSA. A
/// dose within the tolerance of a level is that level; a dose between two
/// levels steps to the next level below it, never skipping one (fyarro-pi-2.2
/// Table 1). nullopt: no levels, or no positive BSA.
struct LevelReading {
  double dose_mg_per_m2 = 0;             // the current dose at the current BSA
  double top_mg_per_m2 = 0;              // the label's starting level
  bool above_label = false;              // above the starting level beyond the tolerance
  std::optional<double> next_mg_per_m2;  // the level to resume at; none: no lower level
  bool below_lowest = false;             // below the lowest level beyond the tolerance
  std::string note;                      // how the current dose was read, when not exact
};
[[nodiscard]] std::optional<LevelReading> read_dose_level(const ReductionRules& rules);

// ---- the current dose against the label --------------------------------------

/// The one decision on a current dose against the label (Afinitor §2.4, §2.12;
/// Torisel §2.1, §2.4; Fyarro §2.1, §2.2; Rapamune §2.1). A drug module flags
/// `above_label` (flag_dose_above_label: no resume dose is stepped down from
/// it); the plan composes nothing from an `implausible` one.
struct CurrentDoseCheck {
  bool above_label = false;         // above the labelled dose for this request
  ojson figures = ojson::object();  // the warning's figures when above_label
  bool implausible = false;         // above the highest dose the label names at all
  std::string plausibility_rule;    // "plausibility.current_dose_max.<drug>…"
  double limit = 0;                 // the plausibility limit, in its rule's unit
  double per_dose_factor = 1;       // that unit ÷ mg per dose (doses a day)
};
[[nodiscard]] CurrentDoseCheck check_current_dose(const Ctx& ctx, const std::string& drug,
                                                  const std::string& indication,
                                                  std::optional<double> bsa_m2);

/// Fills ctx.plan for `drug` and `indication` ("" when no drug applies) and
/// aligns ctx.regimen, ctx.titration, ctx.interactions and ctx.toxicity with it.
void compose_plan(Ctx& ctx, const std::string& drug, const std::string& indication,
                  const Derived& d);

}  // namespace mtorcalc
