// The JSON types the engine uses: nlohmann's, as they come. Responses keep
// insertion order so that the same request always gives the same bytes.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace mtorcalc {
using json = nlohmann::json;           // requests and content
using ojson = nlohmann::ordered_json;  // responses

/// Whether `j` is the string `s` (`j == s` would first build a json from `s`).
template <class Json>
[[nodiscard]] inline bool is_string_equal(const Json& j, std::string_view s) {
  return j.is_string() && j.template get_ref<const typename Json::string_t&>() == s;
}
}  // namespace mtorcalc
