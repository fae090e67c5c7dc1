// The evaluation context shared by every rule family: the validated request,
// the response sections being filled, and helpers that read rules from
// content/ and record which rules and references an answer used.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "content.hpp"
#include "json.hpp"
#include "prepared.hpp"
#include "request.hpp"
#include "writer.hpp"

namespace mtorcalc {

enum class Severity { info, caution, serious };

/// The response lists whose items are prepared from content once.
enum class Section { warnings, monitoring, expected_response };

/// The section's name in the response and in content ("expected_response").
[[nodiscard]] std::string_view to_string(Section section);

/// Where an item's rule is looked for: under the drug only, or under the drug
/// and then under "common".
enum class Scope { drug_only, drug_then_common };

/// A content rule as an answer lists it, prepared once per rule id: its id
/// as a JSON string for "rules", and its "unverified_rules" entry (empty for
/// a confirmed rule).
struct RuleEntry {
  std::string id_json;
  std::string unverified_json;
  const json* rule = nullptr;  // content::at(id): null json when there is none
  bool listed = false;         // whether reading it lists it: it has "refs"
};

/// The entry of the rule `id` (prepared.hpp); its address names the rule.
[[nodiscard]] const RuleEntry& rule_entry(std::string_view id);

class Ctx {
 public:
  explicit Ctx(const Request& r) : req(r) {
    rules.reserve(64);  // an answer applies a few dozen rules
  }

  const Request& req;

  // Response sections, in contract order.
  ojson derived = ojson::object();
  ojson eligibility = nullptr;
  ojson regimen = nullptr;
  ojson titration = nullptr;
  ojson toxicity = ojson::array();
  ojson interactions = ojson::array();
  ojson interactions_unrecognized = ojson::array();
  ojson warnings = ojson::array();
  ojson monitoring = ojson::array();
  ojson expected_response = ojson::array();
  std::vector<const RuleEntry*> rules;  // the content rules applied, in order

  /// Reads a rule from content by its dotted id and records that it was used.
  /// Returns null json when the id does not exist.
  const json& rule(std::string_view id);

  /// A number inside a rule (e.g. rule_num("everolimus.dosing.rcc", "dose_mg")).
  [[nodiscard]] std::optional<double> rule_num(std::string_view id, std::string_view key);

  /// The rule's refs as a response array; `key` names another list of
  /// reference ids in the rule ("hepatic_note_refs").
  [[nodiscard]] static ojson refs_of(const json& rule_obj, std::string_view key = "refs");

  /// Adds the warning `code` once, with severity, text and refs from content:
  /// "<drug>.warnings.<code>" first, then "common.warnings.<code>".
  void warn(std::string_view drug, std::string_view code);

  /// Adds a monitoring item once, from "<drug>.monitoring.<code>" or common.
  void monitor(std::string_view drug, std::string_view code);

  /// Adds an expected-response line from "<drug>.expected_response.<code>".
  void expect_response(std::string_view drug, std::string_view code);

  /// Adds a monitoring item once under `code`, its text from the rule
  /// "<drug>.monitoring.<rule_code>" (a code whose text depends on the indication).
  void monitor_as(std::string_view drug, std::string_view code, std::string_view rule_code);

  /// Whether a warning with this code was already added.
  [[nodiscard]] bool has_warning(std::string_view code) const;

  /// The rule of `entry`, recorded as used when it carries refs: what rule()
  /// does once the id has been looked up.
  const json& use_rule(const RuleEntry& entry);

  /// Records that the rule `id` was applied (once, in first-use order).
  void record_rule(std::string_view id);
  void record_rule(const RuleEntry& entry);

 private:
  void add_item(Section section, std::string_view drug, std::string_view code,
                std::string_view rule_code, Scope scope);
};

/// The place of a yes/no/unknown answer (0, 1, 2) in the three texts a
/// criterion or a score factor has prepared, one per answer.
[[nodiscard]] constexpr std::size_t answer_index(std::optional<bool> answer) {
  return !answer ? 2 : *answer ? 0 : 1;
}

/// The three answers in answer_index order.
inline constexpr std::optional<bool> kAnswers[3] = {true, false, std::nullopt};

/// Whether a response list already holds an item (or fragment) with this code.
[[nodiscard]] bool list_has_code(const ojson& list, std::string_view code);

/// The item {code, text, refs} of the content rule `rule_id`, prepared once
/// per rule and code: a note or an alternative, whose text and refs come
/// from content only, is written from text instead of being built per answer.
[[nodiscard]] const Fragment& coded_text(std::string_view rule_id, std::string_view code);

/// Rounds to `places` decimals, halves away from zero (doses, BSA).
[[nodiscard]] double round_to(double value, int places);

/// A value compared against a content "band" condition: any of lt, le, gt,
/// ge, each a number or {"limit": "<labs limit field>", "times": k}.
/// Returns nullopt when the condition needs a limit the request lacks.
[[nodiscard]] std::optional<bool> band_matches(const json& band, double value, const Request& req);

/// The first band (in content order) whose condition holds; its index.
/// `unknown` is set when a band could not be judged for lack of a limit.
struct BandResult {
  const json* band = nullptr;
  bool unknown = false;
};
[[nodiscard]] BandResult first_band(const json& bands, double value, const Request& req);

}  // namespace mtorcalc
