// From a response tree to an answer's text (core/src/writer.cpp), and the
// content as the page gets it (content_json).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "content.hpp"
#include "helpers.hpp"
#include "writer.hpp"

using mtorcalc::ojson;
using test::json;

namespace {

std::string written(ojson j, std::vector<std::string>* ids = nullptr) {
  std::vector<std::string> seen;
  mtorcalc::normalise(j, ids ? *ids : seen);
  return mtorcalc::dump_answer(j);
}

}  // namespace

TEST_CASE("characters beyond ASCII are written as escapes that read back as the same text") {
  CHECK(written(ojson("5 \xC2\xB5g")) == "\"5 \\u00b5g\"");           // U+00B5, two bytes
  CHECK(written(ojson("\xE2\x89\xA5 10")) == "\"\\u2265 10\"");       // U+2265, three bytes
  CHECK(written(ojson("\xF0\x9F\x92\x8A")) == "\"\\ud83d\\udc8a\"");  // U+1F48A, a pair
  CHECK(written(ojson("\xEF\xBF\xBF\xF4\x8F\xBF\xBF")) == "\"\\uffff\\udbff\\udfff\"");  // the ends
  for (const char* text :
       {"µg/L ≥ 5 — 10 mg/m²", "emoji \xF0\x9F\x92\x8A", "\xC2\x80\xDF\xBF\xE0\xA0\x80"}) {
    const std::string out = written(ojson(text));
    CHECK(std::all_of(out.begin(), out.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
    CHECK(ojson::parse(out).get<std::string>() == text);
  }
}

TEST_CASE("DEL is ASCII and stays as it is; an escaped backslash before u007f stays escaped") {
  CHECK(written(ojson("a\x7f" "b")) == "\"a\x7f" "b\"");
  CHECK(written(ojson("\\u007f")) == "\"\\\\u007f\"");
  CHECK(written(ojson("\\\x7f")) == "\"\\\\\x7f\"");
  CHECK(written(ojson("tab\tquote\"\x01")) == "\"tab\\tquote\\\"\\u0001\"");
}

TEST_CASE("whole numbers print without a fraction; others as nlohmann prints them") {
  CHECK(written(ojson(10.0)) == "10");
  CHECK(written(ojson(-3.0)) == "-3");
  CHECK(written(ojson(-0.0)) == "0");
  CHECK(written(ojson(2.5)) == "2.5");
  CHECK(written(ojson(0.1)) == ojson(0.1).dump());
  CHECK(written(ojson(7.125)) == "7.125");
  // At and beyond 2^53 a double no longer names one integer: printed as a double.
  CHECK(written(ojson(9007199254740991.0)) == "9007199254740991");
  CHECK(written(ojson(9007199254740992.0)) == ojson(9007199254740992.0).dump());
  CHECK(written(ojson(std::nan(""))) == "null");
  CHECK(written(ojson(std::numeric_limits<double>::infinity())) == "null");
  CHECK(written(ojson::array({1.0, ojson::object({{"x", 2.0}})})) == "[1,{\"x\":2}]");
}

TEST_CASE("text that is not valid UTF-8 is replaced, never thrown") {
  for (const std::string& s :
       {std::string("bad \xff byte"), std::string("cut \xE2\x82"), std::string("overlong \xC0\xAF"),
        std::string("surrogate \xED\xA0\x80"), std::string("\xF4\x90\x80\x80 beyond U+10FFFF")}) {
    CHECK(written(ojson({{"text", s}})).find("\\ufffd") != std::string::npos);
  }
}

TEST_CASE("a refs list names each reference once; other lists keep repeats") {
  ojson j = {{"refs", {"a", "b", "a", "c", "b"}},
             {"items", {"x", "x"}},
             {"nested", {{"bsa_refs", {"d", "d"}}, {"refs", {"a"}}}},
             {"prefs", {"e", "e"}}};
  CHECK(written(j) ==
        R"({"refs":["a","b","c"],"items":["x","x"],"nested":{"bsa_refs":["d"],"refs":["a"]},)"
        R"("prefs":["e","e"]})");
}

TEST_CASE("reference ids are collected in first-use order, once each") {
  ojson j = {{"warnings", {{{"refs", {"r2", "r1"}}}, {{"refs", {"r1", "r3"}}}}},
             {"derived", {{"bsa_refs", {"r4", "r2"}}}},
             {"other", {{"ids", {"r9"}}}}};
  std::vector<std::string> ids;
  (void)written(j, &ids);
  CHECK(ids == std::vector<std::string>{"r2", "r1", "r3", "r4"});
}

TEST_CASE("the references section comes from the content") {
  const json& refs = mtorcalc::content::at("references");
  REQUIRE(refs.is_object());
  const std::string id = refs.begin().key();
  const ojson list = mtorcalc::references_of({id, "no-such-reference"});
  REQUIRE(list.size() == 2);
  CHECK(list[0]["id"] == id);
  CHECK(list[0]["title"] == refs[id]["title"].get<std::string>());
  CHECK(list[0]["source"] == refs[id]["source"].get<std::string>());
  CHECK(list[1]["id"] == "no-such-reference");
  CHECK(list[1]["title"] == "(missing reference)");
}

TEST_CASE("content_json() is valid JSON holding every content file unchanged") {
  json c = json::parse(mtorcalc::content_json(), nullptr, false);
  REQUIRE(!c.is_discarded());
  CHECK(c["content_version"] == mtorcalc::content::version());
  const json& all = mtorcalc::content::all();
  CHECK(c["content"].size() == all.size());
  for (const auto& [stem, doc] : all.items()) {
    const std::string name = stem;  // captured by doctest (no structured bindings in C++17 clang)
    CHECK_MESSAGE(c["content"][name] == doc, name);
  }
}

TEST_CASE("content lookups by dotted path reach every file and stop at missing keys") {
  using namespace mtorcalc::content;
  CHECK(at("manifest").is_object());
  CHECK(at("manifest.content_version").is_string());
  CHECK(at("no_such_file").is_null());
  CHECK(at("no_such_file.x").is_null());
  CHECK(at("manifest.no_such_key").is_null());
  CHECK(at("manifest.").is_null());
  CHECK(at("").is_null());
  for (const auto& [stem, doc] : all().items()) {
    const std::string name = stem;
    CHECK_MESSAGE(at(name) == doc, name);
  }
  // Reference ids hold dots: a member is found by its exact key.
  CHECK(member("references", "afinitor-pi-2.1").is_object());
  CHECK(member("references", "afinitor-pi-2.1") == all()["references"]["afinitor-pi-2.1"]);
  CHECK(member("references", "no-such-reference").is_null());
  CHECK(member("no_such_file", "x").is_null());
}
