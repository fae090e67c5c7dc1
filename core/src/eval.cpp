#include "eval.hpp"

#include <cmath>

namespace mtorcalc {

const json& Ctx::rule(std::string_view id) {
  const json& r = content::at(id);
  if (r.is_object() && r.contains("refs")) {
    std::string s(id);
    bool seen = false;
    for (const auto& x : rules) seen = seen || x == s;
    if (!seen) rules.push_back(std::move(s));
  }
  return r;
}

std::optional<double> Ctx::rule_num(std::string_view id, std::string_view key) {
  const json& r = rule(id);
  if (!r.is_object()) return std::nullopt;
  auto it = r.find(key);
  if (it == r.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

ojson Ctx::refs_of(const json& rule_obj) {
  ojson out = ojson::array();
  if (rule_obj.is_object()) {
    auto it = rule_obj.find("refs");
    if (it != rule_obj.end() && it->is_array())
      for (const json& r : *it)
        if (r.is_string()) out.push_back(r.get<std::string>());
  }
  return out;
}

const json* Ctx::find_with_fallback(std::string_view drug, std::string_view section,
                                    std::string_view code, std::string& id_out) {
  for (std::string_view scope : {drug, std::string_view("common")}) {
    if (scope.empty()) continue;
    std::string id = std::string(scope) + "." + std::string(section) + "." + std::string(code);
    const json& r = content::at(id);
    if (r.is_object()) {
      id_out = id;
      rule(id);
      return &r;
    }
  }
  return nullptr;
}

namespace {
bool has_code(const ojson& list, std::string_view code) {
  for (const auto& e : list)
    if (e.contains("code") && e["code"] == code) return true;
  return false;
}
std::string text_of(const json& r, std::string_view key) {
  auto it = r.find(key);
  return it != r.end() && it->is_string() ? it->get<std::string>() : std::string();
}
}  // namespace

void Ctx::warn(std::string_view drug, std::string_view code) {
  if (has_code(warnings, code)) return;
  std::string id;
  const json* r = find_with_fallback(drug, "warnings", code, id);
  if (!r) return;
  ojson w = ojson::object();
  w["code"] = std::string(code);
  w["severity"] = text_of(*r, "severity");
  w["text"] = text_of(*r, "text");
  w["refs"] = refs_of(*r);
  w["rule"] = id;
  warnings.push_back(std::move(w));
}

bool Ctx::has_warning(std::string_view code) const {
  return has_code(warnings, code);
}

void Ctx::monitor(std::string_view drug, std::string_view code) {
  if (has_code(monitoring, code)) return;
  std::string id;
  const json* r = find_with_fallback(drug, "monitoring", code, id);
  if (!r) return;
  ojson m = ojson::object();
  m["code"] = std::string(code);
  m["what"] = text_of(*r, "what");
  m["when"] = text_of(*r, "when");
  m["refs"] = refs_of(*r);
  m["rule"] = id;
  monitoring.push_back(std::move(m));
}

void Ctx::expect_response(std::string_view drug, std::string_view code) {
  if (has_code(expected_response, code)) return;
  std::string id;
  const json* r = find_with_fallback(drug, "expected_response", code, id);
  if (!r) return;
  ojson e = ojson::object();
  e["code"] = std::string(code);
  e["text"] = text_of(*r, "text");
  e["refs"] = refs_of(*r);
  e["rule"] = id;
  expected_response.push_back(std::move(e));
}

double round_to(double value, int places) {
  double scale = std::pow(10.0, places);
  // A small nudge keeps values such as 8.125 (stored as 8.12499...) rounding
  // the way a person rounding the printed number would.
  double scaled = value * scale;
  double nudge = std::copysign(1e-9, scaled);
  return std::round(scaled + nudge) / scale;
}

namespace {
std::optional<double> bound(const json& spec, const Request& req) {
  if (spec.is_number()) return spec.get<double>();
  if (spec.is_object() && spec.contains("limit")) {
    auto lim = req.num({"patient", "limits", spec["limit"].get<std::string>()});
    if (!lim) return std::nullopt;
    double times = spec.contains("times") ? spec["times"].get<double>() : 1.0;
    return *lim * times;
  }
  return std::nullopt;
}
}  // namespace

std::optional<bool> band_matches(const json& band, double value, const Request& req) {
  bool ok = true;
  for (const char* op : {"lt", "le", "gt", "ge"}) {
    auto it = band.find(op);
    if (it == band.end()) continue;
    auto b = bound(*it, req);
    if (!b) return std::nullopt;
    std::string_view o = op;
    if (o == "lt") ok = ok && value < *b;
    if (o == "le") ok = ok && value <= *b;
    if (o == "gt") ok = ok && value > *b;
    if (o == "ge") ok = ok && value >= *b;
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
