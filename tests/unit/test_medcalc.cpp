// MedCalc-Bench v1.0 rows for the calculators the engine shares (Child-Pugh,
// BSA, corrected calcium), run through the engine with the project's own SI
// conversions (content common.unit_conversions). Every disagreement is named
// below with the reason one side is wrong; any other row must fall inside the
// benchmark's [lower, upper] limits.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <string>

#include "content.hpp"
#include "helpers.hpp"

using namespace test;

namespace {

// The repository root from this file's path (tests/unit/…), so the data
// (tests/data/medcalc-bench, a copy of the shared rows) is found wherever the
// test runs.
std::string repo_root() {
  std::string f = __FILE__;
  for (int i = 0; i < 3; ++i) {
    auto pos = f.find_last_of('/');
    if (pos == std::string::npos) return ".";
    f = f.substr(0, pos);
  }
  return f.empty() ? "." : f;
}

std::string rows_path() {
  return repo_root() + "/tests/data/medcalc-bench/rows.jsonl";
}

// The single conversion step: SI value → the engine's canonical unit.
double conv(const std::string& key) {
  return mtorcalc::content::at("common.unit_conversions." + key).get<double>();
}
double to_mg_dl_bilirubin(double v, const std::string& unit) {
  return unit == "mg/dL" ? v : v / conv("bilirubin_umol_l_per_mg_dl");
}
double to_g_dl_albumin(double v, const std::string& unit) {
  return unit == "g/dL" ? v : v / conv("albumin_g_l_per_g_dl");
}
double to_mg_dl_calcium(double v, const std::string& unit) {
  return unit == "mg/dL" ? v : v * conv("calcium_mg_dl_per_mmol_l");
}

std::string ascites(const std::string& s) {
  return s == "absent" ? "none" : s;
}
std::string encephalopathy(const std::string& s) {
  if (s == "Grade 1-2") return "grade_1_2";
  if (s == "Grade 3-4") return "grade_3_4";
  return "none";  // "No Encephalopathy", "Grade 0"
}

// Rows where the engine and the benchmark disagree: the engine's value and why
// the benchmark's worked solution is wrong.
struct Disagreement {
  double engine;
  const char* reason;
};
const std::map<int, Disagreement>& disagreements() {
  static const std::map<int, Disagreement> d = {
      {114,
       {10.02,
        "calcium 2.26 mmol/L: the benchmark rounds 0.00226 mol to 0.002 mol and so uses 8.0 mg/dL; "
        "2.26 x 4.008 = 9.06 mg/dL, corrected 10.02"}},
      {117,
       {11.14,
        "calcium 2.6 mmol/L: the benchmark rounds 0.0026 mol to 0.003 mol (12.0 mg/dL); 2.6 x "
        "4.008 = 10.42 mg/dL, corrected 11.14"}},
      {200,
       {9,
        "ascites given ('absent', 1 point) but never scored by the benchmark; its bilirubin "
        "conversion uses molar mass 548.66 (2.2 mg/dL) instead of 584.66 (2.35 mg/dL), same band"}},
      {201, {12, "ascites 'moderate' (3 points) given but not scored by the benchmark"}},
      {202, {11, "ascites 'slight' (2 points) given but not scored by the benchmark"}},
      {203,
       {10,
        "bilirubin 3.0 mg/dL scored 3 by the benchmark (the 2-3 mg/dL band is inclusive: 2 "
        "points); ascites 'absent' and encephalopathy 'Grade 0' given but not scored (1 point "
        "each)"}},
      {204, {10, "ascites 'slight' (2 points) given but not scored by the benchmark"}},
      {205, {8, "ascites 'moderate' (3 points) given but not scored by the benchmark"}},
      {209,
       {11,
        "albumin 2.8 g/dL scored 3 by the benchmark (the 2.8-3.5 g/dL band is inclusive: 2 "
        "points); ascites 'moderate' (3 points) not scored"}},
      {210, {7, "ascites 'absent' (1 point) given but not scored by the benchmark"}},
      {212, {8, "ascites 'slight' (2 points) given but not scored by the benchmark"}},
      {214,
       {9, "the benchmark adds no points for albumin 3.2 g/dL (2) nor for ascites 'absent' (1)"}},
      {216, {8, "ascites 'slight' (2 points) given but not scored by the benchmark"}},
      {217, {12, "ascites 'moderate' (3 points) given but not scored by the benchmark"}},
  };
  return d;
}

// Rows with a Child-Pugh component the benchmark did not extract: the engine
// gives no score (it never guesses a component); scored with the benchmark's
// assumption (missing = normal), the engine gives the value here.
const std::map<int, Disagreement>& incomplete() {
  static const std::map<int, Disagreement> d = {
      {206,
       {7,
        "encephalopathy not extracted; with it assumed absent the engine agrees (7), but only "
        "because two benchmark errors cancel: bilirubin 3.0 scored 3 instead of 2, ascites "
        "'absent' not scored"}},
      {207, {10, "ascites not extracted; assumed absent, the engine agrees"}},
      {208,
       {8,
        "encephalopathy not extracted; assumed absent the engine gives 8: the benchmark (6) did "
        "not score ascites 'slight'"}},
      {211, {8, "ascites not extracted; assumed absent, the engine agrees"}},
      {213,
       {10,
        "encephalopathy not extracted; assumed absent the engine gives 10: the benchmark (7) did "
        "not score ascites 'moderate'"}},
      {215, {10, "ascites not extracted; assumed absent, the engine agrees"}},
      {218,
       {7,
        "encephalopathy not extracted; assumed absent the engine gives 7: the benchmark (6) did "
        "not score ascites 'absent'"}},
      {219, {9, "ascites not extracted; assumed absent, the engine agrees"}},
  };
  return d;
}

json request_with(const json& patient) {
  json r = base("lam");
  r["patient"] = patient;
  return r;
}

}  // namespace

TEST_CASE("the project's SI conversions") {
  CHECK(to_mg_dl_bilirubin(34.2, "µmol/L") == doctest::Approx(2.0));
  CHECK(to_mg_dl_bilirubin(51.3, "µmol/L") == doctest::Approx(3.0));
  CHECK(to_g_dl_albumin(35, "g/L") == doctest::Approx(3.5));
  CHECK(to_mg_dl_calcium(2.5, "mmol/L") == doctest::Approx(10.02));
  CHECK(to_mg_dl_calcium(8.6, "mg/dL") == doctest::Approx(8.6));
}

TEST_CASE("MedCalc-Bench rows: Child-Pugh, BSA, corrected calcium") {
  std::ifstream in(rows_path());
  REQUIRE_MESSAGE(in.good(), "cannot read " << rows_path());
  int rows = 0, agreed = 0, named = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json row = json::parse(line);
    int n = row["row_number"].get<int>();
    int calc = row["calculator_id"].get<int>();
    const json& e = row["entities"];
    double lo = row["lower_limit"].get<double>(), hi = row["upper_limit"].get<double>();
    ++rows;
    CAPTURE(n);
    std::optional<double> value;
    if (calc == 60) {
      json r = eval(request_with({{"weight_kg", e["weight"][0]}, {"height_cm", e["height"][0]}}));
      REQUIRE(r["derived"]["bsa_formula"] == "mosteller");
      value = r["derived"]["bsa_m2"].get<double>();
    } else if (calc == 7) {
      double ca =
          to_mg_dl_calcium(e["Calcium"][0].get<double>(), e["Calcium"][1].get<std::string>());
      double alb =
          to_g_dl_albumin(e["Albumin"][0].get<double>(), e["Albumin"][1].get<std::string>());
      json r = eval(request_with({{"labs", {{"calcium_mg_dl", ca}, {"albumin_g_dl", alb}}}}));
      value = r["derived"]["corrected_calcium_mg_dl"].get<double>();
    } else if (calc == 15) {
      json h = {{"bilirubin_mg_dl", to_mg_dl_bilirubin(e["Bilirubin"][0].get<double>(),
                                                       e["Bilirubin"][1].get<std::string>())},
                {"albumin_g_dl", to_g_dl_albumin(e["Albumin"][0].get<double>(),
                                                 e["Albumin"][1].get<std::string>())},
                {"inr", e["international normalized ratio"]}};
      if (e.contains("Ascites")) h["ascites"] = ascites(e["Ascites"].get<std::string>());
      if (e.contains("Encephalopathy"))
        h["encephalopathy"] = encephalopathy(e["Encephalopathy"].get<std::string>());
      json r = eval(request_with({{"hepatic", h}}));
      if (auto it = incomplete().find(n); it != incomplete().end()) {
        // As given: no score; at most the range the missing components
        // allow, when it already rules out class A. With the benchmark's
        // assumption: the value named, inside that range.
        const json& partial = r["derived"].value("child_pugh", json());
        CHECK((partial.is_null() || partial["score"].is_null()));
        if (!h.contains("ascites")) h["ascites"] = "none";
        if (!h.contains("encephalopathy")) h["encephalopathy"] = "none";
        json filled = eval(request_with({{"hepatic", h}}));
        double v = filled["derived"]["child_pugh"]["score"].get<double>();
        if (!partial.is_null()) {
          CHECK(v >= partial["score_min"].get<double>());
          CHECK(v <= partial["score_max"].get<double>());
        }
        INFO(it->second.reason);
        CHECK(v == doctest::Approx(it->second.engine));
        ++named;
        continue;
      }
      REQUIRE(r["derived"].contains("child_pugh"));
      value = r["derived"]["child_pugh"]["score"].get<double>();
    }
    REQUIRE(value);
    if (auto it = disagreements().find(n); it != disagreements().end()) {
      INFO(it->second.reason);
      CHECK(*value == doctest::Approx(it->second.engine));
      CHECK_FALSE((*value >= lo && *value <= hi));  // still a disagreement
      ++named;
      continue;
    }
    CHECK_MESSAGE((*value >= lo && *value <= hi),
                  "row " << n << ": engine " << *value << " outside [" << lo << ", " << hi << "]");
    ++agreed;
  }
  CHECK(rows == 59);
  MESSAGE("MedCalc-Bench: " << rows << " rows, " << agreed << " agree, " << named
                            << " named disagreements or incomplete rows");
}
