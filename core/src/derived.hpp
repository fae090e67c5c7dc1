// Derived values: BSA, Child-Pugh, corrected calcium, AML growth, the RCC
// prognostic scores and CTCAE grades from labs. Computed whenever the inputs
// allow, for any indication; what cannot be computed is left out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eval.hpp"

namespace mtorcalc {

struct Derived {
  std::optional<double> bsa_m2;
  std::optional<int> child_pugh_score;
  std::optional<std::string> child_pugh_class;  // "A", "B", "C"
  std::optional<double> corrected_calcium_mg_dl;
  std::optional<double> aml_growth_cm_per_year;
};

/// Fills ctx.derived and returns the values the rule families use.
[[nodiscard]] Derived compute_derived(Ctx& ctx);

/// Child-Pugh points and class from the five components (content bands).
struct ChildPugh {
  int score = 0;
  std::string klass;
};
[[nodiscard]] std::optional<ChildPugh> child_pugh_from_components(const Request& req);

/// The scores still possible when some Child-Pugh components are given and
/// others are not: each missing component counts its lowest and its highest
/// points. nullopt when none or all five are given.
struct ChildPughRange {
  int min_score = 0;
  int max_score = 0;
  std::vector<std::string_view> missing;  // JSON Pointers of the missing components
};
[[nodiscard]] std::optional<ChildPughRange> child_pugh_range(const Request& req);

/// BSA in m² by the named formula (content "calculators.bsa.<formula>").
[[nodiscard]] std::optional<double> bsa_by_formula(std::string_view formula, double weight_kg,
                                                   double height_cm);

/// Corrected calcium (content "calculators.corrected_calcium").
[[nodiscard]] double corrected_calcium_mg_dl(double calcium_mg_dl, double albumin_g_dl);

}  // namespace mtorcalc
