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
#include "request.hpp"

namespace mtorcalc {

enum class Severity { info, caution, serious };

/// The response lists whose items come from content rules.
enum class Section { warnings, monitoring, expected_response };

/// The section's name in the response and in content ("expected_response").
[[nodiscard]] std::string_view to_string(Section section);

/// Where an item's rule is looked for: under the drug only, or under the drug
/// and then under "common".
enum class Scope { drug_only, drug_then_common };

class Ctx {
 public:
  explicit Ctx(const Request& r) : req(r) {}

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
  ojson plan = nullptr;            // composed last, from every section above (plan.hpp)
  std::vector<std::string> rules;  // ids of the content rules applied, in first-use order

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

  /// Records that the rule `id` was applied (once, in first-use order).
  void record_rule(std::string_view id);

 private:
  void add_item(Section section, std::string_view drug, std::string_view code,
                std::string_view rule_code, Scope scope);
};

/// Whether a response list already holds an item with this code.
[[nodiscard]] bool list_has_code(const ojson& list, std::string_view code);

/// The item {code, text, refs} of the content rule `rule_id` (a note, an
/// alternative).
[[nodiscard]] ojson coded_text(std::string_view rule_id, std::string_view code);

/// Rounds to `places` decimals, halves away from zero (doses, BSA).
[[nodiscard]] double round_to(double value, int places);

/// A number as a clinician writes it: 10, 2.5, 0.75 (2 decimals, no ".0").
[[nodiscard]] std::string plain_number(double value);

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
