// Everolimus dose arithmetic in one dosage form: the nearest dose the form's
// strengths can make, and the every-other-day rule below the lowest strength
// (afinitor-pi-2.8, afinitor-pi-2.11). Pure functions, unit-tested.
#pragma once

#include <string>
#include <vector>

#include "dosing.hpp"

namespace mtorcalc {

struct FormDose {
  double dose_mg = 0;     // per administration
  std::string frequency;  // "once_daily" or "every_other_day"
};

enum class BelowLowest {
  every_other_day,  // label rule for reductions, interactions and titration
  nearest,          // starting dose: the nearer of lowest daily and lowest every other day
};

/// The dose to give for a target daily amount, in the strengths of one form.
[[nodiscard]] FormDose dose_in_form(const std::vector<double>& strengths_mg, double daily_target_mg,
                                    Tie tie, BelowLowest below = BelowLowest::every_other_day);

/// The average daily amount of a dose (every other day counts half).
[[nodiscard]] double daily_amount_mg(const FormDose& d);

}  // namespace mtorcalc
