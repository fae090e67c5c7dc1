// Strict equality of JSON values for the JSON reader's tests (unit tests and
// the fuzz target): the reader must give what nlohmann's parser gives.
#pragma once

#include <cstring>
#include <nlohmann/json.hpp>

namespace test_json {

/// Equal values of equal types, all the way down. json's own == treats 1,
/// 1u and 1.0 as equal and -0.0 as 0.0; the engine's answers would not.
/// Two discarded values are the same (both "not accepted").
inline bool same(const nlohmann::json& a, const nlohmann::json& b) {
  using value_t = nlohmann::json::value_t;
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case value_t::object: {
      if (a.size() != b.size()) return false;
      for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib)
        if (ia.key() != ib.key() || !same(*ia, *ib)) return false;
      return true;
    }
    case value_t::array:
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i)
        if (!same(a[i], b[i])) return false;
      return true;
    case value_t::number_float: {
      const double x = a.get<double>(), y = b.get<double>();
      return std::memcmp(&x, &y, sizeof x) == 0;
    }
    case value_t::discarded:
      return true;
    default:
      return a == b;
  }
}

}  // namespace test_json
