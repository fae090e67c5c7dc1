// Shared dosing mechanisms: what one dosage form can make, the rounding rule,
// and the regimen object every drug family fills the same way.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eval.hpp"

namespace mtorcalc {

struct Unit {
  double strength_mg;
  int count;
};

/// The fewest units of the given strengths that add up to exactly dose_mg,
/// or nullopt when the strengths cannot make that dose.
[[nodiscard]] std::optional<std::vector<Unit>> units_for(const std::vector<double>& strengths_mg,
                                                         double dose_mg);

enum class Tie { down, up };

/// The achievable dose nearest to dose_mg with these strengths (at least the
/// lowest strength); an exact tie goes the way `tie` says.
[[nodiscard]] double nearest_achievable(const std::vector<double>& strengths_mg, double dose_mg,
                                        Tie tie);

/// The multiple of `step_mg` (a liquid's measuring step) nearest to dose_mg,
/// at least one step; an exact tie goes the way `tie` says. Nearness is
/// judged on the dose itself, as in nearest_achievable: 6.25 mg in 0.1 mg
/// steps is a tie, whatever floating point makes of 6.25 / 0.1.
[[nodiscard]] double nearest_increment(double dose_mg, double step_mg, Tie tie);

/// The largest dose the strengths can make that does not exceed dose_mg, or 0
/// when even the lowest strength is more than dose_mg. A dose within 1e-6 mg
/// of a makeable one counts as that dose (floating-point noise, not a
/// shortfall).
[[nodiscard]] double largest_achievable_at_most(const std::vector<double>& strengths_mg,
                                                double dose_mg);

/// The measuring step of a liquid form, "<drug>.forms.<form>.dose_increment_mg"
/// (nullopt when the form has none, as tablets).
[[nodiscard]] std::optional<double> increment_of(std::string_view drug, std::string_view form);

/// The strengths of "<drug>.forms.<form>".
[[nodiscard]] std::vector<double> strengths_of(std::string_view drug, std::string_view form);

/// The rounding rule of a drug ("<drug>.rounding"): tie direction.
[[nodiscard]] Tie tie_rule(std::string_view drug);

/// One dose adjustment, recorded in regimen.adjustments.
struct Adjustment {
  std::string code;
  double from_mg;
  double to_mg;
  ojson refs;
  std::string frequency;  // empty: unchanged
  std::string note;
  std::string rule = {};  // the content rule that made it
};

/// Builds the contract's regimen object for an oral or topical fixed form.
struct RegimenSpec {
  std::string drug;
  std::string form;
  double dose_mg = 0;
  std::optional<double> dose_mg_per_m2;
  std::optional<double> calculated_dose_mg;
  std::string frequency;
  std::vector<Adjustment> adjustments;
  std::optional<std::pair<double, double>> trough_target_ng_ml;
  std::optional<std::pair<double, double>> next_trough_check_days;
  ojson premedication = nullptr;
  ojson refs = ojson::array();
  std::vector<std::string> notes;
};
[[nodiscard]] ojson regimen_json(Ctx& ctx, const RegimenSpec& spec);

/// Units for the regimen: tablets from the form's strengths, vials for IV.
[[nodiscard]] ojson units_json(std::string_view drug, std::string_view form, double dose_mg);

}  // namespace mtorcalc
