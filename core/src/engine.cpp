#include "mtorcalc/engine.hpp"

#include <algorithm>
#include <cmath>

#include "content.hpp"
#include "derived.hpp"
#include "drugs.hpp"
#include "eval.hpp"
#include "forecast.hpp"
#include "forecast_answer.hpp"
#include "mechanisms.hpp"
#include "plan.hpp"
#include "plausibility.hpp"
#include "request.hpp"
#include "request_schema.hpp"
#include "sirolimus_family.hpp"
#include "writer.hpp"

#ifndef MTORCALC_VERSION
#define MTORCALC_VERSION "0.0.0"
#endif

namespace mtorcalc {

using namespace std::string_view_literals;

namespace {

// An answer names the contract whose requests the schema accepts.
constexpr std::string_view contract_name = request_schema::kContract[0];

// The members every answer opens with, up to and including "status".
ojson head(std::string_view status) {
  ojson a = ojson::object();
  a["contract"] = contract_name;
  a["engine_version"] = MTORCALC_VERSION;
  a["content_version"] = content::version();
  a["status"] = status;
  return a;
}

// A bound as the schema writes it: 30, not 30.0.
ojson bound_json(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return static_cast<long long>(v);
  return v;
}

std::string invalid(const std::vector<RequestError>& errors) {
  ojson a = head("invalid_request");
  ojson& errs = a["errors"] = ojson::array();
  for (const auto& e : errors) {
    ojson o = {{"path", e.path}, {"code", to_string(e.code)}, {"message", e.message}};
    if (e.min) o["min"] = bound_json(*e.min);
    if (e.max) o["max"] = bound_json(*e.max);
    if (e.min_exclusive) o["min_exclusive"] = true;
    if (!e.unit.empty()) o["unit"] = e.unit;
    if (!e.suggestion.empty()) o["suggestion"] = e.suggestion;
    if (!e.rule.empty()) o["rule"] = e.rule;
    errs.push_back(std::move(o));
  }
  // Every section present and empty (the contract's invalid_request shape).
  a["plan"] = nullptr;
  a["derived"] = ojson::object();
  a["eligibility"] = nullptr;
  a["regimen"] = nullptr;
  a["titration"] = nullptr;
  a["forecast"] = nullptr;
  for (const char* list : {"toxicity", "interactions", "interactions_unrecognized", "warnings",
                           "monitoring", "references"})
    a[list] = ojson::array();
  return dump_answer(a);
}

// Checks that need the content: form and frequency against the drug, and a
// target trough inside the drug's range.
void check_consistency(const Request& req, const std::string& drug,
                       std::vector<RequestError>& errors) {
  if (drug.empty()) return;
  if (auto form = req.str({"therapy", "form"})) {
    const json& f = content::at(drug + ".forms." + *form);
    if (!f.is_object())
      errors.push_back({"/therapy/form", ErrorCode::inconsistent,
                        "form \"" + *form + "\" does not exist for " + drug});
  }
  if (auto freq = req.str({"therapy", "frequency"})) {
    const json& allowed = content::at(drug + ".frequencies");
    bool ok = !allowed.is_array();
    if (allowed.is_array())
      for (const auto& a : allowed) ok = ok || is_string_equal(a, *freq);
    if (!ok)
      errors.push_back({"/therapy/frequency", ErrorCode::inconsistent,
                        "frequency \"" + *freq + "\" is not used for " + drug});
  }
  if (auto target = req.num({"therapy", "target_trough_ng_ml"})) {
    const json& range = content::at(drug + ".tdm.target_range_ng_ml");
    if (range.is_array() && range.size() == 2 &&
        (*target < range[0].get<double>() || *target > range[1].get<double>()))
      errors.push_back({"/therapy/target_trough_ng_ml", ErrorCode::inconsistent,
                        "the target must lie inside the labelled range " + range[0].dump() + "–" +
                            range[1].dump() + " ng/mL"});
  }
  // Each status names a listed comedication; a dose before it belongs to a
  // drug that was stopped.
  const json& statuses = req.node({"comedication_status"});
  if (statuses.is_array()) {
    std::vector<std::string> listed;
    for (const std::string& n : req.strings({"comedications"}))
      listed.push_back(canonical_comedication(n));
    for (std::size_t i = 0; i < statuses.size(); ++i) {
      const json& s = statuses[i];
      const std::string at = "/comedication_status/" + std::to_string(i);
      std::string name = canonical_comedication(s["name"sv].get<std::string>());
      if (std::find(listed.begin(), listed.end(), name) == listed.end())
        errors.push_back({at + "/name", ErrorCode::inconsistent,
                          "\"" + s["name"sv].get<std::string>() +
                              "\" is not in comedications; list it there too"});
      if (s.contains("dose_before_mg"sv) && s["status"sv] != "stopped")
        errors.push_back({at + "/dose_before_mg", ErrorCode::inconsistent,
                          "dose_before_mg belongs to a comedication that was stopped"});
    }
  }
  // The trough history: oldest first, each at a frequency the forecast models.
  const json& history = req.node({"therapy", "trough_history"});
  if (history.is_array()) {
    for (std::size_t i = 0; i < history.size(); ++i) {
      const std::string at = "/therapy/trough_history/" + std::to_string(i);
      const json& h = history[i];
      const std::string freq = h["frequency"sv].get<std::string>();
      if (!forecast::interval_hours(freq))
        errors.push_back({at + "/frequency", ErrorCode::inconsistent,
                          "the forecast models once_daily, twice_daily, every_other_day and "
                          "weekly dosing, not \"" +
                              freq + "\""});
      if (i > 0 && h["days_since_start"sv].get<double>() <
                       history[i - 1]["days_since_start"sv].get<double>())
        errors.push_back({at + "/days_since_start", ErrorCode::inconsistent,
                          "the history runs oldest first: day " + h["days_since_start"sv].dump() +
                              " comes before the previous entry's day " +
                              history[i - 1]["days_since_start"sv].dump()});
    }
  }
  if (req.flag({"patient", "pregnant"}) == std::optional<bool>(true) &&
      req.str({"patient", "sex"}) == std::optional<std::string>("male"))
    errors.push_back(
        {"/patient/pregnant", ErrorCode::inconsistent, "pregnant is true but sex is male"});
}

void check_hepatic(const Request& req, std::vector<RequestError>& errors) {
  auto given = req.str({"patient", "hepatic", "child_pugh_class"});
  auto computed = child_pugh_from_components(req);
  if (given && computed && computed->klass != *given)
    errors.push_back({"/patient/hepatic/child_pugh_class", ErrorCode::inconsistent,
                      "class " + *given + " given, but the components score " +
                          std::to_string(computed->score) + " (class " + computed->klass + ")"});
  // Bilirubin and albumin may come in the labs or in the hepatic panel; the
  // engine reads the hepatic value first for Child-Pugh and the labs value for
  // other rules, so two different values would feed two different answers.
  for (std::string_view field : {"bilirubin_mg_dl", "albumin_g_dl"}) {
    auto lab = req.num({"patient", "labs", field});
    auto hep = req.num({"patient", "hepatic", field});
    if (lab && hep && *lab != *hep)
      errors.push_back({"/patient/hepatic/" + std::string(field), ErrorCode::inconsistent,
                        "differs from /patient/labs/" + std::string(field) +
                            "; give one value, or the same value in both"});
  }
}

std::string evaluate_valid(const json& doc) {
  Request req(doc);
  std::string indication = req.indication();
  const json& ind = content::at("indications." + indication);
  std::string labelled = ind.is_object() && ind["default_drug"sv].is_string()
                             ? ind["default_drug"sv].get<std::string>()
                             : "";
  std::string drug = req.str({"drug"}).value_or(labelled);
  // Some indications pick the drug from the patient (RCC: everolimus after
  // sunitinib/sorafenib, temsirolimus untreated ARCC poor risk).
  std::optional<DrugChoice> choice;
  if (!req.has({"drug"})) choice = choose_default_drug(req);
  if (choice) drug = choice->drug;

  std::vector<RequestError> errors;
  check_consistency(req, drug, errors);
  check_hepatic(req, errors);
  if (!errors.empty()) return invalid(errors);

  Ctx ctx(req);
  Derived d = compute_derived(ctx);

  bool covered = false;
  if (!drug.empty() && ind.is_object() && ind.contains("drugs"sv))
    for (const auto& x : ind["drugs"sv]) covered = covered || is_string_equal(x, drug);
  const LabelledUse* use = nullptr;
  if (covered)
    for (const LabelledUse& u : kLabelledUses)
      if (u.drug == drug && (u.indication.empty() || u.indication == indication)) use = &u;
  if (!use)
    evaluate_unlabelled(ctx, drug);
  else if (use->evaluate(ctx, d) == Reached::regimen)
    for (std::string_view code : use->monitoring)
      if (!code.empty()) ctx.monitor(use->drug, code);

  if (ctx.eligibility.is_object() && !req.has({"drug"}))
    ctx.eligibility["drug_chosen_by"sv] = "engine";
  if (choice) record_drug_choice(ctx, *choice);
  compose_plan(ctx, drug, indication, d);
  // Beside the plan, read from it, never changing it.
  ojson forecast = forecast_section(ctx, drug, indication, d);

  ojson a = head("ok");
  // Room for every member at once: an ordered_json object is a vector whose
  // growth copies (not moves) the sections already in it.
  a.get_ref<ojson::object_t&>().reserve(21);
  a["errors"] = ojson::array();
  std::vector<std::string> reference_ids;
  // The plan leads the answer; its references follow the other sections'.
  a["plan"] = nullptr;
  const std::pair<const char*, ojson*> sections[] = {
      {"derived", &ctx.derived},
      {"eligibility", &ctx.eligibility},
      {"regimen", &ctx.regimen},
      {"titration", &ctx.titration},
      {"forecast", &forecast},
      {"toxicity", &ctx.toxicity},
      {"interactions", &ctx.interactions},
      {"interactions_unrecognized", &ctx.interactions_unrecognized},
      {"warnings", &ctx.warnings},
      {"monitoring", &ctx.monitoring},
      {"expected_response", &ctx.expected_response}};
  for (const auto& [name, section] : sections) {
    normalise(*section, reference_ids);
    a[name] = std::move(*section);
  }
  normalise(ctx.plan, reference_ids);
  a["plan"] = std::move(ctx.plan);
  a["rules"] = ctx.rules;
  ojson& unverified = a["unverified_rules"] = ojson::array();
  for (const std::string& id : ctx.rules) {
    const json& rule = content::at(id);
    auto v = rule.find("verification"sv);
    if (v == rule.end() || !v->is_string() || *v == "confirmed") continue;
    ojson u = {{"rule", id}, {"verification", *v}};
    auto note = rule.find("verification_note"sv);
    if (note != rule.end() && note->is_string()) u["note"] = *note;
    unverified.push_back(std::move(u));
  }
  a["references"] = references_of(reference_ids);
  return dump_answer(a);
}

}  // namespace

std::string evaluate(std::string_view request_text) noexcept {
  try {
    Parsed p = parse_and_validate(request_text);
    if (!p.errors.empty()) {
      suggest_unit_slips(p.doc, p.errors);
      return invalid(p.errors);
    }
    return evaluate_valid(p.doc);
  } catch (const std::exception& e) {
    // Unreachable by design (content is checked by tests); answered, not thrown.
    return invalid({{"", ErrorCode::inconsistent, std::string("internal error: ") + e.what()}});
  } catch (...) {
    return invalid({{"", ErrorCode::inconsistent, "internal error"}});
  }
}

std::string version() noexcept {
  try {
    return std::string("mtorcalc ") + MTORCALC_VERSION + " (content " + content::version() + ")";
  } catch (...) {
    return "mtorcalc " MTORCALC_VERSION;
  }
}

std::string content_json() noexcept {
  try {
    // The embedded files are compact JSON already: placed as they are.
    std::string out = "{\"content_version\":" + ojson(content::version()).dump() + ",\"content\":{";
    bool first = true;
    for (const content::File& f : content::files()) {
      if (!first) out += ",";
      first = false;
      out += ojson(f.stem).dump() + ":";
      out += f.text;
    }
    return out + "}}";
  } catch (...) {
    return "{}";
  }
}

}  // namespace mtorcalc
