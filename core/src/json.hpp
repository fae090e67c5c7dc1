// The JSON types the engine uses. Responses keep insertion order so that the
// same request always gives the same bytes on every platform.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "response_map.hpp"

namespace mtorcalc {
using json = nlohmann::json;                       // parsed requests and content
using ojson = nlohmann::basic_json<response_map>;  // responses (stable field order)

/// Whether `j` is the string `s`. nlohmann's `j == s` first builds a json
/// value from `s`, an allocation per comparison in the engine's inner loops.
template <class Json>
[[nodiscard]] inline bool is_string_equal(const Json& j, std::string_view s) {
  return j.is_string() && j.template get_ref<const typename Json::string_t&>() == s;
}
}  // namespace mtorcalc
