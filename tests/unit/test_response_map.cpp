// The response tree's object type (core/src/response_map.hpp): a lookup by a
// literal, a string_view or a std::string finds the same member, and a key
// that is a prefix or an extension of another is a different key. The
// templated lookups compare a view of the key made once (issue 7), so these
// pin down that the view covers the whole key and nothing more.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "json.hpp"

using mtorcalc::ojson;
using namespace std::string_view_literals;

namespace {
// Keys of one length, a prefix, an extension, and an empty key.
ojson sample() {
  ojson o = ojson::object();
  o["ab"] = 1;
  o["abc"sv] = 2;
  o[std::string("a")] = 3;
  o["ba"] = 4;
  o[""sv] = 5;
  return o;
}
}  // namespace

TEST_CASE("every key type finds the same member, and only that one") {
  ojson o = sample();
  REQUIRE(o.size() == 5);
  CHECK(o.dump() == R"({"ab":1,"abc":2,"a":3,"ba":4,"":5})");
  CHECK(o["ab"] == 1);
  CHECK(o["ab"sv] == 1);
  CHECK(o[std::string("ab")] == 1);
  CHECK(o["abc"] == 2);
  CHECK(o["a"sv] == 3);
  CHECK(o["ba"sv] == 4);
  CHECK(o[""] == 5);
  // Reading existing keys through operator[] added nothing.
  CHECK(o.size() == 5);
  const ojson& c = o;
  CHECK(c.at("abc"sv) == 2);
  CHECK(c.at("a") == 3);
  CHECK(c.count("ab"sv) == 1);
  CHECK(c.count("abcd"sv) == 0);
  CHECK(c.count("b") == 0);
  CHECK(c.contains("ba"sv));
  CHECK_FALSE(c.contains("aba"sv));
  CHECK(c.find("abc"sv) != c.end());
  CHECK(c.find("bc"sv) == c.end());
}

TEST_CASE("a new key by view is stored whole, after the others, once") {
  ojson o = sample();
  const std::string text = "abcd-and-more";
  o[std::string_view(text).substr(0, 4)] = 6;  // "abcd": an extension of "abc"
  REQUIRE(o.size() == 6);
  CHECK(o.dump() == R"({"ab":1,"abc":2,"a":3,"ba":4,"":5,"abcd":6})");
  o["abcd"] = 7;  // the same key by literal: assigned, not added
  CHECK(o.size() == 6);
  CHECK(o["abcd"sv] == 7);
  CHECK(o.erase("abc"sv) == 1);
  CHECK(o.erase("abc") == 0);
  CHECK(o.dump() == R"({"ab":1,"a":3,"ba":4,"":5,"abcd":7})");
}
