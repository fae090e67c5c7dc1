#include "eval.hpp"

#include <cmath>

namespace mtorcalc {

using namespace std::string_view_literals;

const json& Ctx::rule(std::string_view id) {
  // A rule that cites sources is listed in the answer's "rules".
  const json& r = content::at(id);
  if (r.is_object() && r.contains("refs"sv)) record_rule(id);
  return r;
}

void Ctx::record_rule(std::string_view id) {
  for (const std::string& x : rules)
    if (x == id) return;
  rules.emplace_back(id);
}

std::optional<double> Ctx::rule_num(std::string_view id, std::string_view key) {
  const json& r = rule(id);
  if (!r.is_object()) return std::nullopt;
  auto it = r.find(key);
  if (it == r.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

ojson Ctx::refs_of(const json& rule_obj, std::string_view key) {
  ojson out = ojson::array();
  if (rule_obj.is_object()) {
    auto it = rule_obj.find(key);
    if (it != rule_obj.end() && it->is_array())
      for (const json& r : *it)
        if (r.is_string()) out.push_back(r.get<std::string>());
  }
  return out;
}

std::string_view to_string(Section section) {
  switch (section) {
    case Section::warnings:
      return "warnings";
    case Section::monitoring:
      return "monitoring";
    case Section::expected_response:
      return "expected_response";
  }
  return "";
}

namespace {

std::string text_of(const json& r, std::string_view key) {
  auto it = r.find(key);
  return it != r.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The item's response object, in the contract's field order.
ojson item_json(Section section, std::string_view code, const json& r, const std::string& id) {
  ojson o = ojson::object();
  o["code"sv] = std::string(code);
  switch (section) {
    case Section::warnings:
      o["severity"sv] = text_of(r, "severity");
      o["text"sv] = text_of(r, "text");
      break;
    case Section::monitoring:
      o["what"sv] = text_of(r, "what");
      o["when"sv] = text_of(r, "when");
      break;
    case Section::expected_response:
      o["text"sv] = text_of(r, "text");
      break;
  }
  o["refs"sv] = Ctx::refs_of(r);
  o["rule"sv] = id;
  return o;
}

}  // namespace

ojson coded_text(std::string_view rule_id, std::string_view code) {
  const json& r = content::at(rule_id);
  return {{"code", code}, {"text", r.value("text"sv, "")}, {"refs", Ctx::refs_of(r)}};
}

bool list_has_code(const ojson& list, std::string_view code) {
  for (const auto& e : list)
    if (e.is_object() && e.contains("code"sv) && is_string_equal(e["code"sv], code)) return true;
  return false;
}

void Ctx::add_item(Section section, std::string_view drug, std::string_view code,
                   std::string_view rule_code, Scope scope) {
  ojson& list = section == Section::warnings     ? warnings
                : section == Section::monitoring ? monitoring
                                                 : expected_response;
  if (list_has_code(list, code)) return;
  for (std::string_view where : {drug, "common"sv}) {
    if (where.empty()) continue;
    std::string id =
        std::string(where) + "." + std::string(to_string(section)) + "." + std::string(rule_code);
    const json& r = rule(id);
    if (r.is_object()) {
      list.push_back(item_json(section, code, r, id));
      return;
    }
    if (scope == Scope::drug_only) return;
  }
}

void Ctx::warn(std::string_view drug, std::string_view code) {
  add_item(Section::warnings, drug, code, code, Scope::drug_then_common);
}

bool Ctx::has_warning(std::string_view code) const {
  return list_has_code(warnings, code);
}

void Ctx::monitor(std::string_view drug, std::string_view code) {
  add_item(Section::monitoring, drug, code, code, Scope::drug_then_common);
}

void Ctx::monitor_as(std::string_view drug, std::string_view code, std::string_view rule_code) {
  add_item(Section::monitoring, drug, code, rule_code, Scope::drug_only);
}

void Ctx::expect_response(std::string_view drug, std::string_view code) {
  add_item(Section::expected_response, drug, code, code, Scope::drug_then_common);
}

double round_to(double value, int places) {
  double scale = std::pow(10.0, places);
  // A small nudge keeps values such as 8.125 (stored as 8.12499...) rounding
  // the way a person rounding the printed number would.
  double scaled = value * scale;
  double nudge = std::copysign(1e-9, scaled);
  return std::round(scaled + nudge) / scale;
}

std::string plain_number(double value) {
  std::string t = ojson(round_to(value, 2)).dump();
  if (t.size() > 2 && t.compare(t.size() - 2, 2, ".0") == 0) t.resize(t.size() - 2);
  return t;
}

namespace {
std::optional<double> bound(const json& spec, const Request& req) {
  if (spec.is_number()) return spec.get<double>();
  if (spec.is_object() && spec.contains("limit"sv)) {
    auto lim = req.num({"patient", "limits", spec["limit"sv].get<std::string>()});
    if (!lim) return std::nullopt;
    double times = spec.contains("times"sv) ? spec["times"sv].get<double>() : 1.0;
    return *lim * times;
  }
  return std::nullopt;
}
}  // namespace

std::optional<bool> band_matches(const json& band, double value, const Request& req) {
  // The band's own members are walked (a band has a few), rather than each
  // of the four limits looked up; the answer does not depend on their order:
  // unknown when any limit is, otherwise whether all hold.
  if (!band.is_object()) return true;
  bool ok = true;
  for (const auto& [key, spec] : band.get_ref<const json::object_t&>()) {
    const std::string_view op = key;
    const bool is_limit = op == "lt"sv || op == "le"sv || op == "gt"sv || op == "ge"sv;
    if (!is_limit) continue;
    auto b = bound(spec, req);
    if (!b) return std::nullopt;
    if (op == "lt"sv) ok = ok && value < *b;
    if (op == "le"sv) ok = ok && value <= *b;
    if (op == "gt"sv) ok = ok && value > *b;
    if (op == "ge"sv) ok = ok && value >= *b;
  }
  return ok;
}

BandResult first_band(const json& bands, double value, const Request& req) {
  BandResult r;
  if (!bands.is_array()) return r;
  for (const json& b : bands) {
    auto m = band_matches(b, value, req);
    if (!m) {
      r.unknown = true;
      return r;
    }
    if (*m) {
      r.band = &b;
      return r;
    }
  }
  return r;
}

}  // namespace mtorcalc
