// The request layer: structure and types, then ranges and enumerations.
// Clinical rules only ever see a request that passed validate().
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json.hpp"

namespace mtorcalc {

enum class ErrorCode {
  malformed_json,
  wrong_type,
  out_of_range,
  unknown_value,
  unknown_field,
  missing_required,
  inconsistent,
};

[[nodiscard]] std::string_view to_string(ErrorCode code);

struct RequestError {
  std::string path;  // JSON Pointer into the request, "" for the whole text
  ErrorCode code;
  std::string message;
  // out_of_range: the bounds the value must lie within and the field's unit
  // ("" when unitless), so that a form can say what it accepts.
  std::optional<double> min = std::nullopt;
  std::optional<double> max = std::nullopt;
  bool min_exclusive = false;  // the value must be greater than min
  std::string unit = {};
  // What the value probably meant (a unit slip), and the content rule saying so.
  std::string suggestion = {};
  std::string rule = {};
};

/// The unit a request field's name carries ("weight_kg" -> "kg"); "" when
/// the field is unitless (a score, a count, an INR).
[[nodiscard]] std::string_view unit_of_field(std::string_view name);

/// Parses the request text and checks it against the mtor-calc/1 schema.
/// Returns every error found, not only the first; empty means valid.
struct Parsed {
  json doc;
  std::vector<RequestError> errors;
};
[[nodiscard]] Parsed parse_and_validate(std::string_view text);

/// Read-only typed access to a validated request. Missing fields are nullopt.
class Request {
 public:
  explicit Request(const json& doc);

  [[nodiscard]] const json& node(std::initializer_list<std::string_view> path) const;
  [[nodiscard]] bool has(std::initializer_list<std::string_view> path) const {
    return !node(path).is_null();
  }
  [[nodiscard]] std::optional<double> num(std::initializer_list<std::string_view> path) const;
  [[nodiscard]] std::optional<bool> flag(std::initializer_list<std::string_view> path) const;
  [[nodiscard]] std::optional<std::string> str(std::initializer_list<std::string_view> path) const;
  [[nodiscard]] std::vector<std::string> strings(
      std::initializer_list<std::string_view> path) const;

  /// The indication, "" when not given.
  [[nodiscard]] const std::string& indication() const { return indication_; }
  [[nodiscard]] const json& raw() const { return doc_; }

 private:
  const json& doc_;
  std::string indication_;
};

/// Builds the JSON Pointer for a path of keys (escaping '~' and '/').
[[nodiscard]] std::string pointer(std::initializer_list<std::string_view> path);

}  // namespace mtorcalc
