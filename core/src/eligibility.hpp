// Eligibility as criteria: each criterion reported met / unmet / unknown
// with its text and references from content, and what is missing named as
// JSON Pointers into the request.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eval.hpp"

namespace mtorcalc {

enum class Status { indicated, consider, not_indicated, contraindicated, insufficient_data };
[[nodiscard]] std::string_view to_string(Status s);

class Eligibility {
 public:
  /// Criteria are read from "<scope>.criteria.<code>", e.g. scope
  /// "everolimus.indications.rcc".
  Eligibility(Ctx& ctx, std::string drug, std::string scope)
      : ctx_(ctx), drug_(std::move(drug)), scope_(std::move(scope)) {}

  /// Records a criterion; when met is unknown, `missing` names the inputs.
  std::optional<bool> criterion(std::string_view code, std::optional<bool> met,
                                std::initializer_list<std::string_view> missing = {});
  std::optional<bool> criterion(std::string_view code, std::optional<bool> met,
                                std::vector<std::string> missing);
  void missing(std::string pointer);
  /// An alternative from "<scope>.alternatives.<code>" (or the drug's own).
  void alternative(std::string_view code);
  /// A note from "<scope>.notes.<code>".
  void note(std::string_view code);

  [[nodiscard]] bool any_unmet() const { return unmet_ > 0; }
  [[nodiscard]] bool any_unknown() const { return unknown_ > 0; }

  /// Writes ctx.eligibility with the final status.
  void finish(Status status);

 private:
  // The criterion's text and counts; its missing inputs are already noted.
  std::optional<bool> record(std::string_view code, std::optional<bool> met);

  Ctx& ctx_;
  std::string drug_;
  std::string scope_;
  ojson criteria_ = ojson::array();
  ojson missing_ = ojson::array();
  ojson alternatives_ = ojson::array();
  ojson notes_ = ojson::array();
  int unmet_ = 0;
  int unknown_ = 0;
};

}  // namespace mtorcalc
