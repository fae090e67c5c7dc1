// Names the engine's sources spell out as text, where a typo would fail
// silently (a request path that is never given, a rule that is never
// found): every request path literal in core/src must exist in the request
// schema, and every rule id or rule code named there must exist in content/.
// The sources are read at test time, so a new name is checked as soon as
// it is written.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "content.hpp"
#include "drugs.hpp"
#include "helpers.hpp"
#include "request_schema.hpp"

namespace {

using mtorcalc::request_schema::Field;
using mtorcalc::request_schema::Spec;
using test::json;

// Whether the path of keys exists in the request schema (an array of
// objects takes an index, or "-", before its items' fields).
bool in_schema(const std::vector<std::string>& path) {
  const Spec* spec = &mtorcalc::request_schema::kSchema;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::string& key = path[i];
    if (spec->kind == Spec::Kind::object_array &&
        (key == "-" || key.find_first_not_of("0123456789") == std::string::npos))
      continue;
    if (spec->kind != Spec::Kind::object && spec->kind != Spec::Kind::object_array) return false;
    const Spec* child = nullptr;
    for (const Field& f : spec->fields)
      if (f.name == key) child = &f.spec;
    if (!child) return false;
    spec = child;
  }
  return true;
}

// Every key of every content object, with the key of the object holding it:
// ("warnings", "pneumonitis") for "everolimus.warnings.pneumonitis".
void collect_keys(const json& node, const std::string& parent,
                  std::set<std::pair<std::string, std::string>>& out) {
  if (!node.is_object()) return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    out.insert({parent, it.key()});
    collect_keys(*it, it.key(), out);
  }
}

const std::set<std::pair<std::string, std::string>>& content_keys() {
  static const std::set<std::pair<std::string, std::string>> keys = [] {
    std::set<std::pair<std::string, std::string>> k;
    collect_keys(mtorcalc::content::all(), "", k);
    return k;
  }();
  return keys;
}

// A dotted id names a content value; one ending in '.' is a prefix the code
// completes at run time, and the part given must exist.
bool in_content(std::string id) {
  if (!id.empty() && id.back() == '.') id.pop_back();
  return !mtorcalc::content::at(id).is_null();
}

std::vector<std::string> string_literals(const std::string& list) {
  std::vector<std::string> out;
  static const std::regex item(R"re(\s*(?:"([^"]*)"|([^,]+))\s*(?:,|$))re");
  for (auto it = std::sregex_iterator(list.begin(), list.end(), item); it != std::sregex_iterator();
       ++it) {
    if (!(*it)[1].matched) break;  // a name given at run time: the literal prefix is checked
    out.push_back((*it)[1].str());
  }
  return out;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, sep);) out.push_back(part);
  return out;
}

struct Names {
  std::size_t checked = 0;
  std::vector<std::string> unknown;  // "file: what"
};

// Checks one source file's text.
void check_source(const std::string& file, const std::string& text, Names& names) {
  auto each = [&](const std::regex& re, auto&& check) {
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
         ++it) {
      ++names.checked;
      if (!check(*it)) names.unknown.push_back(file + ": " + it->str());
    }
  };

  // Request paths as key lists: req.num({"patient", "labs", "anc_per_ul"}),
  // and any list of literals that starts at a request object.
  static const std::regex call_path(R"re(\b(?:num|str|flag|has|strings|node)\(\{([^{}]*)\}\))re");
  each(call_path, [](const std::smatch& m) { return in_schema(string_literals(m[1].str())); });
  static const std::regex list_path(
      R"re(\{("(?:patient|condition|therapy)"(?:\s*,\s*"[a-z0-9_]+")+)\})re");
  each(list_path, [](const std::smatch& m) { return in_schema(string_literals(m[1].str())); });
  // Request paths as JSON Pointers: "/patient/hepatic/inr" (a prefix the
  // code completes ends in '/').
  static const std::regex pointer(R"re("/((?:patient|condition|therapy|adverse_events)(?:/[a-z0-9_-]*)*)")re");
  each(pointer, [](const std::smatch& m) {
    std::vector<std::string> path = split(m[1].str(), '/');
    return in_schema(path);
  });

  // Rule ids written whole: rule("everolimus.tdm"), content::at("scores").
  static const std::regex whole_id(
      R"re(\b(?:rule|rule_num|record_rule|coded_text|content::at)\(\s*"([a-z_][a-z0-9_]*(?:\.[A-Za-z0-9_-]*)*)")re");
  each(whole_id, [](const std::smatch& m) { return in_content(m[1].str()); });
  // Rule ids after the file's drug: std::string(drug) + ".tdm".
  static const std::regex drug_name(R"re(constexpr const char\* drug = "([a-z_]+)";)re");
  std::smatch d;
  if (std::regex_search(text, d, drug_name)) {
    const std::string drug = d[1].str();
    static const std::regex after_drug(R"re(std::string\(drug\)\s*\+\s*"(\.[A-Za-z0-9_.-]*)")re");
    each(after_drug, [&](const std::smatch& m) { return in_content(drug + m[1].str()); });
  }
  // Rule codes, looked up under the drug, the indication or "common": each
  // must exist as a key of that kind somewhere in content.
  static const std::regex item_code(
      R"re(\b(warn|monitor|expect_response)\(\s*[A-Za-z_"][^,()]*,\s*"([a-z0-9_]+)"\))re");
  static const std::regex monitor_as(R"re(\bmonitor_as\([^,()]+,\s*"[a-z0-9_]+",\s*"([a-z0-9_]+)"\))re");
  static const std::regex scoped_code(R"re(\b(criterion|note|alternative|has_warning)\(\s*"([a-z0-9_]+)")re");
  auto kind_of = [](const std::string& call) -> std::string {
    if (call == "warn" || call == "has_warning") return "warnings";
    if (call == "monitor") return "monitoring";
    if (call == "expect_response") return "expected_response";
    if (call == "criterion") return "criteria";
    if (call == "note") return "notes";
    return "alternatives";
  };
  each(item_code, [&](const std::smatch& m) {
    return content_keys().count({kind_of(m[1].str()), m[2].str()}) > 0;
  });
  each(monitor_as, [](const std::smatch& m) {
    return content_keys().count({"monitoring", m[1].str()}) > 0;
  });
  each(scoped_code, [&](const std::smatch& m) {
    return content_keys().count({kind_of(m[1].str()), m[2].str()}) > 0;
  });
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("every request path and rule name written in core/src exists") {
  const std::filesystem::path dir = std::filesystem::path(MTORCALC_SOURCE_DIR) / "core" / "src";
  REQUIRE(std::filesystem::is_directory(dir));
  Names names;
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".cpp") continue;
    ++files;
    check_source(entry.path().filename().string(), read(entry.path()), names);
  }
  for (const std::string& u : names.unknown) FAIL_CHECK("not in the schema or content: " << u);
  MESSAGE(files << " sources, " << names.checked << " names checked");
  CHECK(files > 10);
  CHECK(names.checked > 300);
}

TEST_CASE("a misspelt name is caught, of every kind") {
  const char* const typos[] = {
      R"(auto v = ctx.req.num({"patient", "labs", "anc_per_uL"});)",
      R"(first_num(req, {"patient", "hepatc", "albumin_g_dl"}, {"patient", "labs", "albumin_g_dl"});)",
      R"(e.criterion("adult", adult, {"/patient/age_year"});)",
      R"(const json& t = ctx.rule("everolimus.tmd");)",
      R"(constexpr const char* drug = "sirolimus"; ctx.rule(std::string(drug) + ".rounding_");)",
      R"(ctx.warn(drug, "hypersensitivty");)",
      R"(ctx.monitor(drug, "trough_");)",
      R"(ctx.monitor_as(drug, "trough", "trough_sega_");)",
      R"(ctx.expect_response(drug, "amll");)",
      R"(e.criterion("adulthood", adult);)",
      R"(e.note("tsc_assume");)",
      R"(e.alternative("surgeries");)",
  };
  for (const char* text : typos) {
    Names names;
    check_source("typo", text, names);
    CHECK_MESSAGE(names.unknown.size() == 1, std::string(text));
  }
  // The same lines spelt right pass.
  const char* const right[] = {
      R"(auto v = ctx.req.num({"patient", "labs", "anc_per_ul"});)",
      R"(const json& t = ctx.rule("everolimus.tdm");)",
      R"(constexpr const char* drug = "sirolimus"; ctx.rule(std::string(drug) + ".rounding");)",
      R"(e.note("tsc_assumed");)",
  };
  for (const char* text : right) {
    Names names;
    check_source("right", text, names);
    CHECK_MESSAGE(names.unknown.empty(), std::string(text));
    CHECK_MESSAGE(names.checked >= 1, std::string(text));
  }
}

TEST_CASE("the monitoring items each labelled use closes with exist in content") {
  std::size_t codes = 0;
  for (const mtorcalc::LabelledUse& use : mtorcalc::kLabelledUses)
    for (std::string_view code : use.monitoring) {
      if (code.empty()) continue;
      ++codes;
      const std::string own = std::string(use.drug) + ".monitoring." + std::string(code);
      const std::string common = "common.monitoring." + std::string(code);
      const bool found = in_content(own) || in_content(common);
      CHECK_MESSAGE(found, own);
    }
  CHECK(codes > 10);
}
