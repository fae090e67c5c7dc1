// IMDC, MSKCC and ARCC counts and groups at every boundary.
#include <doctest/doctest.h>

#include "helpers.hpp"

using namespace test;

namespace {
// All six IMDC factors absent, then `n` of them switched on.
json imdc(int n) {
  json p = {{"karnofsky", 90},
            {"labs",
             {{"hemoglobin_g_dl", 14},
              {"calcium_mg_dl", 9},
              {"albumin_g_dl", 4},
              {"anc_per_ul", 4000},
              {"platelets_per_ul", 250000},
              {"ldh_u_l", 200}}},
            {"limits",
             {{"hemoglobin_lln_g_dl", 13.5},
              {"calcium_uln_mg_dl", 10.2},
              {"anc_uln_per_ul", 7500},
              {"platelets_uln_per_ul", 400000},
              {"ldh_uln_u_l", 250}}}};
  json c = {{"advanced", true}, {"months_since_diagnosis", 24}, {"metastatic_organ_sites", 1}};
  if (n > 0) p["karnofsky"] = 70;
  if (n > 1) c["months_since_diagnosis"] = 6;
  if (n > 2) p["labs"]["hemoglobin_g_dl"] = 12;
  if (n > 3) p["labs"]["calcium_mg_dl"] = 10.5;
  if (n > 4) p["labs"]["anc_per_ul"] = 8000;
  if (n > 5) p["labs"]["platelets_per_ul"] = 450000;
  json r = base("rcc");
  r["patient"] = p;
  r["condition"] = {{"rcc", c}};
  return eval(r);
}
}  // namespace

TEST_CASE("IMDC groups 0 / 1–2 / ≥3 (Heng 2009)") {
  const char* expected[] = {"favorable", "intermediate", "intermediate", "poor",
                            "poor",      "poor",         "poor"};
  for (int n = 0; n <= 6; ++n) {
    CAPTURE(n);
    json r = imdc(n);
    CHECK(r["derived"]["imdc"]["factors"] == n);
    CHECK(r["derived"]["imdc"]["risk_group"] == expected[n]);
  }
}

TEST_CASE(
    "MSKCC shares KPS, time, Hb and calcium (> 10 mg/dL) and adds LDH > 1.5 × ULN (Motzer 2002)") {
  json r = imdc(4);  // KPS, months, Hb, calcium 10.5 > 10
  CHECK(r["derived"]["mskcc"]["factors"] == 4);
  CHECK(r["derived"]["mskcc"]["risk_group"] == "poor");
  CHECK(imdc(0)["derived"]["mskcc"]["risk_group"] == "favorable");
}

TEST_CASE("ARCC poor risk at 3 of 6 (Torisel PI §14)") {
  CHECK(imdc(2)["derived"]["arcc"]["factors"] == 2);  // KPS 70 and < 1 year
  CHECK(imdc(2)["derived"]["arcc"]["poor_risk"] == false);
  CHECK(imdc(3)["derived"]["arcc"]["factors"] == 3);
  CHECK(imdc(3)["derived"]["arcc"]["poor_risk"] == true);
}
