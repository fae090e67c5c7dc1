// Temsirolimus arithmetic: the 5 mg/week step with its 15 mg floor, the hepatic
// categories by bilirubin and AST multiples of the ULN, and the interaction doses.
#include <doctest/doctest.h>

#include "helpers.hpp"

using namespace test;

namespace {
json tem(json patient, json therapy = nullptr, json events = nullptr, json comeds = nullptr) {
  json r = base("rcc");
  r["drug"] = "temsirolimus";
  patient["age_years"] = 60;
  r["patient"] = patient;
  r["condition"] = {
      {"rcc",
       {{"advanced", true}, {"histology", "clear_cell"}, {"prior_therapies", json::array()}}}};
  if (!therapy.is_null()) r["therapy"] = therapy;
  if (!events.is_null()) r["adverse_events"] = events;
  if (!comeds.is_null()) r["comedications"] = comeds;
  return eval(r);
}
json hep(double bili, double uln, double ast = 20, double ast_uln = 40) {
  return {{"labs", {{"bilirubin_mg_dl", bili}, {"ast_u_l", ast}}},
          {"limits", {{"bilirubin_uln_mg_dl", uln}, {"ast_uln_u_l", ast_uln}}}};
}
}  // namespace

TEST_CASE("restart 5 mg/week lower, never below 15 mg (Torisel PI §2.3)") {
  json g3 = json::array({{{"term", "other_non_hematologic"}, {"grade", 3}}});
  CHECK(tem(json::object(), nullptr, g3)["toxicity"][0]["resume_dose_mg"] == 20);
  CHECK(tem(json::object(), {{"current_dose_mg", 20}}, g3)["toxicity"][0]["resume_dose_mg"] == 15);
  CHECK(tem(json::object(), {{"current_dose_mg", 17.5}}, g3)["toxicity"][0]["resume_dose_mg"] ==
        15);  // floor, not 12.5
  CHECK(tem(json::object(), {{"current_dose_mg", 15}}, g3)["toxicity"][0]["resume_dose_mg"]
            .is_null());
}

TEST_CASE("hepatic categories against the ULN (Torisel PI §2.4, §4)") {
  CHECK(tem(hep(1.0, 1.0))["regimen"]["dose_mg"] == 25);
  CHECK(tem(hep(1.01, 1.0))["regimen"]["dose_mg"] == 15);
  CHECK(tem(hep(1.5, 1.0))["regimen"]["dose_mg"] == 15);
  CHECK(tem(hep(1.8, 1.2))["regimen"]["dose_mg"] == 15);  // exactly 1.5 × despite binary rounding
  CHECK(tem(hep(1.51, 1.0))["eligibility"]["status"] == "contraindicated");
  CHECK(tem(hep(0.5, 1.0, 41, 40))["regimen"]["dose_mg"] == 15);  // AST > ULN, bilirubin normal
  CHECK(tem(hep(0.5, 1.0, 40, 40))["regimen"]["dose_mg"] == 25);
}

TEST_CASE("interaction doses: 12.5 mg with a strong inhibitor, up to 50 mg with an inducer") {
  json r = tem(json::object(), nullptr, nullptr, json::array({"itraconazole"}));
  CHECK(find_term(r["interactions"], "drug", "itraconazole")->at("dose_mg") == 12.5);
  r = tem(json::object(), nullptr, nullptr, json::array({"phenytoin"}));
  CHECK(find_term(r["interactions"], "drug", "phenytoin")->at("dose_mg") == 50);
  // Both: the inhibitor's 12.5 mg is the lowest ceiling, which bounds every dose.
  r = tem(json::object(), nullptr, nullptr, json::array({"itraconazole", "phenytoin"}));
  CHECK(r["plan"]["ceiling_mg"] == 12.5);
  CHECK(find_term(r["interactions"], "drug", "phenytoin")->at("dose_mg") == 12.5);
}
