// The answer's `forecast` section: the request's trough history fed to the
// estimator (forecast.hpp) with the model that fits the drug and patient.
// It reads the composed plan (its form and ceiling) and never changes it.
#pragma once

#include <string>

#include "derived.hpp"
#include "eval.hpp"

namespace mtorcalc {

/// The `forecast` section, or null when the request has no trough history or
/// no model exists for the drug. Records the model's rule id in ctx.rules.
[[nodiscard]] ojson forecast_section(Ctx& ctx, const std::string& drug,
                                     const std::string& indication, const Derived& derived);

}  // namespace mtorcalc
