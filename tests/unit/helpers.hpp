// Test helpers: evaluate a request object and read the response as JSON.
#pragma once

#include <string>

#include "json.hpp"
#include "mtorcalc/engine.hpp"

namespace test {
using mtorcalc::json;

inline json eval(const json& request) {
  return json::parse(mtorcalc::evaluate(request.dump()));
}
inline json eval_text(const std::string& text) {
  return json::parse(mtorcalc::evaluate(text));
}

inline json base(const std::string& indication) {
  return {{"contract", "mtor-calc/1"}, {"indication", indication}};
}

inline bool has_error(const json& r, const std::string& path, const std::string& code) {
  for (const auto& e : r["errors"])
    if (e["path"] == path && e["code"] == code) return true;
  return false;
}

inline bool has_code(const json& list, const std::string& code) {
  for (const auto& e : list)
    if (e.contains("code") && e["code"] == code) return true;
  return false;
}

inline const json* find_term(const json& list, const std::string& key, const std::string& value) {
  for (const auto& e : list)
    if (e.contains(key) && e[key] == value) return &e;
  return nullptr;
}
}  // namespace test
