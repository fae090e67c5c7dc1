#include "plausibility.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "content.hpp"

namespace mtorcalc {

using namespace std::string_view_literals;

namespace {

// The rule's text with {value} and {converted} filled in.
std::string slip_text(const json& rule, double value, double converted) {
  std::string t = rule["text"sv].get<std::string>();
  for (const auto& [key, with] :
       {std::pair<std::string, std::string>{"{value}", plain_number(value)},
        {"{converted}", plain_number(converted)}})
    for (auto at = t.find(key); at != std::string::npos; at = t.find(key))
      t.replace(at, key.size(), with);
  return t;
}

double number_of(const json& rule, std::string_view key) {
  return rule[key].get<double>();
}

// What a value outside the schema's range probably meant, in the field's
// unit; nullopt when it fits no slip of the rule.
std::optional<double> meant(std::string_view field, const json& r, double v) {
  if (field == "height_cm") {
    if (v > number_of(r, "metres_at_most")) return std::nullopt;
    return v * number_of(r, "cm_per_m");
  }
  if (field == "albumin_g_dl") {
    const double g_dl = v / number_of(r, "g_l_per_g_dl");
    const json& ref = r["reference_g_dl"sv];
    if (g_dl < ref[0].get<double>() || g_dl > ref[1].get<double>()) return std::nullopt;
    return g_dl;
  }
  if (field == "creatinine_mg_dl") return v / number_of(r, "umol_l_per_mg_dl");
  return std::nullopt;
}

// The member a JSON Pointer of object keys names (the unit-slip fields sit
// in objects only, with plain names); nullptr when absent.
const json* at_pointer(const json& doc, const std::string& pointer) {
  const json* cur = &doc;
  std::size_t at = 0;
  while (at < pointer.size()) {
    std::size_t next = pointer.find('/', at + 1);
    if (next == std::string::npos) next = pointer.size();
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(pointer.substr(at + 1, next - at - 1));
    if (it == cur->end()) return nullptr;
    cur = &*it;
    at = next;
  }
  return cur;
}

// The serious warning for an in-range value that fits a unit slip; the
// value is used as entered.
void warn_slip(Ctx& ctx, const std::string& id, double value, double converted,
               std::string_view path) {
  const json& r = content::at(id);
  ctx.record_rule(id);
  ctx.warnings.push_back({{"code", "possible_unit_error"},
                          {"severity", "serious"},
                          {"text", slip_text(r, value, converted)},
                          {"path", path},
                          {"refs", Ctx::refs_of(r)}});
}

}  // namespace

void suggest_unit_slips(const json& doc, std::vector<RequestError>& errors) {
  if (!doc.is_object()) return;
  for (RequestError& e : errors) {
    if (e.code != ErrorCode::out_of_range || !e.min || !e.max) continue;
    const auto slash = e.path.rfind('/');
    if (slash == std::string::npos) continue;
    const std::string field = e.path.substr(slash + 1);
    const std::string id = "plausibility.unit_slip." + field;
    const json& r = content::at(id);
    if (!r.is_object()) continue;
    const json* value = at_pointer(doc, e.path);
    if (!value || !value->is_number()) continue;
    const double v = value->get<double>();
    auto converted = meant(field, r, v);
    // A suggestion is only made when the value it proposes would be accepted.
    if (!converted || *converted < *e.min || *converted > *e.max) continue;
    e.suggestion = slip_text(r, v, *converted);
    e.rule = id;
  }
}

void warn_lab_unit_slips(Ctx& ctx) {
  // Bilirubin grade 4 in mg/dL but at most grade 1 read as µmol/L.
  {
    const std::string id = "plausibility.unit_slip.bilirubin_mg_dl";
    const json& r = content::at(id);
    auto value = ctx.req.num({"patient", "labs", "bilirubin_mg_dl"});
    if (!value) value = ctx.req.num({"patient", "hepatic", "bilirubin_mg_dl"});
    if (r.is_object() && value) {
      const double uln = ctx.req.num({"patient", "limits", "bilirubin_uln_mg_dl"})
                             .value_or(number_of(r, "reference_upper_mg_dl"));
      const double converted = *value / number_of(r, "umol_l_per_mg_dl");
      if (*value > number_of(r, "flag_above_uln_times") * uln &&
          converted <= number_of(r, "converted_at_most_uln_times") * uln) {
        warn_slip(ctx, id, *value, converted, "/patient/labs/bilirubin_mg_dl");
      }
    }
  }
  // Calcium grade 4 in mg/dL while the same number in mmol/L is normal.
  {
    const std::string id = "plausibility.unit_slip.calcium_mg_dl";
    const json& r = content::at(id);
    auto value = ctx.req.num({"patient", "labs", "calcium_mg_dl"});
    if (r.is_object() && value) {
      const double converted = *value * number_of(r, "mg_dl_per_mmol_l");
      const json& ref = r["reference_mg_dl"sv];
      if (*value < number_of(r, "grade4_below_mg_dl") && converted >= ref[0].get<double>() &&
          converted <= ref[1].get<double>()) {
        warn_slip(ctx, id, *value, converted, "/patient/labs/calcium_mg_dl");
      }
    }
  }
}

}  // namespace mtorcalc
