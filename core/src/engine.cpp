#include "mtorcalc/engine.hpp"

#include <cmath>
#include <cstdint>
#include <set>

#include "content.hpp"
#include "derived.hpp"
#include "drugs.hpp"
#include "eval.hpp"
#include "request.hpp"
#include "sirolimus_family.hpp"

#ifndef MTORCALC_VERSION
#define MTORCALC_VERSION "0.0.0"
#endif

namespace mtorcalc {
namespace {

constexpr const char* contract_name = "mtor-calc/1";

ojson envelope() {
  ojson r = ojson::object();
  r["contract"] = contract_name;
  r["engine_version"] = MTORCALC_VERSION;
  r["content_version"] = content::version();
  return r;
}

// Whole numbers print without a fraction ("10", not "10.0") so that every
// entry point and every reader sees the same plain numbers.
// A "refs" list names each reference once, however many rules merged into it.
void normalise_numbers(ojson& j) {
  if (j.is_number_float()) {
    double v = j.get<double>();
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9007199254740992.0)
      j = static_cast<std::int64_t>(v);
  } else if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& key = it.key();
      bool is_refs =
          key == "refs" || (key.size() > 5 && key.compare(key.size() - 5, 5, "_refs") == 0);
      if (is_refs && it->is_array() && it->size() > 1) {
        ojson unique = ojson::array();
        for (const auto& r : *it) {
          bool seen = false;
          for (const auto& u : unique) seen = seen || u == r;
          if (!seen) unique.push_back(r);
        }
        *it = std::move(unique);
      } else {
        normalise_numbers(*it);
      }
    }
  } else if (j.is_array()) {
    for (auto& e : j) normalise_numbers(e);
  }
}

// ---- a faster writer with nlohmann's exact output ---------------------------
// Writes what j.dump(-1, ' ', false, error_handler_t::replace) writes, in one
// pass that appends runs of plain bytes at once (the serializer was the
// largest single cost of an evaluation). Text that is not valid UTF-8 (it
// cannot come from a validated request or the content) goes through
// nlohmann's own replacement rules.
bool valid_utf8(const std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  auto cont = [&](const unsigned char* q, unsigned char lo, unsigned char hi) {
    return q < end && *q >= lo && *q <= hi;
  };
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) {
      if (!cont(p + 1, 0x80, 0xBF)) return false;
      p += 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
      if (!cont(p + 1, lo, hi) || !cont(p + 2, 0x80, 0xBF)) return false;
      p += 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
      if (!cont(p + 1, lo, hi) || !cont(p + 2, 0x80, 0xBF) || !cont(p + 3, 0x80, 0xBF))
        return false;
      p += 4;
    } else {
      return false;
    }
  }
  return true;
}

void write_string(std::string& out, const std::string& s) {
  if (!valid_utf8(s)) {
    out += ojson(s).dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
    return;
  }
  out += '"';
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s, run, i - run);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        static const char hex[] = "0123456789abcdef";
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xF];
      }
    }
    run = i + 1;
  }
  out.append(s, run, std::string::npos);
  out += '"';
}

void write_json(std::string& out, const ojson& j) {
  switch (j.type()) {
    case ojson::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (!first) out += ',';
        first = false;
        write_string(out, it.key());
        out += ':';
        write_json(out, it.value());
      }
      out += '}';
      return;
    }
    case ojson::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& e : j) {
        if (!first) out += ',';
        first = false;
        write_json(out, e);
      }
      out += ']';
      return;
    }
    case ojson::value_t::string:
      write_string(out, j.get_ref<const std::string&>());
      return;
    case ojson::value_t::boolean:
      out += j.get<bool>() ? "true" : "false";
      return;
    case ojson::value_t::null:
      out += "null";
      return;
    case ojson::value_t::number_integer:
      out += std::to_string(j.get<std::int64_t>());
      return;
    case ojson::value_t::number_unsigned:
      out += std::to_string(j.get<std::uint64_t>());
      return;
    case ojson::value_t::number_float: {
      const double x = j.get<double>();
      if (!std::isfinite(x)) {
        out += "null";
      } else {
        char buf[64];
        char* e = nlohmann::detail::to_chars(buf, buf + sizeof buf, x);
        out.append(buf, e);
      }
      return;
    }
    default:
      out += j.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
      return;
  }
}

std::string dump(ojson& j) {
  normalise_numbers(j);
  // As j.dump(-1, ' ', false, replace): never throws on text that is not
  // valid UTF-8 (it cannot reach here from a validated request, but the
  // guarantee must not depend on it).
  std::string out;
  out.reserve(16384);
  write_json(out, j);
  return out;
}

std::string invalid(const std::vector<RequestError>& errors) {
  ojson r = envelope();
  r["status"] = "invalid_request";
  ojson errs = ojson::array();
  for (const auto& e : errors)
    errs.push_back(
        {{"path", e.path}, {"code", std::string(to_string(e.code))}, {"message", e.message}});
  r["errors"] = std::move(errs);
  r["derived"] = ojson::object();
  r["eligibility"] = nullptr;
  r["regimen"] = nullptr;
  r["titration"] = nullptr;
  r["toxicity"] = ojson::array();
  r["interactions"] = ojson::array();
  r["interactions_unrecognized"] = ojson::array();
  r["warnings"] = ojson::array();
  r["monitoring"] = ojson::array();
  r["references"] = ojson::array();
  return dump(r);
}

// Every string inside any "refs" array of the response, in first-use order.
void collect_refs(const ojson& j, std::vector<std::string>& out, std::set<std::string>& seen) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      // "refs", and the derived values' "<name>_refs" (bsa_refs, ...).
      const std::string& key = it.key();
      bool is_refs =
          key == "refs" || (key.size() > 5 && key.compare(key.size() - 5, 5, "_refs") == 0);
      if (is_refs && it->is_array()) {
        for (const auto& r : *it)
          if (r.is_string() && seen.insert(r.get<std::string>()).second)
            out.push_back(r.get<std::string>());
      } else {
        collect_refs(*it, out, seen);
      }
    }
  } else if (j.is_array()) {
    for (const auto& e : j) collect_refs(e, out, seen);
  }
}

ojson references_for(const ojson& response) {
  std::vector<std::string> ids;
  std::set<std::string> seen;
  collect_refs(response, ids, seen);
  ojson out = ojson::array();
  const json& all = content::at("references");
  for (const auto& id : ids) {
    auto it = all.find(id);
    ojson r = {{"id", id}};
    if (it != all.end()) {
      for (const char* k : {"title", "source", "section", "date", "verification", "note"})
        if (it->contains(k)) r[k] = (*it)[k].get<std::string>();
    } else {
      r["title"] = "(missing reference)";  // caught by the content tests
    }
    out.push_back(std::move(r));
  }
  return out;
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
      for (const auto& a : allowed) ok = ok || a == *freq;
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
}

std::string evaluate_valid(const json& doc) {
  Request req(doc);
  std::string indication = req.indication();
  const json& ind = content::at("indications." + indication);
  std::string labelled = ind.is_object() && ind["default_drug"].is_string()
                             ? ind["default_drug"].get<std::string>()
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
  if (!drug.empty() && ind.is_object() && ind.contains("drugs"))
    for (const auto& x : ind["drugs"]) covered = covered || x == drug;
  if (!covered)
    evaluate_unlabelled(ctx, drug);
  else if (drug == "everolimus")
    evaluate_everolimus(ctx, d);
  else if (drug == "sirolimus")
    evaluate_sirolimus(ctx, d);
  else if (drug == "sirolimus_topical")
    evaluate_sirolimus_topical(ctx, d);
  else if (drug == "temsirolimus")
    evaluate_temsirolimus(ctx, d);
  else if (drug == "nab_sirolimus")
    evaluate_nab_sirolimus(ctx, d);
  else
    evaluate_unlabelled(ctx, drug);

  if (ctx.eligibility.is_object() && !req.has({"drug"}))
    ctx.eligibility["drug_chosen_by"] = "engine";
  if (choice) record_drug_choice(ctx, *choice);

  ojson r = envelope();
  r["status"] = "ok";
  r["errors"] = ojson::array();
  r["derived"] = std::move(ctx.derived);
  r["eligibility"] = std::move(ctx.eligibility);
  r["regimen"] = std::move(ctx.regimen);
  r["titration"] = std::move(ctx.titration);
  r["toxicity"] = std::move(ctx.toxicity);
  r["interactions"] = std::move(ctx.interactions);
  r["interactions_unrecognized"] = std::move(ctx.interactions_unrecognized);
  r["warnings"] = std::move(ctx.warnings);
  r["monitoring"] = std::move(ctx.monitoring);
  r["expected_response"] = std::move(ctx.expected_response);
  ojson rules = ojson::array();
  ojson unverified = ojson::array();
  for (const auto& id : ctx.rules) {
    rules.push_back(id);
    const json& rule = content::at(id);
    std::string v = rule.value("verification", "confirmed");
    if (v != "confirmed") {
      ojson u = {{"rule", id}, {"verification", v}};
      if (rule.contains("verification_note"))
        u["note"] = rule["verification_note"].get<std::string>();
      unverified.push_back(std::move(u));
    }
  }
  r["rules"] = std::move(rules);
  r["unverified_rules"] = std::move(unverified);
  r["references"] = references_for(r);
  return dump(r);
}

}  // namespace

std::string evaluate(std::string_view request_text) noexcept {
  try {
    Parsed p = parse_and_validate(request_text);
    if (!p.errors.empty()) return invalid(p.errors);
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
    ojson out = ojson::object();
    out["content_version"] = content::version();
    out["content"] = ojson::parse(content::all().dump());
    return dump(out);
  } catch (...) {
    return "{}";
  }
}

}  // namespace mtorcalc
