// The JSON reader (json_reader.cpp) against nlohmann's parser, which it
// replaces for the embedded content and for requests it accepts: the same
// value with the same number types, or a discarded value for the same
// malformed text.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "../common/same_json.hpp"
#include "content_data.hpp"
#include "json_reader.hpp"

using mtorcalc::DuplicateKeys;
using mtorcalc::json;
using mtorcalc::read_json;
using test_json::same;

namespace {

mtorcalc::json parse_content_json(const std::string& text) {
  return read_json(text, mtorcalc::content::kContentReadLimits);
}

// The reader agrees with nlohmann on `text`.
void check_agrees(const std::string& text) {
  const json expected = json::parse(text, nullptr, false);
  const json got = parse_content_json(text);
  INFO("text: " << text);
  CHECK(got.is_discarded() == expected.is_discarded());
  CHECK(same(got, expected));
}

}  // namespace

TEST_CASE("json reader: every embedded file and member reads as nlohmann reads it") {
  using namespace mtorcalc::content;
  for (std::size_t f = 0; f < embedded_file_count; ++f) {
    INFO(embedded_files[f].name);
    const std::string text(embedded_files[f].text);
    const json got = parse_content_json(text);
    REQUIRE_FALSE(got.is_discarded());
    CHECK(same(got, json::parse(text)));
  }
  for (std::size_t m = 0; m < embedded_member_count; ++m) {
    const EmbeddedMember& e = embedded_members[m];
    const std::string text(embedded_files[e.file].text.substr(e.begin, e.end - e.begin));
    INFO(embedded_files[e.file].name << " " << e.parent << "." << e.key);
    CHECK(same(parse_content_json(text), json::parse(text)));
  }
}

TEST_CASE("json reader: literals, structure and whitespace") {
  for (const char* text :
       {"null", "true", "false", " \t\r\n true \n", "[]", "{}", "[ ]", "{ }", "[1,2,3]",
        "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}", "{\"a\":1,\"a\":2}",
        "{\"b\":1,\"a\":{\"x\":[]},\"b\":[3]}", "\xEF\xBB\xBF{\"bom\":1}", "[[[[[]]]]]",
        // Malformed: each must be discarded by both.
        "", " ", "nul", "nulll", "tru", "True", "[1,]", "[,1]", "{\"a\":1,}", "{,}", "{\"a\"}",
        "{\"a\" 1}", "{a:1}", "{'a':1}", "[1 2]", "[1]]", "[1", "{\"a\":1", "1 2", "[] x", "\"abc",
        "{\"a\":1}}", "[\"a\",]", ":", ","})
    check_agrees(text);
}

TEST_CASE("json reader: numbers keep nlohmann's types at the integer limits") {
  for (const char* text :
       {"0", "-0", "1", "-1", "0.0", "-0.0", "0.5", "1e2", "1E2", "1e+2", "1e-2", "-1.5e-3",
        "123456789012", "18446744073709551615", "18446744073709551616", "-9223372036854775808",
        "-9223372036854775809", "9223372036854775807", "9223372036854775808", "1e308",
        "1.7976931348623157e308", "4.9e-324", "1e-400",
        // Malformed or out of range.
        "1e309", "-1e309", "01", "-01", "00", "1.", ".5", "-", "+1", "1e", "1e+", "0x10", "1.5.2",
        "--1", "NaN", "Infinity", "-Infinity", "1_000"})
    check_agrees(text);
  // The limits, typed.
  CHECK(parse_content_json("18446744073709551615").is_number_unsigned());
  CHECK(parse_content_json("18446744073709551616").is_number_float());
  CHECK(parse_content_json("-9223372036854775808").get<std::int64_t>() ==
        std::numeric_limits<std::int64_t>::min());
  CHECK(parse_content_json("-9223372036854775809").is_number_float());
  CHECK(parse_content_json("-0").is_number_integer());
  CHECK(parse_content_json("2.5").get<double>() == 2.5);
}

TEST_CASE("json reader: strings, escapes and UTF-8") {
  for (const char* text :
       {"\"\"", "\"plain text longer than eight bytes\"", "\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"",
        "\"\\u0041\\u00e9\\u20AC\\uFFFF\"", "\"\\u0000\"", "\"\\ud83d\\ude00\"",
        "\"\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"", "\"\xEF\xBF\xBF\"", "\"\xF4\x8F\xBF\xBF\"",
        "{\"caf\xC3\xA9\":\"\\u00e9\"}",
        // Malformed: bad escapes, lone surrogates, control characters, bad UTF-8.
        "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\ud83d\"", "\"\\ud83dx\"", "\"\\ud83d\\u0041\"",
        "\"\\ude00\"", "\"a\nb\"", "\"a\tb\"", "\"\x01\"", "\"\x1F\"", "\"\x80\"", "\"\xC0\xAF\"",
        "\"\xC3\"", "\"\xE0\x80\xAF\"", "\"\xED\xA0\x80\"", "\"\xF4\x90\x80\x80\"",
        "\"\xF5\x80\x80\x80\"", "\"\xFF\"", "\"abc\\\"", "\"abc\\"})
    check_agrees(text);
  // Every escape at every offset of a string longer than one eight-byte step.
  for (const char* esc : {"\\n", "\\\"", "\\\\", "\\u00e9", "\\ud83d\\ude00", "\xC3\xA9", "\x01"}) {
    for (int at = 0; at <= 17; ++at) {
      std::string s(17, 'x');
      s.insert(static_cast<std::size_t>(at), esc);
      check_agrees("\"" + s + "\"");
    }
  }
}

TEST_CASE("json reader: nesting is bounded") {
  using mtorcalc::content::kMaxContentDepth;
  const int levels = static_cast<int>(kMaxContentDepth);
  const std::string ok = std::string(kMaxContentDepth, '[') + std::string(kMaxContentDepth, ']');
  CHECK(same(parse_content_json(ok), json::parse(ok)));
  const std::string deep =
      std::string(kMaxContentDepth + 1, '[') + std::string(kMaxContentDepth + 1, ']');
  CHECK(parse_content_json(deep)
            .is_discarded());  // nlohmann would accept; the content never nests so
  const std::string objects = [] {
    std::string s;
    for (int i = 0; i <= levels; ++i) s += "{\"k\":";
    s += "1";
    s += std::string(kMaxContentDepth + 1, '}');
    return s;
  }();
  CHECK(parse_content_json(objects).is_discarded());
}

TEST_CASE("json reader: agrees with nlohmann on damaged copies of the content") {
  // Deterministic damage (a fixed linear congruential generator) to every
  // member small enough to copy many times: delete, duplicate, replace or
  // insert one byte from a set JSON treats specially. Both readers must
  // then agree on acceptance and on the value.
  using namespace mtorcalc::content;
  const std::string specials = "{}[]:,\"\\ -+.0123456789eEtfnu\x01\x7F\x80\xC3\xA9\xED\xF4";
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto next = [&](std::uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  };
  int cases = 0, rejected = 0;
  for (std::size_t m = 0; m < embedded_member_count; ++m) {
    const EmbeddedMember& e = embedded_members[m];
    const std::string text(embedded_files[e.file].text.substr(e.begin, e.end - e.begin));
    if (text.size() > 4000) continue;
    for (int k = 0; k < 12; ++k) {
      std::string t = text;
      const std::size_t at = next(t.size());
      const char c = specials[next(specials.size())];
      switch (next(4)) {
        case 0:
          t.erase(at, 1);
          break;
        case 1:
          t.insert(at, 1, t[at]);
          break;
        case 2:
          t[at] = c;
          break;
        default:
          t.insert(at, 1, c);
          break;
      }
      const json expected = json::parse(t, nullptr, false);
      const json got = parse_content_json(t);
      ++cases;
      rejected += expected.is_discarded() ? 1 : 0;
      INFO("member " << e.parent << "." << e.key << ": " << t);
      CHECK(got.is_discarded() == expected.is_discarded());
      CHECK(same(got, expected));
    }
  }
  // The damage must exercise both outcomes, or this test proves nothing.
  CHECK(cases > 1000);
  CHECK(rejected > cases / 5);
  CHECK(rejected < cases);
}

// ---- requests -----------------------------------------------------------------

namespace {
const mtorcalc::JsonReadLimits kRequestLimits{16, DuplicateKeys::reject};

// Request-shaped texts: the forms the page and host pages send.
const std::vector<std::string>& request_texts() {
  static const std::vector<std::string> v = {
      R"({"contract":"mtor-calc/1","indication":"rcc"})",
      R"({"contract":"mtor-calc/1","indication":"tsc_sega","drug":"everolimus","patient":{"age_years":7,"sex":"female","height_cm":121.5,"weight_kg":23.2},"therapy":{"current_dose_mg":4.5,"trough_ng_ml":3.2}})",
      R"({"contract":"mtor-calc/1","indication":"lam","drug":"sirolimus","comedications":["ketoconazole","St John's wort"],"labs":{"anc_per_ul":1500,"platelets_per_ul":75000,"egfr_ml_min":-0.0}})",
      "{\n  \"contract\": \"mtor-calc/1\",\n  \"indication\": \"rcc\",\n  \"toxicity\": "
      "{\"event\": \"stomatitis\", \"grade\": 2}\n}\n",
      R"({"contract":"mtor-calc/1","indication":"pnet","patient":{"name":"Ren\u00e9e \ud83d\ude00 caf\u00e9"},"notes":"a\"b\\c\/d\n"})",
      R"({"a":[],"b":{},"c":[[1,2],[3,[4,[5]]]],"d":1e2,"e":-12345678901234567890,"f":null,"g":true})",
  };
  return v;
}
}  // namespace

TEST_CASE("json reader: request texts read as nlohmann reads them") {
  for (const std::string& text : request_texts()) {
    INFO(text);
    const json got = read_json(text, kRequestLimits);
    REQUIRE_FALSE(got.is_discarded());
    CHECK(same(got, json::parse(text)));
  }
}

TEST_CASE("json reader: a request's duplicate keys are not accepted, at any depth") {
  for (const char* text :
       {R"({"a":1,"a":1})", R"({"a":1,"b":2,"a":3})", R"({"x":{"k":1,"k":2}})",
        R"({"x":[{"k":1},{"k":2,"k":3}]})", R"({"indication":"rcc","indication":"rcc"})"}) {
    INFO(text);
    CHECK(read_json(text, kRequestLimits).is_discarded());
    CHECK_FALSE(read_json(text, {16, DuplicateKeys::last_wins}).is_discarded());
  }
  // The same key in different objects is not a duplicate.
  for (const char* text :
       {R"({"a":{"a":{"a":1}}})", R"({"x":[{"k":1},{"k":2}]})", R"({"k":1,"x":{"k":1}})"}) {
    INFO(text);
    CHECK(same(read_json(text, kRequestLimits), json::parse(text)));
  }
}

TEST_CASE("json reader: a request nests at most max_depth levels") {
  // 16 levels are read; 17 are not, and request.cpp's nlohmann path then
  // reports the nesting error (test_request.cpp).
  for (const char open : {'[', '{'}) {
    auto nested = [&](int levels) {
      std::string s;
      for (int i = 0; i < levels; ++i) s += open == '[' ? "[" : "{\"k\":";
      s += "1";
      for (int i = 0; i < levels; ++i) s += open == '[' ? "]" : "}";
      return s;
    };
    CHECK(same(read_json(nested(16), kRequestLimits), json::parse(nested(16))));
    CHECK(read_json(nested(17), kRequestLimits).is_discarded());
  }
}

TEST_CASE("json reader: agrees with nlohmann on damaged request texts") {
  // As for the content: every byte position of each request text deleted,
  // duplicated or replaced by each special byte. Duplicates are allowed
  // here so that acceptance is nlohmann's alone.
  const std::string specials = "{}[]:,\"\\ -.0e\x01\x80\xC3";
  const mtorcalc::JsonReadLimits limits{16, DuplicateKeys::last_wins};
  int cases = 0, rejected = 0;
  for (const std::string& text : request_texts()) {
    for (std::size_t at = 0; at < text.size(); ++at) {
      std::vector<std::string> variants;
      variants.push_back(std::string(text).erase(at, 1));
      variants.push_back(std::string(text).insert(at, 1, text[at]));
      for (char c : specials) {
        std::string t = text;
        t[at] = c;
        variants.push_back(std::move(t));
      }
      for (const std::string& t : variants) {
        const json expected = json::parse(t, nullptr, false);
        const json got = read_json(t, limits);
        ++cases;
        rejected += expected.is_discarded() ? 1 : 0;
        INFO(t);
        CHECK(got.is_discarded() == expected.is_discarded());
        CHECK(same(got, expected));
      }
    }
  }
  CHECK(cases > 5000);
  CHECK(rejected > cases / 5);
  CHECK(rejected < cases);
}

TEST_CASE("json reader: decimal numbers are the doubles strtod gives, bit for bit") {
  // The reader converts short decimals itself (Clinger's exact fast path)
  // and leaves the rest to strtod. Deterministic samples on both sides of
  // the fast path's edges: 1 to 20 significant digits, fractions of 0 to
  // 20 digits, exponents -30 to 30, both signs.
  std::uint64_t state = 0x2545F4914F6CDD1DULL;
  auto next = [&](std::uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  };
  const mtorcalc::JsonReadLimits limits{16, DuplicateKeys::reject};
  int checked = 0;
  for (int i = 0; i < 60000; ++i) {
    std::string t = next(2) ? "-" : "";
    const std::uint64_t int_digits = 1 + next(12), frac_digits = next(12);
    t += static_cast<char>('1' + next(9));
    for (std::uint64_t k = 1; k < int_digits; ++k) t += static_cast<char>('0' + next(10));
    if (frac_digits > 0 || next(2)) {
      t += '.';
      for (std::uint64_t k = 0; k <= frac_digits; ++k) t += static_cast<char>('0' + next(10));
    }
    if (next(3) == 0) t += "e" + std::to_string(static_cast<long>(next(61)) - 30);
    const double expected = std::strtod(t.c_str(), nullptr);
    const json got = read_json(t, limits);
    INFO(t);
    if (!std::isfinite(expected)) {
      CHECK(got.is_discarded());
      continue;
    }
    REQUIRE(got.is_number());
    const double v = got.get<double>();
    CHECK(std::memcmp(&v, &expected, sizeof v) == 0);
    ++checked;
  }
  CHECK(checked > 50000);
  // The fast path's edges themselves.
  for (const char* t :
       {"9007199254740992.5", "9007199254740993", "9007199254740993.0", "0.1", "0.2", "0.3", "1e22",
        "1e23", "1.5e-22", "1.5e-23", "123456789012345678901234.5", "0.000000000000000000000001",
        "-0.0", "4.35", "2.675", "1.005"}) {
    const double expected = std::strtod(t, nullptr);
    const json got = read_json(t, limits);
    INFO(t);
    REQUIRE(got.is_number());
    const double v = got.get<double>();
    CHECK(std::memcmp(&v, &expected, sizeof v) == 0);
  }
}
