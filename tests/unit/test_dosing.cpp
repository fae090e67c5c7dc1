// Shared dosing arithmetic: what strengths can make, nearest achievable dose
// and its tie rule at exactly half a step.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "dosing.hpp"
#include "plan.hpp"
#include "writer.hpp"

using mtorcalc::largest_achievable_at_most;
using mtorcalc::nearest_achievable;
using mtorcalc::Tie;
using mtorcalc::units_for;

TEST_CASE("units: fewest tablets, exact doses only") {
  std::vector<double> tabs = {2.5, 5, 7.5, 10};
  auto u = units_for(tabs, 10);
  REQUIRE(u);
  CHECK(u->size() == 1);
  CHECK((*u)[0].strength_mg == 10);
  u = units_for(tabs, 17.5);
  REQUIRE(u);
  CHECK(u->size() == 2);  // 10 + 7.5
  CHECK_FALSE(units_for(tabs, 8.1).has_value());
  CHECK_FALSE(units_for(tabs, 0).has_value());
  std::vector<double> disperz = {2, 3, 5};
  u = units_for(disperz, 8);
  REQUIRE(u);
  CHECK(u->size() == 2);  // 5 + 3
  CHECK_FALSE(units_for(disperz, 1).has_value());
}

TEST_CASE("nearest achievable dose with tablets (steps of 2.5 mg)") {
  std::vector<double> tabs = {2.5, 5, 7.5, 10};
  CHECK(nearest_achievable(tabs, 8.1, Tie::down) == 7.5);
  CHECK(nearest_achievable(tabs, 8.74, Tie::down) == 7.5);
  CHECK(nearest_achievable(tabs, 8.75, Tie::down) == 7.5);  // exact tie goes down
  CHECK(nearest_achievable(tabs, 8.75, Tie::up) == 10);
  CHECK(nearest_achievable(tabs, 8.76, Tie::down) == 10);
  CHECK(nearest_achievable(tabs, 1.0, Tie::down) == 2.5);  // never below the lowest strength
}

TEST_CASE("nearest achievable dose with Disperz (2, 3, 5 mg: any whole mg from 2)") {
  std::vector<double> disperz = {2, 3, 5};
  CHECK(nearest_achievable(disperz, 8.1, Tie::down) == 8);
  CHECK(nearest_achievable(disperz, 7.5, Tie::down) == 7);  // exact tie goes down
  CHECK(nearest_achievable(disperz, 7.5, Tie::up) == 8);
  CHECK(nearest_achievable(disperz, 7.51, Tie::down) == 8);
  CHECK(nearest_achievable(disperz, 1.2, Tie::down) == 2);
}

TEST_CASE("nearness is judged on the calculated dose, not on its hundredths") {
  // 4.5 mg/m² × 1.89 m² = 8.505 mg (8.504999… in binary): nearer 9 than 8,
  // though rounded to hundredths it would be the tie 8.50.
  std::vector<double> disperz = {2, 3, 5};
  CHECK(nearest_achievable(disperz, 4.5 * 1.89, Tie::down) == 9);
  CHECK(nearest_achievable(disperz, 8.505, Tie::down) == 9);
  CHECK(nearest_achievable(disperz, 8.495, Tie::up) == 8);
  CHECK(nearest_achievable(disperz, 8.5, Tie::down) == 8);  // a true tie still goes down
  CHECK(nearest_achievable(disperz, 8.5, Tie::up) == 9);
  std::vector<double> tabs = {2.5, 5, 7.5, 10};
  CHECK(nearest_achievable(tabs, 8.7501, Tie::down) == 10);
  CHECK(nearest_achievable(tabs, 8.7499, Tie::up) == 7.5);
}

namespace {
// A plain reference for the engine's tables: fewest units to make each
// hundredth of a milligram up to `upto`, -1 when impossible.
std::vector<int> fewest_units(const std::vector<double>& strengths, long upto) {
  std::vector<int> best(static_cast<std::size_t>(upto + 1), -1);
  best[0] = 0;
  for (long i = 1; i <= upto; ++i)
    for (double s : strengths) {
      long c = std::lround(s * 100);
      if (c > i || best[static_cast<std::size_t>(i - c)] < 0) continue;
      int n = best[static_cast<std::size_t>(i - c)] + 1;
      if (best[static_cast<std::size_t>(i)] < 0 || n < best[static_cast<std::size_t>(i)])
        best[static_cast<std::size_t>(i)] = n;
    }
  return best;
}
}  // namespace

TEST_CASE("units and nearest dose agree with a plain search over every hundredth of a mg") {
  // The engine's tables count in the strengths' common step; this checks
  // every dose from 0.01 to 40 mg against a search in hundredths.
  const std::vector<std::vector<double>> sets = {{2.5, 5, 7.5, 10}, {2, 3, 5}, {0.5, 1, 2},
                                                 {1, 2.5},          {0.25},    {3, 7.5}};
  for (const auto& set : sets) {
    const long upto = 4000;
    const std::vector<int> best = fewest_units(set, upto + 1000);
    for (long c = 1; c <= upto; ++c) {
      const double dose = static_cast<double>(c) / 100.0;
      auto u = units_for(set, dose);
      REQUIRE(u.has_value() == (best[static_cast<std::size_t>(c)] >= 0));
      if (u) {
        double sum = 0;
        int count = 0;
        for (const auto& x : *u) {
          sum += x.strength_mg * x.count;
          count += x.count;
        }
        CHECK(std::lround(sum * 100) == c);
        CHECK(count == best[static_cast<std::size_t>(c)]);
      }
      // Nearest reachable dose, ties both ways.
      long below = -1, above = -1;
      for (long i = c; i >= 1 && below < 0; --i)
        if (best[static_cast<std::size_t>(i)] >= 0) below = i;
      for (long i = c; above < 0; ++i)
        if (best[static_cast<std::size_t>(i)] >= 0) above = i;
      for (Tie tie : {Tie::down, Tie::up}) {
        long want = below < 0               ? above
                    : c - below < above - c ? below
                    : above - c < c - below ? above
                    : tie == Tie::down      ? below
                                            : above;
        CHECK_MESSAGE(std::lround(nearest_achievable(set, dose, tie) * 100) == want,
                      "dose " << dose << " strengths " << set.size());
      }
    }
  }
}

TEST_CASE("largest achievable amount not exceeding a dose (sirolimus 0.5, 1, 2 mg tablets)") {
  std::vector<double> tabs = {0.5, 1, 2};
  CHECK(largest_achievable_at_most(tabs, 14.25) == 14);
  CHECK(largest_achievable_at_most(tabs, 14.49) == 14);
  CHECK(largest_achievable_at_most(tabs, 14.5) == 14.5);  // at the half milligram: exact
  CHECK(largest_achievable_at_most(tabs, 14.51) == 14.5);
  CHECK(largest_achievable_at_most(tabs, 14.99) == 14.5);  // down, never to the nearest
  CHECK(largest_achievable_at_most(tabs, 15) == 15);
  CHECK(largest_achievable_at_most(tabs, 0.49) == 0);  // below the lowest strength: none
  CHECK(largest_achievable_at_most(tabs, 0.5) == 0.5);
  CHECK(largest_achievable_at_most(tabs, 0) == 0);
  CHECK(largest_achievable_at_most(tabs, 0.1 * 145) == 14.5);  // 14.499999… is 14.5
  CHECK(largest_achievable_at_most({}, 3) == 0);
  std::vector<double> disperz = {2, 3, 5};
  CHECK(largest_achievable_at_most(disperz, 1.9) == 0);
  CHECK(largest_achievable_at_most(disperz, 2.9) == 2);
  CHECK(largest_achievable_at_most(disperz, 4.99) == 4);
}

TEST_CASE("nearest measuring step of a liquid (sirolimus oral solution, 0.1 mg)") {
  using mtorcalc::nearest_increment;
  // A tie at .5 of a step goes the way the drug's rounding rule says
  // (content sirolimus.rounding.tie: down), whatever 6.25 / 0.1 gives in
  // floating point; either side of the tie goes to the nearer step.
  CHECK(nearest_increment(6.25, 0.1, Tie::down) == doctest::Approx(6.2));
  CHECK(nearest_increment(6.25, 0.1, Tie::up) == doctest::Approx(6.3));
  CHECK(nearest_increment(20.0 / 3.2, 0.1, Tie::down) == doctest::Approx(6.2));
  CHECK(nearest_increment(6.2501, 0.1, Tie::down) == doctest::Approx(6.3));
  CHECK(nearest_increment(6.2499, 0.1, Tie::up) == doctest::Approx(6.2));
  CHECK(nearest_increment(0.35, 0.1, Tie::down) == doctest::Approx(0.3));
  CHECK(nearest_increment(0.35, 0.1, Tie::up) == doctest::Approx(0.4));
  // Exact multiples stay, however they were computed.
  CHECK(nearest_increment(0.1 * 3, 0.1, Tie::up) == doctest::Approx(0.3));
  CHECK(nearest_increment(12.5, 0.1, Tie::down) == doctest::Approx(12.5));
  // Never below one step.
  CHECK(nearest_increment(0.04, 0.1, Tie::down) == doctest::Approx(0.1));
  CHECK(nearest_increment(0.05, 0.1, Tie::down) == doctest::Approx(0.1));
  // Every hundredth of a milligram up to 20 mg: the result is a multiple of
  // the step, within half a step of the dose (or the one-step floor).
  for (int centi = 1; centi <= 2000; ++centi) {
    const double dose = centi / 100.0;
    const double got = nearest_increment(dose, 0.1, Tie::down);
    CHECK(std::fabs(got * 10 - std::round(got * 10)) < 1e-9);
    if (dose >= 0.1) CHECK(std::fabs(got - dose) <= 0.05 + 1e-9);
  }
}

TEST_CASE("a dose's units are the tablets that make it") {
  // 17.5 mg of everolimus is 10 + 7.5; 17.49 mg is made by no tablets.
  auto text = [](double dose_mg) {
    mtorcalc::ojson units = mtorcalc::units_json("everolimus", "tablet", dose_mg);
    std::vector<std::string> ids;
    mtorcalc::normalise(units, ids);
    return mtorcalc::dump_answer(units);
  };
  const std::string tablets =
      "[{\"strength_mg\":10,\"count\":1,\"unit\":\"tablet\"},"
      "{\"strength_mg\":7.5,\"count\":1,\"unit\":\"tablet\"}]";
  CHECK(text(17.5) == tablets);
  CHECK(text(17.49) == "[]");
  CHECK(text(17.5 + 1e-12) == tablets);
  CHECK(text(17.5 + 1e-6) == tablets);
}

TEST_CASE(
    "the start pipeline: fixed doses only lower, mg/m2 levels then the BSA, then daily rules") {
  using mtorcalc::StartRules;
  using mtorcalc::StartStep;
  StartRules fixed;
  fixed.dose_mg = 10;
  StartStep hepatic;
  hepatic.value = 2.5;
  hepatic.code = "hepatic_child_pugh_C";
  StartStep higher;
  higher.value = 5;  // a rule's dose above the dose so far never raises it
  higher.code = "moderate_cyp3a4_inhibitor";
  fixed.steps = {hepatic, higher};
  auto f = mtorcalc::compose_start(fixed);
  REQUIRE(f.dose_mg);
  CHECK(*f.dose_mg == 2.5);
  REQUIRE(f.adjustments.size() == 1);
  CHECK(f.adjustments[0].from_mg == 10);
  CHECK(f.adjustments[0].to_mg == 2.5);

  // SEGA 4.5 mg/m2, Child-Pugh C 2.5 mg/m2, BSA 1.1: 2.75 mg -> 2.5 mg tablets;
  // halved: below the lowest strength, so 2.5 mg every other day.
  StartRules bsa;
  bsa.dose_mg_per_m2 = 4.5;
  bsa.bsa_m2 = 1.1;
  bsa.strengths_mg = {2.5, 5, 7.5, 10};
  StartStep per_m2;
  per_m2.kind = StartStep::Kind::dose_mg_per_m2;
  per_m2.value = 2.5;
  StartStep half;
  half.kind = StartStep::Kind::daily_factor;
  half.value = 0.5;
  bsa.steps = {per_m2, half};
  auto b = mtorcalc::compose_start(bsa);
  REQUIRE(b.dose_mg);
  CHECK(*b.dose_mg == 2.5);
  CHECK(b.frequency == "every_other_day");
  REQUIRE(b.calculated_dose_mg);
  CHECK(*b.calculated_dose_mg == doctest::Approx(2.75));
  REQUIRE(b.adjustments.size() == 2);
  CHECK(b.adjustments[1].frequency == "every_other_day");

  // Without a BSA: no dose, the mg/m2 rule only as a note.
  bsa.bsa_m2.reset();
  auto none = mtorcalc::compose_start(bsa);
  CHECK_FALSE(none.dose_mg);
  CHECK(none.notes.size() == 1);
  CHECK(*none.dose_mg_per_m2 == 2.5);

  // An inducer doubles in one step of at most 5 mg: 4.5 mg/m2 x 1.6 = 7.2 ->
  // 7.5 mg, doubled 15 but capped at 12.5 mg.
  StartRules ind;
  ind.dose_mg_per_m2 = 4.5;
  ind.bsa_m2 = 1.6;
  ind.strengths_mg = {2.5, 5, 7.5, 10};
  StartStep twice;
  twice.kind = StartStep::Kind::daily_factor;
  twice.value = 2;
  twice.max_increase_mg = 5;
  ind.steps = {twice};
  auto i = mtorcalc::compose_start(ind);
  CHECK(*i.dose_mg == 12.5);
  CHECK(i.frequency == "once_daily");
}

TEST_CASE("the titration stage: proportional dose, caps, the form's doses") {
  mtorcalc::TitrationRules r;
  r.current_daily_mg = 5;
  r.frequency = "once_daily";
  r.target_ng_ml = 10;
  r.trough_ng_ml = 2;  // 25 mg raw, capped at +5 mg a step (Afinitor §2.8)
  r.max_increase_mg_per_step = 5;
  r.strengths_mg = {2.5, 5, 7.5, 10};
  auto up = mtorcalc::titration_dose(r);
  CHECK(up.raw_daily_mg == doctest::Approx(25));
  CHECK(up.capped);
  CHECK(up.dose_mg == 10);
  CHECK(up.frequency == "once_daily");
  r.trough_ng_ml = 40;  // 1.25 mg: below the lowest strength, every other day
  auto down = mtorcalc::titration_dose(r);
  CHECK_FALSE(down.capped);
  CHECK(down.dose_mg == 2.5);
  CHECK(down.frequency == "every_other_day");
  // A liquid in 0.1 mg steps: 2 mg x 10 / 3.2 = 6.25 mg, a tie, rounded down.
  mtorcalc::TitrationRules liquid;
  liquid.current_daily_mg = 2;
  liquid.frequency = "once_daily";
  liquid.target_ng_ml = 10;
  liquid.trough_ng_ml = 3.2;
  liquid.increment_mg = 0.1;
  liquid.max_daily_mg = 40;
  CHECK(mtorcalc::titration_dose(liquid).dose_mg == doctest::Approx(6.2));
  liquid.trough_ng_ml = 0.4;  // 50 mg a day: the 40 mg daily maximum
  auto capped = mtorcalc::titration_dose(liquid);
  CHECK(capped.capped);
  CHECK(capped.dose_mg == doctest::Approx(40));
}

TEST_CASE("the start pipeline: a factor on a fixed dose, made in the form") {
  mtorcalc::StartRules r;
  r.dose_mg = 2;
  r.strengths_mg = {0.5, 1, 2};
  mtorcalc::StartStep third;
  third.kind = mtorcalc::StartStep::Kind::dose_factor;
  third.value = 0.5;  // 1 mg: a tablet dose, no rounding
  r.steps = {third};
  auto exact = mtorcalc::compose_start(r);
  CHECK(*exact.dose_mg == 1);
  CHECK_FALSE(exact.rounded);
  r.steps[0].value = 0.66;  // 1.32 mg -> the nearest tablet dose, 1.5 mg
  auto tabs = mtorcalc::compose_start(r);
  CHECK(*tabs.dose_mg == 1.5);
  CHECK(tabs.rounded);
  r.strengths_mg.clear();
  r.increment_mg = 0.1;  // the oral solution: 1.3 mg
  CHECK(*mtorcalc::compose_start(r).dose_mg == doctest::Approx(1.3));
}

TEST_CASE("the start: mg/m² levels for an infusion (Fyarro §2.4), the lowest applies") {
  mtorcalc::StartRules r;
  r.dose_mg_per_m2 = 100;
  r.bsa_m2 = 1.8;
  r.levels_in_note = true;
  mtorcalc::StartStep hepatic;
  hepatic.kind = mtorcalc::StartStep::Kind::dose_mg_per_m2;
  hepatic.value = 56;
  hepatic.note = "moderate";
  mtorcalc::StartStep inhibitor = hepatic;
  inhibitor.value = 75;  // not lower than 56: a note, no adjustment
  inhibitor.note = "inhibitor";
  r.steps = {hepatic, inhibitor};
  auto start = mtorcalc::compose_start(r);
  CHECK(*start.dose_mg_per_m2 == 56);
  CHECK(*start.dose_mg == doctest::Approx(100.8));  // no strengths: not rounded
  CHECK(start.frequency.empty());                   // the labelled schedule stays
  REQUIRE(start.adjustments.size() == 1);
  CHECK(start.adjustments[0].note == "moderate (100 \xE2\x86\x92 56 mg/m\xC2\xB2)");
  CHECK(start.notes == std::vector<std::string>{"inhibitor"});
  r.bsa_m2.reset();  // no BSA: the level, no mg
  auto none = mtorcalc::compose_start(r);
  CHECK_FALSE(none.dose_mg);
  CHECK(none.adjustments.empty());
  CHECK(*none.dose_mg_per_m2 == 56);
}

TEST_CASE("the toxicity stage: a fraction in the form's strengths, or a step to a floor") {
  mtorcalc::ReductionRules half;
  half.current_dose_mg = 10;
  half.frequency = "once_daily";
  half.fraction = 0.5;
  half.strengths_mg = {2.5, 5, 7.5, 10};
  auto five = mtorcalc::reduction_dose(half);
  REQUIRE(five);
  CHECK(five->mg == 5);
  half.current_dose_mg = 2.5;  // 1.25 mg: the lowest strength every other day
  auto eod = mtorcalc::reduction_dose(half);
  REQUIRE(eod);
  CHECK(eod->frequency == "every_other_day");
  half.frequency = "every_other_day";  // already there: no lower labelled dose
  CHECK_FALSE(mtorcalc::reduction_dose(half));
  mtorcalc::ReductionRules step;
  step.current_dose_mg = 25;
  step.frequency = "weekly";
  step.step_mg = 5;
  step.floor_mg = 15;
  CHECK(mtorcalc::reduction_dose(step)->mg == 20);
  step.current_dose_mg = 15;  // at the floor
  CHECK_FALSE(mtorcalc::reduction_dose(step));
}

TEST_CASE("the toxicity stage: the next mg/m² level at the BSA (Fyarro §2.2 Table 1)") {
  mtorcalc::ReductionRules lv;
  lv.frequency = "days_1_and_8_q21d";
  lv.levels_mg_per_m2 = {100, 75, 56, 45};
  lv.level_tolerance_fraction = 0.05;
  lv.current_dose_mg = 180;                   // 100 mg/m² at 1.8 m²
  CHECK_FALSE(mtorcalc::reduction_dose(lv));  // no BSA: no level
  lv.bsa_m2 = 1.8;
  auto next = mtorcalc::reduction_dose(lv);
  REQUIRE(next);
  CHECK(next->mg == doctest::Approx(135));
  CHECK(*next->mg_per_m2 == 75);
  lv.bsa_m2 = 1.7;  // 56 mg/m² × 1.7 m² = 95.2 mg, given to two places
  lv.current_dose_mg = 127.5;
  CHECK(mtorcalc::reduction_dose(lv)->mg == doctest::Approx(95.2));
  lv.bsa_m2 = 2.0;
  lv.current_dose_mg = 130;  // 65 mg/m²: between two levels, the next below
  CHECK(*mtorcalc::reduction_dose(lv)->mg_per_m2 == 56);
  CHECK_FALSE(mtorcalc::read_dose_level(lv)->note.empty());
  lv.current_dose_mg = 210;  // 105 mg/m²: within 5 % of the top level, taken as it
  CHECK(*mtorcalc::reduction_dose(lv)->mg_per_m2 == 75);
  lv.current_dose_mg = 210.2;  // just above 105 mg/m²: above the label, no step down
  CHECK(mtorcalc::read_dose_level(lv)->above_label);
  CHECK_FALSE(mtorcalc::reduction_dose(lv));
  lv.current_dose_mg = 90;  // 45 mg/m²: no lower level
  CHECK_FALSE(mtorcalc::reduction_dose(lv));
}
