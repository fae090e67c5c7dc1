// Sirolimus arithmetic through the engine: proportional titration, the
// loading dose 3 × (new − current), the 40 mg/day cap and its 2-day split,
// the hepatic maintenance factors, and the topical gel's daily maxima.
#include <doctest/doctest.h>

#include "helpers.hpp"

using namespace test;

namespace {
json lam_titration(double current, double trough, double days = 14) {
  json r = base("lam");
  r["condition"] = {{"lam", {{"fev1_percent_predicted", 60}}}};
  // In-range troughs move only to a clinician's target: every call gives 10.
  r["therapy"] = {{"current_dose_mg", current}, {"frequency", "once_daily"},
                  {"form", "tablet"},           {"trough_ng_ml", trough},
                  {"target_trough_ng_ml", 10},  {"days_on_current_dose", days}};
  return eval(r);
}
json lam_hepatic(const std::string& cls) {
  json r = base("lam");
  r["condition"] = {{"lam", {{"fev1_percent_predicted", 60}}}};
  r["patient"] = {{"hepatic", {{"child_pugh_class", cls}}}};
  return eval(r);
}
}  // namespace

TEST_CASE("sirolimus proportional titration and loading dose (Rapamune PI §2.1)") {
  json r = lam_titration(2, 4);
  CHECK(r["titration"]["new_dose_mg"] == 5);
  CHECK(r["titration"]["loading_dose_option"]["loading_dose_mg"] == 9);  // 3 × (5 − 2)
  CHECK(r["titration"]["loading_dose_option"]["total_mg_per_day"] == 14);
  CHECK(r["titration"]["loading_dose_option"]["days"] == 1);

  r = lam_titration(3, 6);  // 3 × 10 / 6 = 5; loading 6
  CHECK(r["titration"]["new_dose_mg"] == 5);
  CHECK(r["titration"]["loading_dose_option"]["loading_dose_mg"] == 6);
}

TEST_CASE("loading dose: the 40 mg/day cap, both sides") {
  // new 10, loading 3 × (10 − 4) = 18: 28 mg that day, no split
  json r = lam_titration(4, 4);
  CHECK(r["titration"]["new_dose_mg"] == 10);
  CHECK(r["titration"]["loading_dose_option"]["split"] == false);
  // new 14 (7 × 10 / 5), loading 21: 35 mg, no split
  r = lam_titration(7, 5);
  CHECK(r["titration"]["new_dose_mg"] == 14);
  CHECK(r["titration"]["loading_dose_option"]["total_mg_per_day"] == 35);
  CHECK(r["titration"]["loading_dose_option"]["split"] == false);
  // new 20 (10 × 10 / 5), loading 30: 50 mg > 40, split over 2 days (15 + 20 = 35)
  r = lam_titration(10, 5);
  CHECK(r["titration"]["new_dose_mg"] == 20);
  CHECK(r["titration"]["loading_dose_option"]["loading_dose_mg"] == 30);
  CHECK(r["titration"]["loading_dose_option"]["split"] == true);
  CHECK(r["titration"]["loading_dose_option"]["days"] == 2);
  CHECK(r["titration"]["loading_dose_option"]["loading_mg_per_day"] == 15);
  CHECK(r["titration"]["loading_dose_option"]["total_mg_per_day"] == 35);
}

TEST_CASE("loading dose: the amount tablets can make, rounded down (Rapamune PI §2.1, §3)") {
  // 3 mg, trough 2.4: new 12.5; loading 28.5 over 2 days = 14.25 a day → 14
  json l = lam_titration(3, 2.4)["titration"]["loading_dose_option"];
  CHECK(l["loading_mg_per_day"] == 14.25);
  CHECK(l["achievable_loading_mg_per_day"] == 14);
  CHECK(l["achievable_total_mg_per_day"] == 26.5);
  CHECK(l["rounded_down"] == true);
  CHECK(l["rounding_rule"] == "sirolimus.loading_dose.achievable.tablet");
  // 2 mg, trough 1.6: new 12.5; 15.75 a day → 15.5 (the nearest would be 16)
  l = lam_titration(2, 1.6)["titration"]["loading_dose_option"];
  CHECK(l["achievable_loading_mg_per_day"] == 15.5);
  // 2 mg, trough 4: new 5; loading 9 in one day, exact
  l = lam_titration(2, 4)["titration"]["loading_dose_option"];
  CHECK(l["achievable_loading_mg_per_day"] == 9);
  CHECK(l["rounded_down"] == false);
  CHECK_FALSE(l.contains("rounding_rule"));
  // Every day within the formula and within 40 mg, over a sweep of troughs.
  for (double current : {0.5, 1.0, 2.0, 3.0, 5.0, 10.5}) {
    for (double trough = 1; trough <= 9.5; trough += 0.1) {
      json t = lam_titration(current, trough)["titration"];
      if (!t.contains("loading_dose_option")) continue;
      json o = t["loading_dose_option"];
      if (o["possible"] != true) continue;
      CHECK(o["achievable_loading_mg_per_day"].get<double>() <=
            o["loading_mg_per_day"].get<double>() + 1e-9);
      CHECK(o["achievable_total_mg_per_day"].get<double>() <= 40 + 1e-9);
    }
  }
}

TEST_CASE("maintenance capped at 40 mg/day") {
  json r = lam_titration(10, 2);  // raw 50
  CHECK(r["titration"]["raw_new_dose_mg"] == 50);
  CHECK(r["titration"]["new_dose_mg"] == 40);
  CHECK(r["titration"]["capped"] == true);
}

TEST_CASE("no loading dose when the dose falls or stays") {
  CHECK_FALSE(lam_titration(4, 20)["titration"].contains("loading_dose_option"));
  CHECK_FALSE(lam_titration(2, 10)["titration"].contains("loading_dose_option"));
}

TEST_CASE("lowest tablet with the trough above the range: its own note, both sides") {
  // Rapamune PI §2.4 / §3: 0.5 mg once daily is the lowest tablet dose; the
  // range is 5–15 ng/mL and a trough equal to 15 is in range.
  const std::string above = "sirolimus.titration_floor.trough_above_range_on_lowest";
  CHECK(lam_titration(0.5, 15.01)["titration"]["floor_rule"] == above);
  CHECK(lam_titration(0.5, 15)["titration"]["floor_rule"] == "sirolimus.titration_floor");
  CHECK(lam_titration(0.5, 12)["titration"]["floor_rule"] == "sirolimus.titration_floor");
  // Not yet on the lowest tablet: the step to 0.5 mg is still possible.
  CHECK(lam_titration(1, 40)["titration"]["floor_rule"] == "sirolimus.titration_floor");
  CHECK(lam_titration(0.5, 20)["titration"]["new_dose_mg"] == 0.5);
}

TEST_CASE("hepatic maintenance: about one third lower in A/B, one half in C (Rapamune PI §2.5)") {
  CHECK(lam_hepatic("A")["regimen"]["dose_mg"] == 1.5);  // 2 × 2/3 = 1.33 → nearest tablet dose 1.5
  CHECK(lam_hepatic("B")["regimen"]["dose_mg"] == 1.5);
  CHECK(lam_hepatic("C")["regimen"]["dose_mg"] == 1);  // 2 × 1/2
}

TEST_CASE("topical gel daily maximum by age (Hyftor PI §2)") {
  auto gel = [](double age) {
    json r = base("tsc_facial_angiofibroma");
    r["patient"] = {{"age_years", age}};
    return eval(r);
  };
  CHECK(gel(5.99)["regimen"].is_null());
  CHECK(gel(6)["regimen"]["max_daily_gel_mg"] == 600);
  CHECK(gel(11.99)["regimen"]["max_daily_gel_mg"] == 600);
  CHECK(gel(12)["regimen"]["max_daily_gel_mg"] == 800);
  CHECK(gel(12)["regimen"]["max_gel_mg_per_application"] == 400);
  CHECK(gel(12)["regimen"]["dose_mg"] == doctest::Approx(0.8));  // 400 mg × 0.2%
  CHECK(gel(6)["regimen"]["dose_mg"] == doctest::Approx(0.6));
}

TEST_CASE("nab-sirolimus mg/m² levels and whole vials (Fyarro PI §2.1–2.2)") {
  auto pecoma = [](double bsa, json therapy, json events) {
    json r = base("pecoma");
    r["patient"] = {{"age_years", 50}, {"bsa_m2", bsa}};
    r["condition"] = {{"pecoma", {{"malignant", true}, {"advanced", true}}}};
    if (!therapy.is_null()) r["therapy"] = therapy;
    if (!events.is_null()) r["adverse_events"] = events;
    return eval(r);
  };
  json r = pecoma(1.5, nullptr, nullptr);
  CHECK(r["regimen"]["dose_mg"] == 150);
  CHECK(r["regimen"]["units"][0]["count"] == 2);
  r = pecoma(1.0, nullptr, nullptr);
  CHECK(r["regimen"]["units"][0]["count"] == 1);  // 100 mg exactly: one vial
  json recurrent = json::array({{{"term", "stomatitis"}, {"grade", 3}, {"recurrent", true}}});
  // 100 → 75 → 56 → 45 mg/m² at BSA 2.0
  CHECK(pecoma(2.0, {{"current_dose_mg", 200}}, recurrent)["toxicity"][0]["resume_dose_mg"] == 150);
  CHECK(pecoma(2.0, {{"current_dose_mg", 150}}, recurrent)["toxicity"][0]["resume_dose_mg"] == 112);
  CHECK(pecoma(2.0, {{"current_dose_mg", 112}}, recurrent)["toxicity"][0]["resume_dose_mg"] == 90);
  CHECK(
      pecoma(2.0, {{"current_dose_mg", 90}}, recurrent)["toxicity"][0]["resume_dose_mg"].is_null());
}

TEST_CASE("nab-sirolimus reads the current dose as a label level once (Fyarro PI §2.2)") {
  auto thrombocytopenia = [](json patient, double current_mg) {
    json r = base("pecoma");
    patient["age_years"] = 50;
    r["patient"] = patient;
    r["condition"] = {{"pecoma", {{"malignant", true}, {"advanced", true}}}};
    r["therapy"] = {{"current_dose_mg", current_mg}};
    r["adverse_events"] = json::array({{{"term", "thrombocytopenia"}, {"grade", 3}}});
    return eval(r);
  };
  const json bsa2 = {{"bsa_m2", 2.0}};
  // 95 mg = 47.5 mg/m²: between 56 and 45, so 45 mg/m², worked from the
  // current dose like every other resume dose.
  json t = thrombocytopenia(bsa2, 95)["toxicity"][0];
  CHECK(t["resume_dose_mg"] == 90);
  CHECK(t["resume_dose_mg_per_m2"] == 45);
  CHECK(t["dose_basis"] == "therapy");
  CHECK(t["level_note"].get<std::string>().find("between the 56 and 45") != std::string::npos);
  // 146 mg = 73 mg/m²: within the tolerance of 75, so one level down is 56.
  t = thrombocytopenia(bsa2, 146)["toxicity"][0];
  CHECK(t["resume_dose_mg"] == 112);
  CHECK(t["resume_dose_mg_per_m2"] == 56);
  CHECK(t["level_note"].get<std::string>().find("within") != std::string::npos);
  // 90 mg = 45 mg/m², the lowest level: the label stops the drug.
  t = thrombocytopenia(bsa2, 90)["toxicity"][0];
  CHECK(t["resume_dose_mg"].is_null());
  CHECK(t["action"] == "discontinue");
  // 80 mg = 40 mg/m², below the lowest level: no dose and no dose basis.
  t = thrombocytopenia(bsa2, 80)["toxicity"][0];
  CHECK(t["resume_dose_mg"].is_null());
  CHECK(t.contains("resume_note"));
  CHECK_FALSE(t.contains("dose_basis"));
  // 212 mg = 106 mg/m², above the label: nothing is stepped down from it.
  json r = thrombocytopenia(bsa2, 212);
  CHECK(r["toxicity"][0]["resume_dose_mg"].is_null());
  CHECK(r["toxicity"][0]["dose_basis"] == "therapy_above_label");
  CHECK(has_code(r["warnings"], "current_dose_above_label"));
  // No BSA: the level cannot be read, and its inputs are asked for.
  t = thrombocytopenia(json::object(), 150)["toxicity"][0];
  CHECK(t["resume_dose_mg"].is_null());
  CHECK(t["missing"] == json::array({"/patient/weight_kg", "/patient/height_cm"}));
}
