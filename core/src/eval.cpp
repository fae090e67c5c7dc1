#include "eval.hpp"

#include <cmath>

#include "writer.hpp"

namespace mtorcalc {

using namespace std::string_view_literals;

const json& Ctx::rule(std::string_view id) {
  // One lookup gives both the rule and its entry in "rules".
  return use_rule(rule_entry(id));
}

const json& Ctx::use_rule(const RuleEntry& entry) {
  if (entry.listed) record_rule(entry);
  return *entry.rule;
}

const RuleEntry& rule_entry(std::string_view id) {
  return prepared<RuleEntry>(id, [&] {
    RuleEntry e;
    ResponseWriter quoted;
    quoted.write_string(id);
    e.id_json = quoted.take();
    const json& rule = content::at(id);
    e.rule = &rule;
    e.listed = rule.is_object() && rule.contains("refs"sv);
    auto v = rule.find("verification"sv);
    const std::string verification =
        v != rule.end() && v->is_string() ? v->get<std::string>() : std::string("confirmed");
    if (verification != "confirmed"sv) {
      ojson u = {{"rule", std::string(id)}, {"verification", verification}};
      auto note = rule.find("verification_note"sv);
      if (note != rule.end() && note->is_string()) u["note"sv] = note->get<std::string>();
      e.unverified_json = make_fragment("", u).text;
    }
    return e;
  });
}

void Ctx::record_rule(std::string_view id) {
  record_rule(rule_entry(id));
}

void Ctx::record_rule(const RuleEntry& entry) {
  // Entries are compared by address: no string is copied or compared per
  // request.
  for (const RuleEntry* x : rules)
    if (x == &entry) return;
  rules.push_back(&entry);
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

// An item of a response list, prepared from its content rule once (see
// prepared.hpp).
struct PreparedItem {
  Fragment fragment;
  const RuleEntry* rule = nullptr;
};

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

// The item for (section, drug, code, rule code, scope); nullptr when the
// content has no such rule.
const PreparedItem* prepared_item(Section section, std::string_view drug, std::string_view code,
                                  std::string_view rule_code, Scope scope) {
  thread_local std::string scratch;
  const std::string& key = join_key_into(
      scratch,
      {to_string(section), scope == Scope::drug_only ? "drug" : "common", drug, code, rule_code});
  const auto& item = prepared<std::optional<PreparedItem>>(key, [&] {
    std::optional<PreparedItem> p;
    for (std::string_view where : {drug, std::string_view("common")}) {
      if (where.empty()) continue;
      std::string id =
          std::string(where) + "." + std::string(to_string(section)) + "." + std::string(rule_code);
      const RuleEntry& entry = rule_entry(id);
      const json& r = *entry.rule;
      if (r.is_object()) {
        p.emplace();
        p->fragment = make_fragment(std::string(code), item_json(section, code, r, id));
        p->rule = &entry;
        break;
      }
      if (scope == Scope::drug_only) break;
    }
    return p;
  });
  return item ? &*item : nullptr;
}

}  // namespace

const Fragment& coded_text(std::string_view rule_id, std::string_view code) {
  thread_local std::string key;
  return prepared<Fragment>(join_key_into(key, {"coded", rule_id, code}), [&] {
    const json& r = content::at(rule_id);
    ojson o = {
        {"code", std::string(code)}, {"text", r.value("text"sv, "")}, {"refs", Ctx::refs_of(r)}};
    return make_fragment(std::string(code), o);
  });
}

bool list_has_code(const ojson& list, std::string_view code) {
  for (const auto& e : list) {
    if (const Fragment* f = fragment_of(e)) {
      if (f->code == code) return true;
    } else if (e.is_object() && e.contains("code"sv) && is_string_equal(e["code"sv], code)) {
      return true;
    }
  }
  return false;
}

void Ctx::add_item(Section section, std::string_view drug, std::string_view code,
                   std::string_view rule_code, Scope scope) {
  ojson& list = section == Section::warnings     ? warnings
                : section == Section::monitoring ? monitoring
                                                 : expected_response;
  if (list_has_code(list, code)) return;
  const PreparedItem* p = prepared_item(section, drug, code, rule_code, scope);
  if (!p) return;
  use_rule(*p->rule);
  list.push_back(fragment_node(p->fragment));
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
