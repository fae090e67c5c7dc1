// The clinical knowledge, embedded from content/*.json at build time.
//
// Every clinical number the engine uses is read from here by name; core/
// holds only logic. A "rule" is any content object carrying a "refs" array;
// its id is its dotted path (e.g. "everolimus.hepatic.fixed_dose.C"), which is
// how tests, the traceability script and the response's "rules" name it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "json.hpp"

namespace mtorcalc::content {

/// All content files merged into one object keyed by file stem, parsed once.
[[nodiscard]] const json& all();

/// The content version: the manifest's version plus a hash of every file.
[[nodiscard]] const std::string& version();

/// Looks up a dotted path below `root` ("patient.age_years"); null json when absent.
[[nodiscard]] const json& find_dotted(const json& root, std::string_view dotted_path);

/// Looks up a dotted path in the content ("everolimus.forms.tablet"); null json when absent.
[[nodiscard]] const json& at(std::string_view dotted_path);

/// The member `key` of a file's top-level object, by its exact key (which
/// may hold dots, as reference ids do); null json when absent.
[[nodiscard]] const json& member(std::string_view stem, std::string_view key);

/// The raw embedded files, for content_json() and the content tests.
struct File {
  std::string_view name;  // "everolimus.json"
  std::string_view stem;  // "everolimus": the first part of a rule's id
  std::string_view text;
};
[[nodiscard]] const std::vector<File>& files();

}  // namespace mtorcalc::content
