// Shared dosing arithmetic: what strengths can make, nearest achievable dose
// and its tie rule at exactly half a step.
#include <doctest/doctest.h>

#include "dosing.hpp"

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
