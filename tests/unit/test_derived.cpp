// Derived values: BSA formulas (equivalence with their published forms),
// Child-Pugh bands (both sides of every edge), corrected calcium, AML growth.
#include <doctest/doctest.h>

#include <cmath>

#include "derived.hpp"
#include "helpers.hpp"

using namespace test;
using mtorcalc::bsa_by_formula;
using mtorcalc::corrected_calcium_mg_dl;

TEST_CASE("Mosteller equals sqrt(height x weight / 3600) and its imperial form") {
  for (double w : {3.5, 20.0, 72.0, 150.0})
    for (double h : {50.0, 120.0, 162.0, 200.0}) {
      CHECK(*bsa_by_formula("mosteller", w, h) ==
            doctest::Approx(std::sqrt(h * w / 3600.0)).epsilon(1e-12));
      // Imperial: sqrt(in x lb / 3131); 1 in = 2.54 cm, 1 lb = 0.45359237 kg.
      double imperial = std::sqrt((h / 2.54) * (w / 0.45359237) / 3131.0);
      CHECK(*bsa_by_formula("mosteller", w, h) == doctest::Approx(imperial).epsilon(1e-3));
    }
}

TEST_CASE("DuBois, Haycock and Gehan-George match their published coefficients") {
  CHECK(*bsa_by_formula("dubois", 72, 162) ==
        doctest::Approx(0.007184 * std::pow(162, 0.725) * std::pow(72, 0.425)));
  CHECK(*bsa_by_formula("haycock", 72, 162) ==
        doctest::Approx(0.024265 * std::pow(162, 0.3964) * std::pow(72, 0.5378)));
  CHECK(*bsa_by_formula("gehan_george", 72, 162) ==
        doctest::Approx(0.0235 * std::pow(162, 0.42246) * std::pow(72, 0.51456)));
  CHECK_FALSE(bsa_by_formula("unknown", 72, 162).has_value());
}

TEST_CASE("BSA in the response: Mosteller by default, 2 decimals, given value wins") {
  json req = base("tsc_sega");
  req["patient"] = {{"weight_kg", 72}, {"height_cm", 162}};
  json r = eval(req);
  CHECK(r["derived"]["bsa_m2"] == doctest::Approx(1.8));
  CHECK(r["derived"]["bsa_formula"] == "mosteller");
  req["patient"]["bsa_formula"] = "dubois";
  CHECK(eval(req)["derived"]["bsa_formula"] == "dubois");
  req["patient"]["bsa_m2"] = 1.234;
  r = eval(req);
  CHECK(r["derived"]["bsa_m2"] == doctest::Approx(1.23));
  CHECK(r["derived"]["bsa_formula"] == "given");
}

TEST_CASE("BSA rounds half away from zero at the second decimal") {
  // 1.225 m² given (an exact .5 at the third decimal) rounds to 1.23.
  json req = base("tsc_sega");
  req["patient"] = {{"bsa_m2", 1.225}};
  CHECK(eval(req)["derived"]["bsa_m2"] == doctest::Approx(1.23));
  req["patient"] = {{"bsa_m2", 1.2249}};
  CHECK(eval(req)["derived"]["bsa_m2"] == doctest::Approx(1.22));
}

namespace {
json hepatic(double bili, double alb, double inr, const char* ascites, const char* enceph) {
  json req = base("rcc");
  req["patient"]["hepatic"] = {{"bilirubin_mg_dl", bili},
                               {"albumin_g_dl", alb},
                               {"inr", inr},
                               {"ascites", ascites},
                               {"encephalopathy", enceph}};
  return eval(req)["derived"]["child_pugh"];
}
int score(double bili, double alb, double inr, const char* a = "none", const char* e = "none") {
  return hepatic(bili, alb, inr, a, e)["score"].get<int>();
}
}  // namespace

TEST_CASE("Child-Pugh bilirubin bands: <2 one point, 2-3 two, >3 three") {
  CHECK(score(1.99, 4.0, 1.0) == 5);
  CHECK(score(2.0, 4.0, 1.0) == 6);
  CHECK(score(3.0, 4.0, 1.0) == 6);
  CHECK(score(3.01, 4.0, 1.0) == 7);
}

TEST_CASE("Child-Pugh albumin bands: >3.5 one point, 2.8-3.5 two, <2.8 three") {
  CHECK(score(1.0, 3.51, 1.0) == 5);
  CHECK(score(1.0, 3.5, 1.0) == 6);
  CHECK(score(1.0, 2.8, 1.0) == 6);
  CHECK(score(1.0, 2.79, 1.0) == 7);
}

TEST_CASE("Child-Pugh INR bands: <1.7 one point, 1.7-2.3 two, >2.3 three") {
  CHECK(score(1.0, 4.0, 1.69) == 5);
  CHECK(score(1.0, 4.0, 1.7) == 6);
  CHECK(score(1.0, 4.0, 2.3) == 6);
  CHECK(score(1.0, 4.0, 2.31) == 7);
}

TEST_CASE("Child-Pugh ascites and encephalopathy, and the class edges 6/7 and 9/10") {
  CHECK(score(1.0, 4.0, 1.0, "slight", "none") == 6);
  CHECK(score(1.0, 4.0, 1.0, "moderate", "grade_3_4") == 9);
  CHECK(hepatic(1.0, 4.0, 1.0, "slight", "none")["class"] == "A");       // 6
  CHECK(hepatic(2.0, 4.0, 1.0, "slight", "none")["class"] == "B");       // 7
  CHECK(hepatic(2.0, 3.0, 1.0, "slight", "grade_1_2")["class"] == "B");  // 9
  CHECK(hepatic(3.5, 3.0, 1.0, "slight", "grade_1_2")["class"] == "C");  // 10
  CHECK(score(3.5, 2.5, 2.5, "moderate", "grade_3_4") == 15);
}

TEST_CASE("Child-Pugh needs all five components, else the class given is used") {
  json req = base("rcc");
  req["patient"]["hepatic"] = {{"bilirubin_mg_dl", 1.0}, {"albumin_g_dl", 4.0}};
  CHECK_FALSE(eval(req)["derived"].contains("child_pugh"));
  req["patient"]["hepatic"] = {{"child_pugh_class", "B"}};
  json cp = eval(req)["derived"]["child_pugh"];
  CHECK(cp["class"] == "B");
  CHECK(cp["score"].is_null());
}

TEST_CASE("corrected calcium = Ca + 0.8 x (4.0 - albumin), and its SI form agrees") {
  CHECK(corrected_calcium_mg_dl(8.6, 3.1) == doctest::Approx(9.32));
  CHECK(corrected_calcium_mg_dl(9.0, 4.0) == doctest::Approx(9.0));
  CHECK(corrected_calcium_mg_dl(9.0, 4.5) == doctest::Approx(8.6));
  // SI: Ca(mmol/L) + 0.02 x (40 - albumin g/L); 1 mmol/L calcium = 4.008 mg/dL.
  double ca_mmol = 2.15, alb_g_l = 31;
  double si = ca_mmol + 0.02 * (40 - alb_g_l);
  CHECK(corrected_calcium_mg_dl(ca_mmol * 4.008, alb_g_l / 10) / 4.008 ==
        doctest::Approx(si).epsilon(0.002));
}

TEST_CASE("corrected calcium in the response, albumin from labs or the hepatic panel") {
  json req = base("rcc");
  req["patient"]["labs"] = {{"calcium_mg_dl", 8.6}, {"albumin_g_dl", 3.1}};
  CHECK(eval(req)["derived"]["corrected_calcium_mg_dl"] == doctest::Approx(9.32));
  req["patient"]["labs"] = {{"calcium_mg_dl", 8.6}};
  req["patient"]["hepatic"] = {{"albumin_g_dl", 3.1}};
  CHECK(eval(req)["derived"]["corrected_calcium_mg_dl"] == doctest::Approx(9.32));
}

TEST_CASE("AML growth per year from two measurements") {
  json req = base("tsc_renal_aml");
  req["condition"]["aml"] = {{"largest_diameter_cm", 4.0},
                             {"previous_largest_diameter_cm", 3.4},
                             {"months_between_measurements", 12}};
  CHECK(eval(req)["derived"]["aml_growth_cm_per_year"] == doctest::Approx(0.6));
  req["condition"]["aml"]["months_between_measurements"] = 6;
  CHECK(eval(req)["derived"]["aml_growth_cm_per_year"] == doctest::Approx(1.2));
  req["condition"]["aml"]["growth_cm_per_year"] = 0.3;  // given directly: wins
  CHECK(eval(req)["derived"]["aml_growth_cm_per_year"] == doctest::Approx(0.3));
}

TEST_CASE("CTCAE platelet grades on both sides of 25/50/75 thousand and the LLN") {
  auto grade = [](double plt, double lln = 0) {
    json req = base("rcc");
    req["patient"]["labs"] = {{"platelets_per_ul", plt}};
    if (lln > 0) req["patient"]["limits"] = {{"platelets_lln_per_ul", lln}};
    json r = eval(req);
    for (const auto& g : r["derived"]["ctcae"])
      if (g["term"] == "platelet_count_decreased") return g["grade"];
    return json();
  };
  CHECK(grade(24999) == 4);
  CHECK(grade(25000) == 3);
  CHECK(grade(49999) == 3);
  CHECK(grade(50000) == 2);
  CHECK(grade(74999) == 2);
  CHECK(grade(75000).is_null());  // grade 1 or 0 needs the local LLN
  CHECK(grade(75000, 150000) == 1);
  CHECK(grade(150000, 150000) == 0);
}

TEST_CASE("CTCAE ALT grades by multiples of the ULN") {
  auto grade = [](double alt) {
    json req = base("rcc");
    req["patient"]["labs"] = {{"alt_u_l", alt}};
    req["patient"]["limits"] = {{"alt_uln_u_l", 40}};
    json r = eval(req);
    for (const auto& g : r["derived"]["ctcae"])
      if (g["term"] == "alanine_aminotransferase_increased") return g["grade"].get<int>();
    return -1;
  };
  CHECK(grade(40) == 0);
  CHECK(grade(41) == 1);
  CHECK(grade(120) == 1);
  CHECK(grade(121) == 2);
  CHECK(grade(200) == 2);
  CHECK(grade(201) == 3);
  CHECK(grade(800) == 3);
  CHECK(grade(801) == 4);
}

TEST_CASE("CTCAE triglycerides: 150 is grade 1, 300/500/1000 edges") {
  auto grade = [](double tg) {
    json req = base("rcc");
    req["patient"]["labs"] = {{"triglycerides_mg_dl", tg}};
    json r = eval(req);
    for (const auto& g : r["derived"]["ctcae"])
      if (g["term"] == "hypertriglyceridemia") return g["grade"].get<int>();
    return -1;
  };
  CHECK(grade(149) == 0);
  CHECK(grade(150) == 1);
  CHECK(grade(300) == 1);
  CHECK(grade(301) == 2);
  CHECK(grade(500) == 2);
  CHECK(grade(501) == 3);
  CHECK(grade(1000) == 3);
  CHECK(grade(1001) == 4);
}
