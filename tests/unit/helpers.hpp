// Test helpers: evaluate a request object and read the response as JSON.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

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

// Only the raw 64-bit output of mt19937_64 is used (its sequence is fixed by
// the standard), so the generated requests are the same on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : g_(seed) {}
  double unit() { return static_cast<double>(g_() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * unit(); }
  double round1(double lo, double hi) { return std::round(uniform(lo, hi) * 10) / 10; }
  std::size_t pick(std::size_t n) { return static_cast<std::size_t>(g_() % n); }
  bool chance(double p) { return unit() < p; }
  template <class T>
  const T& one(const std::vector<T>& v) {
    return v[pick(v.size())];
  }

 private:
  std::mt19937_64 g_;
};

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
