// The embedded content itself: every rule names existing references, every
// reference has its source, the response lists exactly the references used.
#include <doctest/doctest.h>

#include <functional>
#include <set>

#include "content.hpp"
#include "helpers.hpp"

using namespace test;

TEST_CASE("content loads, every file parses and has a version") {
  for (const auto& f : mtorcalc::content::files()) {
    json j = json::parse(f.text.begin(), f.text.end(), nullptr, false);
    CHECK_MESSAGE(!j.is_discarded(), f.name);
  }
  CHECK(mtorcalc::content::version().find('+') != std::string::npos);
}

TEST_CASE("every rule's refs exist and every reference has a source") {
  const json& all = mtorcalc::content::all();
  const json& refs = all["references"];
  for (const auto& [key, r] : refs.items()) {
    const std::string id = key;  // doctest's macros capture it; structured bindings cannot be
                                 // captured in C++17 (clang)
    CHECK_MESSAGE(r.contains("source"), id);
    CHECK_MESSAGE(r.contains("section"), id);
    CHECK_MESSAGE(r.contains("verification"), id);
  }
  std::function<void(const json&, const std::string&)> walk = [&](const json& j,
                                                                  const std::string& path) {
    if (j.is_object()) {
      if (j.contains("refs"))
        for (const auto& r : j["refs"])
          CHECK_MESSAGE(refs.contains(r.get<std::string>()),
                        (path + " -> " + r.get<std::string>()));
      for (const auto& [k, v] : j.items())
        if (k != "refs") walk(v, path + "." + k);
    } else if (j.is_array()) {
      for (const auto& v : j) walk(v, path);
    }
  };
  for (const auto& [stem, doc] : all.items())
    if (stem != "references") walk(doc, stem);
}

TEST_CASE("adverse-reaction rows of a term are disjoint (grade x recurrence)") {
  const json& all = mtorcalc::content::all();
  for (const auto& [stem, doc] : all.items()) {
    if (!doc.is_object() || !doc.contains("adverse_reactions")) continue;
    for (const auto& [term, rows] : doc["adverse_reactions"].items()) {
      std::set<std::pair<int, int>> seen;  // (grade, recurrent 0/1)
      for (const auto& [key, row] : rows.items()) {
        if (!row.is_object() || !row.contains("grades")) continue;
        for (const auto& g : row["grades"]) {
          for (int rec : {0, 1}) {
            if (row.contains("recurrent") && row["recurrent"].get<bool>() != (rec == 1)) continue;
            const std::string where = stem + "." + term + "." +
                                      key;  // captured by doctest (clang: no structured bindings)
            CHECK_MESSAGE(seen.insert({g.get<int>(), rec}).second, where);
          }
        }
      }
    }
  }
}

TEST_CASE("the response lists exactly the references its refs name") {
  json req = base("rcc");
  req["patient"] = {{"age_years", 70},
                    {"weight_kg", 80},
                    {"height_cm", 178},
                    {"hepatic", {{"child_pugh_class", "B"}}}};
  req["condition"]["rcc"] = {{"advanced", true}, {"prior_therapies", {"sunitinib"}}};
  json r = eval(req);
  std::set<std::string> used;
  std::function<void(const json&)> walk = [&](const json& j) {
    if (j.is_object()) {
      for (const auto& [k, v] : j.items()) {
        bool is_refs = k == "refs" || (k.size() > 5 && k.compare(k.size() - 5, 5, "_refs") == 0);
        if (is_refs)
          for (const auto& x : v) used.insert(x.get<std::string>());
        else
          walk(v);
      }
    } else if (j.is_array()) {
      for (const auto& v : j) walk(v);
    }
  };
  json body = r;
  body.erase("references");
  walk(body);
  std::set<std::string> listed;
  for (const auto& ref : r["references"]) listed.insert(ref["id"].get<std::string>());
  CHECK(used == listed);
  CHECK(!listed.empty());
}
