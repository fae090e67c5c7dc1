#include "sirolimus_family.hpp"

#include <cstdio>

namespace mtorcalc {

using namespace std::string_view_literals;

namespace {

std::optional<double> first_num(const Request& req, std::initializer_list<std::string_view> a,
                                std::initializer_list<std::string_view> b) {
  auto v = req.num(a);
  return v ? v : req.num(b);
}

double band(const json& bands, const char* key) {
  auto it = bands.find(key);
  return it != bands.end() && it->is_number() ? it->get<double>() : 0.0;
}

// "x above k × ULN", with a relative tolerance so that 1.8 mg/dL against a
// ULN of 1.2 (exactly 1.5 ×) is not pushed over the edge by binary rounding.
bool above(double value, double uln, double times) {
  return value > uln * times * (1.0 + 1e-9);
}

}  // namespace

std::string num_text(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", round_to(value, 2));
  return buf;
}

NciHepaticResult nci_hepatic(const Request& req, const json& bands) {
  NciHepaticResult r;
  auto bili = first_num(req, {"patient", "labs", "bilirubin_mg_dl"},
                        {"patient", "hepatic", "bilirubin_mg_dl"});
  auto bili_uln = req.num({"patient", "limits", "bilirubin_uln_mg_dl"});
  if (!bili) r.missing.push_back("/patient/labs/bilirubin_mg_dl");
  if (!bili_uln) r.missing.push_back("/patient/limits/bilirubin_uln_mg_dl");
  if (!bili || !bili_uln || !bands.is_object()) return r;
  r.bilirubin_uln_ratio = *bili / *bili_uln;
  if (above(*bili, *bili_uln, band(bands, "severe_gt")))
    r.category = NciHepatic::severe;
  else if (above(*bili, *bili_uln, band(bands, "moderate_gt")))
    r.category = NciHepatic::moderate;
  else if (above(*bili, *bili_uln, band(bands, "mild_gt")))
    r.category = NciHepatic::mild;
  else {
    // Bilirubin within normal: AST above its ULN still makes it mild.
    auto ast = req.num({"patient", "labs", "ast_u_l"});
    auto ast_uln = req.num({"patient", "limits", "ast_uln_u_l"});
    if (ast && ast_uln) {
      r.category = above(*ast, *ast_uln, 1.0) ? NciHepatic::mild : NciHepatic::normal;
    } else {
      r.category = NciHepatic::normal;
      r.ast_unknown = true;
      r.missing.clear();
      if (!ast) r.missing.push_back("/patient/labs/ast_u_l");
      if (!ast_uln) r.missing.push_back("/patient/limits/ast_uln_u_l");
    }
  }
  if (!r.ast_unknown) r.missing.clear();
  return r;
}

std::optional<HepaticPending> hepatic_pending(const Request& req, const NciHepaticResult& h) {
  auto bili = first_num(req, {"patient", "labs", "bilirubin_mg_dl"},
                        {"patient", "hepatic", "bilirubin_mg_dl"});
  auto bili_uln = req.num({"patient", "limits", "bilirubin_uln_mg_dl"});
  auto ast = req.num({"patient", "labs", "ast_u_l"});
  auto ast_uln = req.num({"patient", "limits", "ast_uln_u_l"});
  // AST above its ULN is at least mild whatever the bilirubin (torisel-pi-2.4,
  // fyarro-pi-2.4): the full dose is out, the rest waits for the bilirubin.
  if (h.category == NciHepatic::unknown && ast && ast_uln && *ast > *ast_uln * (1.0 + 1e-9))
    return HepaticPending{"ast_above_uln_bilirubin_unknown", "ast_high_bilirubin_unknown",
                          h.missing};
  // A value given without its ULN cannot be judged, and the dose depends on
  // it: asked for, never assumed normal (bilirubin 1.5 mg/dL may be mild).
  if (bili && !bili_uln)
    return HepaticPending{
        "liver_value_without_uln", "value_without_uln", {"/patient/limits/bilirubin_uln_mg_dl"}};
  if (ast && !ast_uln && (h.ast_unknown || h.category == NciHepatic::unknown)) {
    HepaticPending p{"liver_value_without_uln", "value_without_uln", {}};
    if (h.category == NciHepatic::unknown) p.missing = h.missing;
    p.missing.push_back("/patient/limits/ast_uln_u_l");
    return p;
  }
  return std::nullopt;
}

const json& announce_hepatic_pending(Ctx& ctx, std::string_view drug, const HepaticPending& hold,
                                     std::vector<std::string>& notes) {
  const json& rule = ctx.rule(std::string(drug) + ".hepatic." + hold.rule_code);
  notes.push_back(rule.value("text"sv, ""));
  ctx.warn(drug, "hepatic_impairment");
  return rule;
}

void set_dose_pending(ojson& regimen, std::string_view drug, const HepaticPending& hold,
                      const json& rule) {
  regimen["dose_mg"sv] = nullptr;
  regimen["units"sv] = ojson::array();
  regimen["dose_mg_per_m2"sv] = nullptr;
  regimen["dose_pending"sv] = {{"reason", hold.reason},
                               {"missing", ojson(hold.missing)},
                               {"text", rule.value("text"sv, "")},
                               {"refs", Ctx::refs_of(rule)},
                               {"rule", std::string(drug) + ".hepatic." + hold.rule_code}};
}

namespace {

// One condition of a default rule: every key present must hold; an unknown
// input makes the rule not apply.
bool rule_holds(const json& when, const Request& req) {
  if (!when.is_object()) return false;
  std::string ind = req.indication();
  bool ok = true;
  if (auto it = when.find("prior_therapies_any"sv); it != when.end()) {
    bool any = false;
    for (const auto& have : req.strings({"condition", ind, "prior_therapies"}))
      for (const auto& want : *it) any = any || is_string_equal(want, have);
    ok = ok && any;
  }
  if (auto it = when.find("treatment_naive"sv); it != when.end()) {
    // No prior therapy listed (absent or empty): the label's "advanced RCC"
    // has no line restriction, so an unknown history does not block the rule.
    bool naive = req.strings({"condition", ind, "prior_therapies"}).empty();
    ok = ok && naive == it->get<bool>();
  }
  if (auto it = when.find("arcc_poor_risk"sv); it != when.end() && ok) {
    // The ARCC count needs the derived values; computed on a scratch context.
    Ctx scratch(req);
    (void)compute_derived(scratch);
    bool poor_known =
        scratch.derived.contains("arcc"sv) && scratch.derived["arcc"sv]["poor_risk"sv].is_boolean();
    ok =
        ok && poor_known && scratch.derived["arcc"sv]["poor_risk"sv].get<bool>() == it->get<bool>();
  }
  return ok;
}

}  // namespace

std::optional<DrugChoice> choose_default_drug(const Request& req) {
  std::string base = "indications." + req.indication() + ".default_rules";
  const json& rules = content::at(base);
  if (!rules.is_object()) return std::nullopt;
  // A current therapy in a form the rule's drug does not have (tablets for an
  // infusion-only drug) says the patient takes another drug: the rule does
  // not choose for this patient, so the answer is not for a drug whose own
  // checks would then reject the therapy.
  const auto form = req.str({"therapy", "form"});
  for (const auto& [code, r] : rules.items()) {
    if (!r.is_object() || !r.contains("drug"sv) || !r["drug"sv].is_string()) continue;
    const std::string& drug = r["drug"sv].get_ref<const std::string&>();
    if (form && !content::at(drug + ".forms." + *form).is_object()) continue;
    if (rule_holds(r.value("when"sv, json::object()), req))
      return DrugChoice{drug, base + "." + code};
  }
  return std::nullopt;
}

void record_drug_choice(Ctx& ctx, const DrugChoice& choice) {
  const json& r = ctx.rule(choice.rule_id);
  if (!ctx.eligibility.is_object()) return;
  ctx.eligibility["drug_choice"sv] = {{"rule", choice.rule_id},
                                      {"drug", choice.drug},
                                      {"text", r.value("text"sv, "")},
                                      {"refs", Ctx::refs_of(r)}};
}

}  // namespace mtorcalc
