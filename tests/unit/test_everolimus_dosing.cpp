// Everolimus dose arithmetic: rounding to one form's strengths at the exact
// .5 tie (content everolimus.rounding), every-other-day below the lowest
// strength (afinitor-pi-2.8, 2.9, 2.11) and the +5 mg titration cap.
#include <doctest/doctest.h>

#include "dosing.hpp"
#include "everolimus_dosing.hpp"
#include "helpers.hpp"

using namespace test;
using mtorcalc::BelowLowest;
using mtorcalc::dose_in_form;
using mtorcalc::FormDose;
using mtorcalc::Tie;

namespace {
const std::vector<double> tablets = {2.5, 5, 7.5, 10};
const std::vector<double> disperz = {2, 3, 5};
}  // namespace

TEST_CASE("everolimus forms and rounding rule come from content") {
  CHECK(mtorcalc::strengths_of("everolimus", "tablet") == tablets);
  CHECK(mtorcalc::strengths_of("everolimus", "tablet_for_oral_suspension") == disperz);
  CHECK(mtorcalc::tie_rule("everolimus") == Tie::down);
}

TEST_CASE("tablets: exact ties go down, just above goes up") {
  CHECK(dose_in_form(tablets, 3.75, Tie::down).dose_mg == doctest::Approx(2.5));
  CHECK(dose_in_form(tablets, 3.76, Tie::down).dose_mg == doctest::Approx(5));
  CHECK(dose_in_form(tablets, 11.25, Tie::down).dose_mg == doctest::Approx(10));
  CHECK(dose_in_form(tablets, 11.26, Tie::down).dose_mg == doctest::Approx(12.5));
  CHECK(dose_in_form(tablets, 3.75, Tie::up).dose_mg == doctest::Approx(5));
  CHECK(dose_in_form(tablets, 8.1, Tie::down).dose_mg == doctest::Approx(7.5));
}

TEST_CASE("Disperz: 2, 3 and 5 mg make every whole mg from 2; ties at .5 go down") {
  CHECK(dose_in_form(disperz, 4.5, Tie::down).dose_mg == doctest::Approx(4));
  CHECK(dose_in_form(disperz, 4.51, Tie::down).dose_mg == doctest::Approx(5));
  CHECK(dose_in_form(disperz, 2.5, Tie::down).dose_mg == doctest::Approx(2));
  CHECK(dose_in_form(disperz, 2.49, Tie::down).dose_mg == doctest::Approx(2));
  CHECK(dose_in_form(disperz, 8.1, Tie::down).dose_mg == doctest::Approx(8));
  CHECK(dose_in_form(disperz, 4.5, Tie::down).frequency == "once_daily");
}

TEST_CASE("below the lowest strength: every other day (label rule)") {
  FormDose t = dose_in_form(tablets, 1.25, Tie::down);
  CHECK(t.dose_mg == doctest::Approx(2.5));
  CHECK(t.frequency == "every_other_day");
  FormDose d = dose_in_form(disperz, 1.5, Tie::down);
  CHECK(d.dose_mg == doctest::Approx(2));
  CHECK(d.frequency == "every_other_day");
  CHECK(mtorcalc::daily_amount_mg(d) == doctest::Approx(1));
  // At the lowest strength itself it stays daily.
  CHECK(dose_in_form(tablets, 2.5, Tie::down).frequency == "once_daily");
}

TEST_CASE("starting dose below the lowest strength: the nearer daily amount") {
  CHECK(dose_in_form(tablets, 2.0, Tie::down, BelowLowest::nearest).frequency == "once_daily");
  CHECK(dose_in_form(tablets, 1.5, Tie::down, BelowLowest::nearest).frequency == "every_other_day");
  // 1.875 is exactly between 1.25 (EOD) and 2.5 (daily): the tie goes down.
  CHECK(dose_in_form(tablets, 1.875, Tie::down, BelowLowest::nearest).frequency ==
        "every_other_day");
  CHECK(dose_in_form(tablets, 1.875, Tie::up, BelowLowest::nearest).frequency == "once_daily");
}

namespace {
json sega_on(double dose, double trough, double target, const std::string& form = "tablet",
             const std::string& freq = "once_daily") {
  json r = base("tsc_sega");
  r["patient"] = {{"age_years", 10}, {"bsa_m2", 1.0}, {"tsc_definite", true}};
  r["condition"] = {{"sega",
                     {{"needs_intervention", true},
                      {"curatively_resectable", false},
                      {"acute_symptoms", false}}}};
  r["therapy"] = {{"current_dose_mg", dose},
                  {"frequency", freq},
                  {"form", form},
                  {"trough_ng_ml", trough},
                  {"target_trough_ng_ml", target},
                  {"days_on_current_dose", 14}};
  return r;
}
}  // namespace

TEST_CASE("titration: proportional, capped at +5 mg per step, EOD below the lowest strength") {
  json up = eval(sega_on(2.5, 3, 10));
  CHECK(up["titration"]["capped"] == true);
  CHECK(up["titration"]["new_dose_mg"].get<double>() == doctest::Approx(7.5));
  json exact = eval(sega_on(5, 5, 10));
  CHECK(exact["titration"]["capped"] == false);
  CHECK(exact["titration"]["new_dose_mg"].get<double>() == doctest::Approx(10));
  json down = eval(sega_on(2.5, 15, 5));
  CHECK(down["titration"]["new_dose_mg"].get<double>() == doctest::Approx(2.5));
  CHECK(down["titration"]["new_frequency"] == "every_other_day");
  json dz = eval(sega_on(4, 12, 10, "tablet_for_oral_suspension"));
  CHECK(dz["titration"]["new_dose_mg"].get<double>() == doctest::Approx(3));
  json eod = eval(sega_on(2.5, 2.5, 10, "tablet", "every_other_day"));
  CHECK(eod["titration"]["new_dose_mg"].get<double>() == doctest::Approx(5));
}

TEST_CASE("starting doses: SEGA 4.5 mg/m2 and seizures 5 mg/m2 in their own forms") {
  json s = eval(sega_on(5, 8, 10));
  CHECK(s["regimen"]["dose_mg"].get<double>() == doctest::Approx(5));  // 4.5 mg in tablets
  json z = base("tsc_seizures");
  z["patient"] = {{"age_years", 8}, {"bsa_m2", 0.9}, {"tsc_definite", true}};
  z["condition"] = {{"seizures", {{"partial_onset", true}}}};
  json zr = eval(z);
  CHECK(zr["regimen"]["form"] == "tablet_for_oral_suspension");
  CHECK(zr["regimen"]["dose_mg"].get<double>() == doctest::Approx(4));  // 4.5 mg: tie goes down
}
