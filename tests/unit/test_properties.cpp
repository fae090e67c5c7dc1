// Clinical properties over many generated valid requests.
//
// A deterministic, seeded generator builds requests for every indication the
// contract lists, with the drug absent (the engine picks) and with every
// drug named, patients of all ages and sizes, hepatic classes, therapy and
// troughs. Over them:
//   1. no regimen dose is above the label's maximum for its drug and
//      indication (read from content/: the labelled dose, or dose per m² ×
//      BSA, or a tdm maximum; never a number written here);
//   2. hepatic impairment never raises a dose;
//   3. a moderate CYP3A4 inhibitor never raises a dose;
//   4. a higher measured trough never gives a higher new dose, and a trough
//      that asks for no higher dose never gets one;
//   5. an unrelated comedication changes nothing but interactions_unrecognized;
//   6. field order in the request changes nothing (same bytes);
//   7. the same request always gives the same bytes;
//   8. the answer is ASCII: each character beyond it is a \u escape;
//   9. the plan (also over every case request in tests/cases): no dose
//      anywhere exceeds plan.ceiling_mg, the plan's units make its dose, a
//      withhold has no dose, and the titration's new dose is the plan's dose
//      when the question is titrate; the steps run in the composition's
//      order (start first), each from the dose the one before left.
// MTORCALC_PROPERTY_N (environment) sets the requests per indication and drug
// (default 12); MTORCALC_PROPERTY_SEED the seed.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "content.hpp"
#include "helpers.hpp"
#include "mechanisms.hpp"

using mtorcalc::json;

namespace {

using test::Rng;

std::uint64_t env_u64(const char* name, std::uint64_t dflt) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : dflt;
}

const json& C() {
  return mtorcalc::content::all();
}

std::string eval_text(const std::string& text) {
  return mtorcalc::evaluate(text);
}
json eval_json(const json& req) {
  return json::parse(mtorcalc::evaluate(req.dump()));
}

const std::vector<std::string>& indications() {
  static const std::vector<std::string> v = {
      "tsc_renal_aml", "tsc_sega", "tsc_seizures", "tsc_facial_angiofibroma",
      "lam",           "rcc",      "pecoma",       "breast_hr_positive",
      "net",           "hnscc"};
  return v;
}
const std::vector<std::string>& drugs() {
  static const std::vector<std::string> v = {
      "", "everolimus", "sirolimus", "sirolimus_topical", "temsirolimus", "nab_sirolimus"};
  return v;
}

bool is_tsc(const std::string& ind) {
  return ind.rfind("tsc_", 0) == 0;
}

// The drug the engine will use: the one named, or the indication's default.
std::string drug_for(const std::string& ind, const std::string& named) {
  if (!named.empty()) return named;
  const json& i = C()["indications"][ind];
  return i.is_object() && i["default_drug"].is_string() ? i["default_drug"].get<std::string>() : "";
}

const json& indication_rule(const std::string& drug, const std::string& ind) {
  static const json null_value;
  if (drug.empty() || !C().contains(drug)) return null_value;
  const json& d = C()[drug];
  if (!d.contains("indications") || !d["indications"].contains(ind)) return null_value;
  return d["indications"][ind];
}

// Comedication names of one class only (and not restricted to some drugs).
std::vector<std::string> names_of_class(const std::string& cls) {
  std::vector<std::string> out;
  const json& all = C()["interactions"]["drugs"];
  for (auto it = all.begin(); it != all.end(); ++it) {
    const json& classes = (*it)["classes"];
    if (classes.size() == 1 && classes[0] == cls && !it->contains("applies_to"))
      out.push_back(it.key());
  }
  return out;
}

std::vector<double> strengths(const std::string& drug, const std::string& form) {
  std::vector<double> out;
  if (drug.empty() || !C().contains(drug)) return out;
  const json& f = C()[drug]["forms"];
  if (!f.contains(form) || !f[form].contains("strengths_mg")) return out;
  for (const json& s : f[form]["strengths_mg"]) out.push_back(s.get<double>());
  return out;
}

std::vector<std::string> forms_for(const std::string& drug, const std::string& ind) {
  std::vector<std::string> out;
  const json& r = indication_rule(drug, ind);
  if (r.is_object() && r.contains("forms") && r["forms"].is_array())
    for (const json& f : r["forms"]) out.push_back(f.get<std::string>());
  else if (r.is_object() && r["form"].is_string())
    out.push_back(r["form"].get<std::string>());
  else if (!drug.empty() && C().contains(drug) && C()[drug].contains("forms"))
    for (auto it = C()[drug]["forms"].begin(); it != C()[drug]["forms"].end(); ++it)
      out.push_back(it.key());
  return out;
}

// ---- the generator ----------------------------------------------------------

json condition_for(Rng& rng, const std::string& ind) {
  auto yes = [&](double p) { return rng.chance(p); };
  if (ind == "tsc_renal_aml")
    return {{"aml",
             {{"largest_diameter_cm", rng.round1(1, 15)},
              {"growth_cm_per_year", rng.round1(-0.5, 2)},
              {"aneurysm_mm", rng.round1(0, 10)},
              {"acute_hemorrhage", yes(0.1)},
              {"needs_immediate_surgery", yes(0.1)}}}};
  if (ind == "tsc_sega")
    return {{"sega",
             {{"needs_intervention", yes(0.9)},
              {"curatively_resectable", yes(0.1)},
              {"acute_symptoms", yes(0.1)},
              {"growing", yes(0.8)}}}};
  if (ind == "tsc_seizures")
    return {{"seizures", {{"partial_onset", yes(0.9)}, {"refractory", yes(0.8)}}}};
  if (ind == "lam")
    return {{"lam",
             {{"fev1_percent_predicted", rng.round1(25, 95)},
              {"fev1_decline_ml_per_year", rng.round1(-20, 200)},
              {"chylous_effusion", yes(0.2)}}}};
  if (ind == "rcc") {
    static const std::vector<std::string> hist = {"clear_cell", "clear_cell", "papillary",
                                                  "chromophobe", "unclassified"};
    json prior = json::array();
    if (yes(0.7)) prior.push_back(rng.chance(0.5) ? "sunitinib" : "sorafenib");
    return {{"rcc",
             {{"histology", rng.one(hist)},
              {"advanced", yes(0.9)},
              {"prior_therapies", prior},
              {"months_since_diagnosis", rng.round1(1, 60)},
              {"metastatic_organ_sites", static_cast<int>(rng.pick(4))}}}};
  }
  if (ind == "pecoma") return {{"pecoma", {{"malignant", yes(0.9)}, {"advanced", yes(0.9)}}}};
  if (ind == "breast_hr_positive")
    return {{"breast",
             {{"postmenopausal", yes(0.9)},
              {"hr_positive", yes(0.9)},
              {"her2_negative", yes(0.9)},
              {"prior_nonsteroidal_ai", yes(0.9)}}}};
  if (ind == "net") {
    static const std::vector<std::string> origin = {"pancreatic", "gastrointestinal", "lung"};
    return {{"net",
             {{"origin", rng.one(origin)},
              {"progressive", yes(0.9)},
              {"well_differentiated", yes(0.9)},
              {"functional_carcinoid", yes(0.1)}}}};
  }
  return json::object();
}

json therapy_for(Rng& rng, const std::string& drug, const std::string& ind) {
  json t = json::object();
  auto forms = forms_for(drug, ind);
  if (forms.empty()) return t;
  std::string form = rng.one(forms);
  auto s = strengths(drug, form);
  if (s.empty()) return t;
  std::vector<std::string> freqs;
  for (const json& f : C()[drug]["frequencies"]) freqs.push_back(f.get<std::string>());
  std::string freq = freqs.empty() ? "" : freqs.front();  // the usual frequency
  // A dose the strengths make: one to three units.
  double dose = 0;
  for (std::size_t k = 0, n = 1 + rng.pick(3); k < n; ++k) dose += rng.one(s);
  // Now and then a dose below the lowest strength, as a clinician may enter
  // it (half a tablet, an every-other-day dose written as a daily one).
  if (rng.chance(0.1)) dose = *std::min_element(s.begin(), s.end()) / 2;
  t["current_dose_mg"] = dose;
  t["form"] = form;
  if (!freq.empty()) t["frequency"] = freq;
  t["trough_ng_ml"] = rng.round1(1, 30);
  t["days_on_current_dose"] = static_cast<int>(3 + rng.pick(40));
  return t;
}

json generate(Rng& rng, const std::string& ind, const std::string& named) {
  const std::string drug = drug_for(ind, named);
  json r = {{"contract", "mtor-calc/1"}, {"indication", ind}};
  if (!named.empty()) r["drug"] = named;
  const bool child = is_tsc(ind) && rng.chance(0.5);
  double age = child ? rng.round1(1, 17.9) : rng.round1(18, 88);
  json p = {{"age_years", age}, {"sex", rng.chance(0.5) ? "female" : "male"}};
  if (ind == "lam" || ind == "breast_hr_positive") p["sex"] = "female";
  if (rng.chance(0.9)) {
    p["weight_kg"] = child ? rng.round1(9, 60) : rng.round1(40, 130);
    p["height_cm"] = child ? rng.round1(75, 175) : rng.round1(145, 200);
  } else {
    p["bsa_m2"] = rng.round1(0.4, 2.6);
  }
  if (is_tsc(ind) || ind == "lam") p["tsc_definite"] = is_tsc(ind) || rng.chance(0.3);
  if (ind == "rcc" || ind == "pecoma") p["karnofsky"] = 60 + 10 * static_cast<int>(rng.pick(5));
  if (p["sex"] == "female" && rng.chance(0.3)) p["pregnant"] = false;
  if (rng.chance(0.15)) p["hepatic"] = {{"child_pugh_class", std::string(1, "ABC"[rng.pick(3)])}};
  r["patient"] = p;
  json cond = condition_for(rng, ind);
  if (!cond.empty()) r["condition"] = cond;
  if (!drug.empty() && rng.chance(0.5)) {
    json t = therapy_for(rng, drug, ind);
    if (!t.empty()) r["therapy"] = t;
  }
  return r;
}

// ---- helpers over responses ------------------------------------------------------

std::string show(const json& j) {
  return j.dump().substr(0, 1500);
}

std::optional<double> num_at(const json& r, const json::json_pointer& p) {
  if (!r.contains(p)) return std::nullopt;
  const json& v = r[p];
  if (!v.is_number()) return std::nullopt;
  return v.get<double>();
}

// Every dose a response gives for the regimen, the titration and the plan.
// On therapy the regimen is the labelled start for reference (an interaction
// started now is the plan's, not the start's), so it is compared for starts.
struct Doses {
  std::optional<double> regimen_mg, regimen_mg_m2, new_mg, plan_daily_mg;
};
Doses doses_of(const json& r) {
  const bool start = r["plan"].is_object() && r["plan"]["question"] == "start";
  std::optional<double> plan_daily;
  if (auto mg = num_at(r, json::json_pointer("/plan/dose_mg")))
    plan_daily = *mg * (r["plan"]["frequency"] == "every_other_day" ? 0.5 : 1.0);
  return {start ? num_at(r, json::json_pointer("/regimen/dose_mg")) : std::nullopt,
          start ? num_at(r, json::json_pointer("/regimen/dose_mg_per_m2")) : std::nullopt,
          num_at(r, json::json_pointer("/titration/new_dose_mg")), plan_daily};
}

// Compares b against a: no dose in b above the same dose in a.
void check_not_raised(const json& req_a, const json& a, const json& req_b, const json& b,
                      const char* what) {
  Doses da = doses_of(a), db = doses_of(b);
  INFO(what << "\n  request:  " << show(req_a) << "\n  variant:  " << show(req_b)
            << "\n  response: " << show(a) << "\n  variant response: " << show(b));
  if (da.regimen_mg && db.regimen_mg) CHECK(*db.regimen_mg <= *da.regimen_mg + 1e-9);
  if (da.regimen_mg_m2 && db.regimen_mg_m2) CHECK(*db.regimen_mg_m2 <= *da.regimen_mg_m2 + 1e-9);
  if (da.new_mg && db.new_mg) CHECK(*db.new_mg <= *da.new_mg + 1e-9);
  if (da.plan_daily_mg && db.plan_daily_mg) CHECK(*db.plan_daily_mg <= *da.plan_daily_mg + 1e-9);
}

// The label's maximum for the regimen of this drug and indication, from content.
void check_label_maximum(const json& req, const json& r, const std::string& drug,
                         const std::string& ind) {
  if (!r["regimen"].is_object()) return;
  // The engine may choose another drug than the indication's default (RCC:
  // temsirolimus for untreated poor risk): the regimen's drug is the one.
  const std::string regimen_drug = r["regimen"].value("drug", drug);
  const json& rule = indication_rule(regimen_drug, ind);
  Doses d = doses_of(r);
  INFO("label maximum, " << regimen_drug << " for " << ind << "\n  request: " << show(req)
                         << "\n  response: " << show(r));
  std::string form = r["regimen"].value("form", "");
  auto s = strengths(regimen_drug, form);
  const double step = s.empty() ? 0.0 : *std::min_element(s.begin(), s.end());
  if (rule.is_object() && rule["dose_mg"].is_number() && d.regimen_mg) {
    CHECK(*d.regimen_mg <= rule["dose_mg"].get<double>() + 1e-9);
  }
  if (rule.is_object() && rule["dose_mg_per_m2"].is_number()) {
    const double per_m2 = rule["dose_mg_per_m2"].get<double>();
    if (d.regimen_mg_m2) CHECK(*d.regimen_mg_m2 <= per_m2 + 1e-9);
    auto bsa = num_at(r, json::json_pointer("/derived/bsa_m2"));
    // Rounding to what one dosage form can make moves a dose by less than
    // its smallest strength (and never below that strength).
    if (d.regimen_mg && bsa) CHECK(*d.regimen_mg <= per_m2 * *bsa + step + 1e-9);
  }
  // A titrated dose: within the step and daily limits of the drug's tdm rules.
  if (d.new_mg && C().contains(drug)) {
    auto cur = num_at(r, json::json_pointer("/titration/current_dose_mg"));
    for (auto it = C()[drug].begin(); it != C()[drug].end(); ++it) {
      if (it.key().rfind("tdm", 0) != 0 || !it->is_object()) continue;
      if ((*it)["max_daily_dose_mg"].is_number())
        CHECK(*d.new_mg <= (*it)["max_daily_dose_mg"].get<double>() + 1e-9);
      if ((*it)["max_increase_mg_per_step"].is_number() && cur)
        CHECK(*d.new_mg <= *cur + (*it)["max_increase_mg_per_step"].get<double>() + 1e-9);
    }
  }
}

// Writes the same JSON with every object's keys in a shuffled order.
void dump_shuffled(const json& j, Rng& rng, std::string& out) {
  if (j.is_object()) {
    std::vector<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
    for (std::size_t i = keys.size(); i > 1; --i) std::swap(keys[i - 1], keys[rng.pick(i)]);
    out += '{';
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (i) out += ',';
      out += json(keys[i]).dump() + ':';
      dump_shuffled(j[keys[i]], rng, out);
    }
    out += '}';
  } else if (j.is_array()) {
    out += '[';
    for (std::size_t i = 0; i < j.size(); ++i) {
      if (i) out += ',';
      dump_shuffled(j[i], rng, out);
    }
    out += ']';
  } else {
    out += j.dump();
  }
}

json with_comedication(json req, const std::string& name) {
  if (!req.contains("comedications")) req["comedications"] = json::array();
  req["comedications"].push_back(name);
  return req;
}

// The amount a plan's units make (tablets, vials cover it; a liquid's volume
// times its concentration; gel at its strength is checked by its own field).
void check_plan(const json& r) {
  if (r["status"] != "ok") return;
  REQUIRE(r.contains("plan"));
  const json& p = r["plan"];
  REQUIRE(p.is_object());
  const json& ceiling = p["ceiling_mg"];
  auto below = [&](const json& v, const char* where) {
    if (ceiling.is_number() && v.is_number())
      CHECK_MESSAGE(v.get<double>() <= ceiling.get<double>() + 1e-9, where, " above the ceiling");
  };
  below(p["dose_mg"], "plan.dose_mg");
  if (p["resume"].is_object()) below(p["resume"]["dose_mg"], "plan.resume.dose_mg");
  if (r["regimen"].is_object() && p["question"] == "start")
    below(r["regimen"]["dose_mg"], "regimen.dose_mg");
  if (r["titration"].is_object()) below(r["titration"]["new_dose_mg"], "titration.new_dose_mg");
  for (const auto& ix : r["interactions"]) below(ix["dose_mg"], "interactions[].dose_mg");
  for (const auto& t : r["toxicity"]) below(t["resume_dose_mg"], "toxicity[].resume_dose_mg");
  if (p["action"] == "withhold") {
    CHECK(p["dose_mg"].is_null());
    CHECK(p["units"].empty());
  }
  if (p["dose_mg"].is_null()) CHECK(p["units"].empty());
  if (p["dose_mg"].is_number() && !p["units"].empty()) {
    double made = 0;
    bool vials = false;
    for (const auto& u : p["units"]) {
      if (u.contains("volume_ml"))
        made += u["volume_ml"].get<double>() * u["concentration_mg_ml"].get<double>();
      else if (u.contains("count")) {
        made += u["strength_mg"].get<double>() * u["count"].get<double>();
        vials = vials || u["unit"] == "vial";
      } else
        made = p["dose_mg"].get<double>();
    }
    double dose = p["dose_mg"].get<double>();
    if (vials)
      CHECK_MESSAGE(made + 1e-9 >= dose, "vials do not cover the dose");
    else
      CHECK_MESSAGE(std::fabs(made - dose) < 1e-6, "units do not make the dose");
  }
  if (p["question"] == "titrate" && r["titration"].is_object())
    CHECK(r["titration"]["new_dose_mg"] == p["dose_mg"]);
  // Interaction entries take their dose from the composition: the plan's
  // dose (the resume dose while withheld), or none; only a fixed-dose inducer
  // keeps the label's target.
  for (const auto& ix : r["interactions"]) {
    if (!ix["dose_mg"].is_number() || ix["class"] == "strong_cyp3a4_inducer") continue;
    const bool same = (p["dose_mg"].is_number() && ix["dose_mg"] == p["dose_mg"] &&
                       (!ix.contains("frequency") || ix["frequency"] == p["frequency"])) ||
                      (p["resume"].is_object() && ix["dose_mg"] == p["resume"]["dose_mg"]);
    CHECK_MESSAGE(same, "interaction ", ix["drug"], " gives a dose the plan does not");
  }
  // The steps in the composition's order: the start first, then hepatic,
  // interactions, toxicity, titration and the ceiling (rounding and
  // "no change" anywhere), each from the dose the one before left.
  const json& steps = p["steps"];
  if (!steps.empty()) CHECK(steps[0]["effect"] == "start");
  auto rank = [](const json& effect) {
    for (auto [name, r] : {std::pair<const char*, int>{"start", 0},
                           {"hepatic", 1},
                           {"interaction", 2},
                           {"toxicity_withhold", 3},
                           {"toxicity_resume", 3},
                           {"titrate", 4},
                           {"ceiling", 5}})
      if (effect == name) return r;
    return -1;
  };
  int reached = 0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const json& s = steps[i];
    // An inhibitor started now lowers the restart after an adverse reaction:
    // its step follows the toxicity's (docs/plan.md 3.4).
    const bool on_restart = s["effect"] == "interaction" && reached == 3;
    const int r = on_restart ? 3 : rank(s["effect"]);
    const bool in_order = r < 0 || r >= reached;
    CHECK_MESSAGE(in_order, "step ", i, " (", s["effect"], ") out of order");
    reached = std::max(reached, r);
    if (i > 0 && steps[i - 1]["to_mg"].is_number() && s["from_mg"].is_number()) {
      const double gap =
          std::fabs(steps[i - 1]["to_mg"].get<double>() - s["from_mg"].get<double>());
      CHECK_MESSAGE(gap < 1e-9, "step ", i, " does not start from the dose step ", i - 1, " left");
    }
  }
}

}  // namespace

TEST_CASE("the plan's properties over every case request") {
  std::size_t n = 0;
  const auto root = std::filesystem::path(MTORCALC_SOURCE_DIR) / "tests" / "cases";
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.path().extension() != ".json") continue;
    std::ifstream in(e.path());
    json c = json::parse(in, nullptr, false);
    if (!c.is_object() || !c.contains("request")) continue;
    const std::string bytes = eval_text(c["request"].dump());
    INFO("case: " << e.path().string() << "\nresponse: " << bytes.substr(0, 1500));
    check_plan(json::parse(bytes));
    ++n;
  }
  CHECK(n > 400);
}

TEST_CASE("clinical properties over generated requests") {
  const std::uint64_t n = env_u64("MTORCALC_PROPERTY_N", 12);
  const std::uint64_t seed = env_u64("MTORCALC_PROPERTY_SEED", 20261126);
  Rng rng(seed);
  const auto moderate = names_of_class("moderate_cyp3a4_inhibitor");
  REQUIRE_MESSAGE(!moderate.empty(), "content names no moderate CYP3A4 inhibitor");
  const std::string unrelated = "paracetamol";
  REQUIRE_MESSAGE(!C()["interactions"]["drugs"].contains(unrelated),
                  "paracetamol is no longer unrelated");

  std::size_t total = 0, with_regimen = 0, with_titration = 0, not_listed = 0;
  for (const auto& ind : indications()) {
    for (const auto& named : drugs()) {
      const std::string drug = drug_for(ind, named);
      for (std::uint64_t k = 0; k < n; ++k) {
        json req = generate(rng, ind, named);
        const std::string text = req.dump();
        const std::string bytes = eval_text(text);
        json r = json::parse(bytes);
        ++total;
        INFO("request: " << text << "\nresponse: " << bytes.substr(0, 1500));
        REQUIRE(r["status"] == "ok");
        with_regimen += r["regimen"].is_object();
        with_titration += r["titration"].is_object();

        // 7. same request, same bytes (also after other evaluations).
        CHECK(eval_text(text) == bytes);
        // 6. field order changes nothing.
        std::string shuffled;
        dump_shuffled(req, rng, shuffled);
        CHECK(eval_text(shuffled) == bytes);
        // 8. ASCII only.
        CHECK(std::none_of(bytes.begin(), bytes.end(),
                           [](char c) { return static_cast<unsigned char>(c) >= 0x80; }));

        // 1. the label's maximum.
        check_label_maximum(req, r, drug, ind);
        // 9. the plan and its agreement with the other sections.
        check_plan(r);

        // 2. hepatic impairment never raises a dose.
        if (!req["patient"].contains("hepatic")) {
          for (const char* cls : {"A", "B", "C"}) {
            json h = req;
            h["patient"]["hepatic"] = {{"child_pugh_class", cls}};
            json rh = eval_json(h);
            REQUIRE(rh["status"] == "ok");
            check_not_raised(req, r, h, rh, "hepatic impairment raised a dose");
          }
        }
        // 3. a moderate CYP3A4 inhibitor never raises a dose.
        {
          json m = with_comedication(req, moderate[rng.pick(moderate.size())]);
          json rm = eval_json(m);
          REQUIRE(rm["status"] == "ok");
          check_not_raised(req, r, m, rm, "a moderate CYP3A4 inhibitor raised a dose");
        }
        // 4. a higher trough never gives a higher new dose.
        if (req.contains("therapy") && req["therapy"].contains("trough_ng_ml")) {
          json hi = req;
          double t = req["therapy"]["trough_ng_ml"].get<double>();
          hi["therapy"]["trough_ng_ml"] =
              std::min(1000.0, std::round(t * (1.2 + rng.unit()) * 10) / 10 + 0.1);
          json rhi = eval_json(hi);
          REQUIRE(rhi["status"] == "ok");
          // Daily amounts: the lowest strength every other day is half of it a day.
          auto daily_new = [](const json& x) -> std::optional<double> {
            auto mg = num_at(x, json::json_pointer("/titration/new_dose_mg"));
            const json& f = x["titration"].is_object() ? x["titration"]["new_frequency"] : json();
            if (!mg) return mg;
            return *mg * mtorcalc::daily_factor(f.is_string() ? f.get<std::string>() : "");
          };
          auto a = daily_new(r);
          auto b = daily_new(rhi);
          INFO("higher trough\n  variant: " << show(hi) << "\n  variant response: " << show(rhi));
          if (a && b) CHECK(*b <= *a + 1e-9);
        }
        // 4b. a trough that asks for no higher dose never gets one: a new
        // daily amount above the current one only when the calculation asks
        // for more (the lowest strength every other day is half of it a day).
        {
          auto current = num_at(r, json::json_pointer("/titration/current_dose_mg"));
          auto raw = num_at(r, json::json_pointer("/titration/raw_new_dose_mg"));
          auto next = num_at(r, json::json_pointer("/titration/new_dose_mg"));
          auto per_day = [&](const char* frequency_pointer) {
            const json& f = r.at(json::json_pointer(frequency_pointer));
            return f.is_string() ? mtorcalc::daily_factor(f.get<std::string>()) : 1.0;
          };
          INFO("trough asks for no more\n  request: " << show(req) << "\n  response: " << show(r));
          if (current && raw && next && *raw <= *current + 1e-9)
            CHECK(*next * per_day("/titration/new_frequency") <=
                  *current * per_day("/titration/current_frequency") + 1e-9);
        }
        // 5. an unrelated comedication changes nothing else.
        {
          json u = with_comedication(req, unrelated);
          json ru = eval_json(u);
          REQUIRE(ru["status"] == "ok");
          // Always listed back in interactions_unrecognized (CONTRACT:
          // unknown names are never silently dropped), even for an
          // unlabelled drug or indication.
          json expected_unrec = r["interactions_unrecognized"];
          expected_unrec.push_back(unrelated);
          if (ru["interactions_unrecognized"] != expected_unrec) ++not_listed;
          CHECK(ru["interactions_unrecognized"] == expected_unrec);
          json a = r, b = ru;
          a.erase("interactions_unrecognized");
          b.erase("interactions_unrecognized");
          INFO("unrelated comedication\n  variant response: " << show(ru));
          CHECK(a == b);
        }
      }
    }
  }
  MESSAGE("properties: " << total << " generated requests, " << with_regimen << " with a regimen, "
                         << with_titration << " with a titration; paracetamol not listed back in "
                         << not_listed);
  CHECK(total > 0);
  CHECK(with_regimen > 0);
}

TEST_CASE("other threads give the same bytes") {
  // The engine keeps nothing between requests but the content, parsed once:
  // two threads evaluating at the same time answer every request exactly as
  // this thread does.
  Rng rng(20261127);
  std::vector<std::string> requests, answers;
  for (const auto& ind : indications())
    for (const auto& named : drugs()) {
      requests.push_back(generate(rng, ind, named).dump());
      answers.push_back(eval_text(requests.back()));
    }
  std::vector<std::size_t> differing(2, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < differing.size(); ++t)
    threads.emplace_back([&, t] {
      for (std::size_t i = 0; i < requests.size(); ++i)
        differing[t] += eval_text(requests[i]) != answers[i];
    });
  for (auto& th : threads) th.join();
  CHECK(requests.size() > 50);
  CHECK(differing[0] == 0);
  CHECK(differing[1] == 0);
}
