// The response writer (core/src/writer.cpp) and the content as the page gets
// it (content_json): the one-pass writer must print what nlohmann's dump
// prints, after the engine's own normalisation (whole numbers without a
// fraction, each reference once per list), and list the references met.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>

#include "content.hpp"
#include "content_data.hpp"
#include "helpers.hpp"
#include "writer.hpp"

using mtorcalc::ojson;
using mtorcalc::ResponseWriter;
using test::json;

namespace {

std::string written(const ojson& j) {
  ResponseWriter w;
  w.write(j);
  return w.take();
}

// nlohmann's dump with ensure_ascii: every answer is ASCII, each character
// beyond it a \u escape (a surrogate pair beyond U+FFFF).
// DEL (0x7F) is ASCII and needs no escape in JSON: the writer leaves it as it
// is, where nlohmann's ensure_ascii writes \u007f.
std::string nlohmann_dump(const ojson& j) {
  std::string s = j.dump(-1, ' ', true, nlohmann::detail::error_handler_t::replace);
  for (std::size_t at = 0; (at = s.find("\\u007f", at)) != std::string::npos;)
    s.replace(at, 6, "\x7f");
  return s;
}

// A random tree of objects, arrays, strings (ASCII, escapes, multi-byte
// UTF-8), integers, booleans and nulls: everything the writer must print
// exactly as nlohmann does.
ojson random_tree(std::mt19937_64& g, int depth) {
  static const char* const texts[] = {"",
                                      "plain",
                                      "quote \" and backslash \\",
                                      "tab\tnew\nline\r",
                                      "\x01\x1f",
                                      "µg/L ≥ 5 — 10 mg/m²",
                                      "emoji \xF0\x9F\x92\x8A",
                                      "slash / stays"};
  auto pick = [&](std::uint64_t n) { return static_cast<std::size_t>(g() % n); };
  const std::size_t kind = depth >= 4 ? 2 + pick(4) : pick(6);
  switch (kind) {
    case 0: {
      ojson o = ojson::object();
      for (std::size_t i = 0, n = pick(5); i < n; ++i)
        o["k" + std::to_string(i) + texts[pick(8)]] = random_tree(g, depth + 1);
      return o;
    }
    case 1: {
      ojson a = ojson::array();
      for (std::size_t i = 0, n = pick(5); i < n; ++i) a.push_back(random_tree(g, depth + 1));
      return a;
    }
    case 2:
      return texts[pick(8)];
    case 3:
      return static_cast<std::int64_t>(g() % 2000) - 1000;
    case 4:
      return pick(2) == 0;
    default:
      return nullptr;
  }
}

}  // namespace

TEST_CASE("the writer prints what nlohmann's dump prints (no floats, no refs lists)") {
  std::mt19937_64 g(20261127);
  for (int i = 0; i < 500; ++i) {
    ojson j = random_tree(g, 0);
    REQUIRE(written(j) == nlohmann_dump(j));
  }
}

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

TEST_CASE("whole numbers print without a fraction; others as nlohmann prints them") {
  CHECK(written(ojson(10.0)) == "10");
  CHECK(written(ojson(-3.0)) == "-3");
  CHECK(written(ojson(-0.0)) == "0");
  CHECK(written(ojson(2.5)) == "2.5");
  CHECK(written(ojson(0.1)) == nlohmann_dump(ojson(0.1)));
  CHECK(written(ojson(7.125)) == "7.125");
  // At and beyond 2^53 a double no longer names one integer: printed as a double.
  CHECK(written(ojson(9007199254740991.0)) == "9007199254740991");
  CHECK(written(ojson(9007199254740992.0)) == nlohmann_dump(ojson(9007199254740992.0)));
  CHECK(written(ojson(std::nan(""))) == "null");
  CHECK(written(ojson(std::numeric_limits<double>::infinity())) == "null");
}

TEST_CASE("text that is not valid UTF-8 is replaced as nlohmann replaces it") {
  for (const std::string& s :
       {std::string("bad \xff byte"), std::string("cut \xE2\x82"), std::string("overlong \xC0\xAF"),
        std::string("surrogate \xED\xA0\x80"), std::string("\xF4\x90\x80\x80 beyond U+10FFFF")}) {
    ojson j = {{"text", s}};
    CHECK(written(j) == nlohmann_dump(j));
    CHECK(written(j).find("\\ufffd") != std::string::npos);
  }
}

TEST_CASE("a refs list names each reference once; other lists keep repeats") {
  ojson j = {{"refs", {"a", "b", "a", "c", "b"}},
             {"items", {"x", "x"}},
             {"nested", {{"bsa_refs", {"d", "d"}}, {"refs", {"a"}}}},
             {"prefs", {"e", "e"}}};
  ResponseWriter w;
  w.write(j);
  CHECK(w.take() ==
        R"({"refs":["a","b","c"],"items":["x","x"],"nested":{"bsa_refs":["d"],"refs":["a"]},)"
        R"("prefs":["e","e"]})");
}

TEST_CASE("reference ids are collected in first-use order, once each") {
  ojson j = {{"warnings", {{{"refs", {"r2", "r1"}}}, {{"refs", {"r1", "r3"}}}}},
             {"derived", {{"bsa_refs", {"r4", "r2"}}}}};
  ResponseWriter w;
  w.write(j);
  std::vector<std::string> ids(w.reference_ids().begin(), w.reference_ids().end());
  CHECK(ids == std::vector<std::string>{"r2", "r1", "r3", "r4"});
}

TEST_CASE("the references section comes from the content, prepared once") {
  const json& refs = mtorcalc::content::at("references");
  REQUIRE(refs.is_object());
  const std::string id = refs.begin().key();
  ojson j = {{"refs", {id, "no-such-reference"}}};
  ResponseWriter w;
  w.write(j);
  (void)w.take();  // the tree's text; the ids met stay with the writer
  w.write_references();
  json list = json::parse(w.take());
  REQUIRE(list.is_array());
  REQUIRE(list.size() == 2);
  CHECK(list[0]["id"] == id);
  CHECK(list[0]["title"] == refs[id]["title"]);
  CHECK(list[0]["source"] == refs[id]["source"]);
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
  CHECK(mtorcalc::content::at("manifest").is_object());
  CHECK(mtorcalc::content::at("manifest.content_version").is_string());
  CHECK(mtorcalc::content::at("no_such_file").is_null());
  CHECK(mtorcalc::content::at("manifest.no_such_key").is_null());
  CHECK(mtorcalc::content::at("manifest.").is_null());
  CHECK(mtorcalc::content::at("").is_null());
  for (const auto& [stem, doc] : mtorcalc::content::all().items()) {
    const std::string name = stem;
    CHECK_MESSAGE(mtorcalc::content::at(name) == doc, name);
  }
}

TEST_CASE("strings are escaped alike wherever a special byte falls in an eight-byte word") {
  // The writer scans eight bytes at a time; each special byte is tried at
  // every offset of strings of 1 to 32 bytes (the writer checks strings of
  // up to 24 bytes as one padded block), against nlohmann's dump.
  const std::string specials[] = {"\"",   "\\", "\n",       "\x01",         "\x1f",
                                  "\x7f", " ",  "\xC2\xB5", "\xE2\x89\xA5", "\xF0\x9F\x92\x8A",
                                  "\xFF"};
  CHECK(written(ojson("")) == "\"\"");
  for (std::size_t length = 1; length <= 32; ++length)
    for (const std::string& special : specials)
      for (std::size_t at = 0; at < length; ++at) {
        std::string s(length, 'a');
        s.replace(at, 1, special);
        const ojson j = s;
        CHECK_MESSAGE(written(j) == nlohmann_dump(j), "length " << length << " at " << at);
      }
}

TEST_CASE("a fragment is written as prepared and its references are noted in order") {
  const ojson item = {{"code", "x"}, {"text", "t \u2265 1"}, {"refs", {"r2", "r1", "r2"}}};
  const mtorcalc::Fragment f = mtorcalc::make_fragment("x", item);
  CHECK(f.code == "x");
  CHECK(f.text == written(item));
  CHECK(f.refs == std::vector<std::string>{"r2", "r1"});

  ojson tree = {{"before", {{"refs", {"r0"}}}}, {"items", ojson::array()}};
  tree["items"].push_back(mtorcalc::fragment_node(f));
  ResponseWriter w;
  w.write(tree);
  CHECK(w.reference_ids() == std::vector<std::string_view>{"r0", "r2", "r1"});
  CHECK(w.take() == "{\"before\":{\"refs\":[\"r0\"]},\"items\":[" + f.text + "]}");
}

TEST_CASE("only the writer's own binary nodes are fragments") {
  const mtorcalc::Fragment f = mtorcalc::make_fragment("x", ojson::object());
  CHECK(mtorcalc::fragment_of(mtorcalc::fragment_node(f)) == &f);
  // Binary nodes of another subtype, without one, or of another size are not.
  const ojson node = mtorcalc::fragment_node(f);
  using Bytes = ojson::binary_t::container_type;
  const Bytes bytes = node.get_binary();
  CHECK(mtorcalc::fragment_of(ojson::binary(Bytes(bytes), 1)) == nullptr);
  CHECK(mtorcalc::fragment_of(ojson::binary(Bytes(bytes))) == nullptr);
  CHECK(mtorcalc::fragment_of(ojson::binary(Bytes(3, 0x4d), 0x4d)) == nullptr);
  CHECK(mtorcalc::fragment_of(ojson("text")) == nullptr);
}

TEST_CASE("each embedded member's place in its file's text holds that member") {
  using namespace mtorcalc::content;
  const json& everything = all();
  for (std::size_t m = 0; m < embedded_member_count; ++m) {
    const EmbeddedMember& e = embedded_members[m];
    const File& f = files()[e.file];
    const std::string_view text = f.text.substr(e.begin, e.end - e.begin);
    const json& whole = everything[std::string(f.stem)];
    const json& expected = e.parent.empty() ? whole[std::string(e.key)]
                                            : whole[std::string(e.parent)][std::string(e.key)];
    INFO(f.stem << " / " << e.parent << " / " << e.key);
    CHECK(json::parse(text.begin(), text.end()) == expected);
    // Sorted by (file, parent, key): the engine's binary search needs it.
    if (m > 0) {
      const EmbeddedMember& p = embedded_members[m - 1];
      CHECK((p.file < e.file || (p.file == e.file && (p.parent < e.parent ||
                                                      (p.parent == e.parent && p.key < e.key)))));
    }
  }
  CHECK(embedded_member_count > 100);
}

namespace {
// Every dotted path into `node` down to `depth` levels (keys without dots).
void collect_paths(const json& node, const std::string& prefix, int depth,
                   std::vector<std::string>& out) {
  if (!node.is_object() || depth == 0) return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (it.key().find('.') != std::string::npos) continue;
    std::string path = prefix + "." + it.key();
    out.push_back(path);
    collect_paths(*it, path, depth - 1, out);
  }
}
}  // namespace

TEST_CASE("a lookup through the members finds what a lookup in the whole file finds") {
  using namespace mtorcalc::content;
  std::vector<std::string> paths;
  for (const File& f : files())
    collect_paths(all()[std::string(f.stem)], std::string(f.stem), 5, paths);
  REQUIRE(paths.size() > 500);
  for (const std::string& p : paths) {
    INFO(p);
    CHECK(at(p) == find_dotted(all(), p));
    CHECK(at(p + ".no_such_key").is_null());
  }
  CHECK(at("everolimus") == all()["everolimus"]);
  CHECK(at("no_such_file.x").is_null());
  CHECK(at("everolimus.").is_null());
  // Reference ids hold dots: a member is found by its exact key.
  CHECK(member("references", "afinitor-pi-2.1").is_object());
  CHECK(member("references", "afinitor-pi-2.1") == all()["references"]["afinitor-pi-2.1"]);
  CHECK(member("references", "no-such-reference").is_null());
  CHECK(member("no_such_file", "x").is_null());
}
