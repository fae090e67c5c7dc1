#include "everolimus_dosing.hpp"

#include <algorithm>
#include <cmath>

namespace mtorcalc {

using namespace std::string_view_literals;

namespace {
constexpr double eps_mg = 1e-9;
}

FormDose dose_in_form(const std::vector<double>& strengths_mg, double daily_target_mg, Tie tie,
                      BelowLowest below) {
  if (strengths_mg.empty()) return {daily_target_mg, "once_daily"};
  const double lowest = *std::min_element(strengths_mg.begin(), strengths_mg.end());
  if (daily_target_mg >= lowest - eps_mg)
    return {nearest_achievable(strengths_mg, daily_target_mg, tie), "once_daily"};
  if (below == BelowLowest::every_other_day) return {lowest, "every_other_day"};
  // Starting dose below the lowest strength: the nearer of the two daily
  // amounts the lowest strength can give (lowest, or lowest/2 every other
  // day); an exact tie follows the content rounding rule.
  const double to_eod = std::fabs(daily_target_mg - lowest / 2.0);
  const double to_daily = std::fabs(lowest - daily_target_mg);
  if (to_eod + eps_mg < to_daily) return {lowest, "every_other_day"};
  if (to_daily + eps_mg < to_eod) return {lowest, "once_daily"};
  return {lowest, tie == Tie::down ? "every_other_day" : "once_daily"};
}

double daily_amount_mg(const FormDose& d) {
  return d.frequency == "every_other_day"sv ? d.dose_mg / 2.0 : d.dose_mg;
}

}  // namespace mtorcalc
