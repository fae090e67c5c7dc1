// The request layer: structure and types, ranges and enumerations, all errors
// at once, each located by a JSON Pointer (CONTRACT.md "errors").
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <string_view>

#include "helpers.hpp"
#include "request.hpp"
#include "request_schema.hpp"

using namespace test;

TEST_CASE("malformed JSON is located at the whole text") {
  json r = eval_text("{\"contract\": \"mtor-calc/1\", \"indication\": ");
  CHECK(r["status"] == "invalid_request");
  CHECK(has_error(r, "", "malformed_json"));
  CHECK(r["eligibility"].is_null());
  CHECK(r["references"].empty());
}

TEST_CASE("empty text, non-object and invalid UTF-8 are answered, not thrown") {
  CHECK(eval_text("")["status"] == "invalid_request");
  CHECK(has_error(eval_text("[1,2]"), "", "wrong_type"));
  CHECK(has_error(eval_text("{\"contract\": \"mtor-calc/1\", \"indication\": \"\xff\xfe\"}"), "",
                  "malformed_json"));
  CHECK(has_error(eval_text("nul"), "", "malformed_json"));
}

TEST_CASE("required fields") {
  json r = eval(json::object());
  CHECK(has_error(r, "/contract", "missing_required"));
  CHECK(has_error(r, "/indication", "missing_required"));
}

TEST_CASE("every error is reported at once, each with its path") {
  json req = base("rcc");
  req["patient"] = {{"age_years", "58"}, {"weight_kg", 900}, {"sex", "other"}, {"wieght_kg", 80}};
  req["condition"] = {{"rcc", {{"histology", "clear"}, {"advanced", "yes"}}}};
  json r = eval(req);
  CHECK(r["status"] == "invalid_request");
  CHECK(has_error(r, "/patient/age_years", "wrong_type"));
  CHECK(has_error(r, "/patient/weight_kg", "out_of_range"));
  CHECK(has_error(r, "/patient/sex", "unknown_value"));
  CHECK(has_error(r, "/patient/wieght_kg", "unknown_field"));
  CHECK(has_error(r, "/condition/rcc/histology", "unknown_value"));
  CHECK(has_error(r, "/condition/rcc/advanced", "wrong_type"));
  CHECK(r["errors"].size() == 6);
}

TEST_CASE("contract and indication values are checked") {
  json r = eval({{"contract", "mtor-calc/2"}, {"indication", "melanoma"}});
  CHECK(has_error(r, "/contract", "unknown_value"));
  CHECK(has_error(r, "/indication", "unknown_value"));
}

TEST_CASE("range boundaries are inclusive on both sides") {
  json ok = base("rcc");
  ok["patient"] = {{"age_years", 0}, {"weight_kg", 0.5}, {"height_cm", 250}};
  CHECK(eval(ok)["status"] == "ok");
  json bad = base("rcc");
  bad["patient"] = {{"age_years", -0.01}, {"weight_kg", 0.49}, {"height_cm", 250.01}};
  json r = eval(bad);
  CHECK(has_error(r, "/patient/age_years", "out_of_range"));
  CHECK(has_error(r, "/patient/weight_kg", "out_of_range"));
  CHECK(has_error(r, "/patient/height_cm", "out_of_range"));
}

TEST_CASE("integers must be whole; adverse events need term and grade") {
  json req = base("rcc");
  req["patient"] = {{"karnofsky", 75.5}};
  req["adverse_events"] = json::array({{{"grade", 6}}, {{"term", "rash"}, {"grade", 2}}});
  json r = eval(req);
  CHECK(has_error(r, "/patient/karnofsky", "wrong_type"));
  CHECK(has_error(r, "/adverse_events/0/grade", "out_of_range"));
  CHECK(has_error(r, "/adverse_events/0/term", "missing_required"));
  CHECK(has_error(r, "/adverse_events/1/term", "unknown_value"));
}

TEST_CASE("duplicate keys are inconsistent, not silently dropped") {
  json r = eval_text(
      R"({"contract":"mtor-calc/1","indication":"rcc","patient":{"weight_kg":70,"weight_kg":7}})");
  CHECK(r["status"] == "invalid_request");
  CHECK(has_error(r, "/patient/weight_kg", "inconsistent"));
}

TEST_CASE("duplicate keys are found among few keys and among thousands") {
  // The parser scans a short object's keys and keeps a long one's in a set;
  // a repeat is found on both sides of the switch and at its edge.
  for (int fields : {2, 31, 32, 33, 34, 100, 20000}) {
    for (int repeat_of : {0, fields / 2, fields - 1}) {
      std::string text = R"({"contract":"mtor-calc/1","indication":"rcc","patient":{)";
      for (int i = 0; i < fields; ++i) text += "\"f" + std::to_string(i) + "\":1,";
      text += "\"f" + std::to_string(repeat_of) + "\":2}}";
      json r = eval_text(text);
      INFO(fields << " fields, repeat of f" << repeat_of);
      CHECK(has_error(r, "/patient/f" + std::to_string(repeat_of), "inconsistent"));
    }
  }
}

TEST_CASE("numbers that overflow and deep nesting are rejected with bounds") {
  json r =
      eval_text(R"({"contract":"mtor-calc/1","indication":"rcc","patient":{"weight_kg":1e999}})");
  CHECK(r["status"] == "invalid_request");
  std::string deep = R"({"contract":"mtor-calc/1","indication":"rcc","patient":)";
  for (int i = 0; i < 5000; ++i) deep += "[";
  r = eval_text(deep);
  CHECK(r["status"] == "invalid_request");
  CHECK(has_error(r, "", "out_of_range"));
}

TEST_CASE("Child-Pugh class contradicting its components is inconsistent") {
  json req = base("rcc");
  req["patient"]["hepatic"] = {{"child_pugh_class", "A"}, {"bilirubin_mg_dl", 3.5},
                               {"albumin_g_dl", 2.5},     {"inr", 2.5},
                               {"ascites", "moderate"},   {"encephalopathy", "grade_3_4"}};
  CHECK(has_error(eval(req), "/patient/hepatic/child_pugh_class", "inconsistent"));
}

TEST_CASE("a form the drug does not have is inconsistent") {
  json req = base("rcc");
  req["drug"] = "everolimus";
  req["therapy"] = {{"form", "iv_infusion"}};
  CHECK(has_error(eval(req), "/therapy/form", "inconsistent"));
}

TEST_CASE("null means not given") {
  json req = base("rcc");
  req["patient"] = {{"age_years", nullptr}};
  CHECK(eval(req)["status"] == "ok");
}

// ---- the schema's own consistency (request_schema.hpp) ---------------------

namespace {
void check_spec(const mtorcalc::request_schema::Spec& s, const std::string& path, int& objects) {
  using K = mtorcalc::request_schema::Spec::Kind;
  INFO(path);
  switch (s.kind) {
    case K::number:
    case K::integer:
      CHECK(s.lo <= s.hi);
      break;
    case K::enumeration:
      CHECK_FALSE(s.values.empty());
      for (std::string_view v : s.values) CHECK_FALSE(v.empty());
      break;
    case K::object:
    case K::object_array: {
      ++objects;
      CHECK_FALSE(s.fields.empty());
      std::set<std::string_view> names;
      for (const auto& f : s.fields) {
        CHECK(names.insert(f.name).second);  // each field once
        check_spec(f.spec, path + "/" + std::string(f.name), objects);
      }
      for (std::string_view r : s.required) CHECK(names.count(r) == 1);  // required fields exist
      break;
    }
    default:
      break;
  }
}
}  // namespace

TEST_CASE("the request schema: fields unique, required fields declared, ranges ordered") {
  int objects = 0;
  check_spec(mtorcalc::request_schema::kSchema, "", objects);
  CHECK(objects > 10);
  // The contract's two required fields.
  const auto& root = mtorcalc::request_schema::kSchema;
  REQUIRE(root.required.size == 2);
  CHECK(root.required.data[0] == "contract");
  CHECK(root.required.data[1] == "indication");
}

TEST_CASE("typed access finds every path, and only that path, whatever the keys") {
  // The lookup table hashes a key by its length and its first, middle and
  // last bytes, so these keys collide on purpose: the answer must still be
  // the member asked for, never its neighbour.
  const json doc = json::parse(R"({
    "patient": {"axxb": 1, "ayxb": 2, "labs": {"axxb": 3}, "": 4, "é": 5},
    "axxb": {"patient": 6},
    "list": [{"axxb": 7}],
    "flag": true, "name": "x", "names": ["a", 1, "b"]
  })");
  const mtorcalc::Request req(doc);
  CHECK(req.num({"patient", "axxb"}) == 1.0);
  CHECK(req.num({"patient", "ayxb"}) == 2.0);
  CHECK(req.num({"patient", "labs", "axxb"}) == 3.0);
  CHECK(req.num({"patient", ""}) == 4.0);
  CHECK(req.num({"patient", "é"}) == 5.0);
  CHECK(req.num({"axxb", "patient"}) == 6.0);
  CHECK_FALSE(req.num({"patient", "azxb"}));       // same hash, absent
  CHECK_FALSE(req.num({"labs", "axxb"}));          // a member's path, not from the root
  CHECK_FALSE(req.num({"list", "axxb"}));          // inside an array: not a path of keys
  CHECK_FALSE(req.num({"patient", "axxb", "x"}));  // below a number
  CHECK(req.node({"patient", "labs"}).is_object());
  CHECK(&req.node({}) == &doc);
  CHECK(req.flag({"flag"}) == true);
  CHECK(req.str({"name"}) == std::optional<std::string>("x"));
  CHECK(req.strings({"names"}) == std::vector<std::string>{"a", "b"});
  CHECK_FALSE(req.has({"missing"}));

  // Many members at one level: every one is found through the table.
  json wide = json::object();
  for (int i = 0; i < 500; ++i) wide["k" + std::to_string(i)] = i;
  const json big = {{"w", wide}};
  const mtorcalc::Request req_big(big);
  for (int i = 0; i < 500; ++i) {
    const std::string key = "k" + std::to_string(i);
    CHECK(req_big.num({"w", key}) == static_cast<double>(i));
  }
  const json array = json::array({1, 2});
  const mtorcalc::Request not_object(array);
  CHECK_FALSE(not_object.has({"w"}));
}

namespace {
// Walks the schema and calls f(name, spec) for every number field.
template <class F>
void each_number(const mtorcalc::request_schema::Spec& s, F&& f) {
  for (const auto& field : s.fields) {
    if (field.spec.kind == mtorcalc::request_schema::Spec::Kind::number ||
        field.spec.kind == mtorcalc::request_schema::Spec::Kind::integer)
      f(field.name, field.spec);
    each_number(field.spec, f);
  }
}
}  // namespace

TEST_CASE("every number field has a unit in its name, or is one of the unitless few") {
  const std::set<std::string_view> unitless = {"inr", "karnofsky", "metastatic_organ_sites",
                                               "grade"};
  each_number(mtorcalc::request_schema::kSchema, [&](std::string_view name, const auto&) {
    CAPTURE(name);
    CHECK(mtorcalc::unit_of_field(name).empty() == (unitless.count(name) == 1));
  });
  CHECK(mtorcalc::unit_of_field("bilirubin_mg_dl") == "mg/dL");
  CHECK(mtorcalc::unit_of_field("current_dose_mg") == "mg");
  CHECK(mtorcalc::unit_of_field("growth_cm_per_year") == "cm/year");
  CHECK(mtorcalc::unit_of_field("days_on_current_dose") == "days");
}

TEST_CASE("an out_of_range error carries the schema's bounds and the field's unit") {
  json req = base("rcc");
  req["patient"] = {{"height_cm", 251}, {"bsa_m2", 0.05}};
  json r = eval(req);
  bool height = false, bsa = false;
  for (const auto& e : r["errors"]) {
    if (e["path"] == "/patient/height_cm") {
      height = true;
      CHECK(e["min"] == 30);
      CHECK(e["max"] == 250);
      CHECK(e["unit"] == "cm");
      CHECK_FALSE(e.contains("suggestion"));
    }
    if (e["path"] == "/patient/bsa_m2") {
      bsa = true;
      CHECK(e["min"] == 0.1);
      CHECK(e["unit"] == "m\xC2\xB2");
    }
  }
  CHECK(height);
  CHECK(bsa);
}

TEST_CASE("a number too large for a double is located with its field's bounds") {
  json r = eval_text(
      "{\"contract\": \"mtor-calc/1\", \"indication\": \"rcc\", \"adverse_events\": "
      "[{\"term\": \"stomatitis\", \"grade\": 1e999}]}");
  REQUIRE(r["errors"].size() == 1);
  const json& e = r["errors"][0];
  CHECK(e["code"] == "out_of_range");
  CHECK(e["min"] == 1);
  CHECK(e["max"] == 5);
  CHECK_FALSE(e.contains("unit"));
  json w = eval_text(
      "{\"contract\": \"mtor-calc/1\", \"indication\": \"rcc\", \"patient\": "
      "{\"weight_kg\": 1e999}}");
  CHECK(w["errors"][0]["max"] == 400);
  CHECK(w["errors"][0]["unit"] == "kg");
}
