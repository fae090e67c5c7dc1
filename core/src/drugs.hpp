// One entry point per drug family. Each fills the context's eligibility,
// regimen, titration, toxicity, interactions, warnings and monitoring for the
// indication asked, reading every clinical value from content/.
#pragma once

#include "derived.hpp"
#include "eval.hpp"

namespace mtorcalc {

void evaluate_everolimus(Ctx& ctx, const Derived& d);
void evaluate_sirolimus(Ctx& ctx, const Derived& d);
void evaluate_sirolimus_topical(Ctx& ctx, const Derived& d);
void evaluate_temsirolimus(Ctx& ctx, const Derived& d);
void evaluate_nab_sirolimus(Ctx& ctx, const Derived& d);

/// Eligibility for a drug the label does not cover for this indication (or
/// an indication no mTOR inhibitor is labelled for): not_indicated, with
/// the labelled alternatives from "indications.<indication>".
void evaluate_unlabelled(Ctx& ctx, const std::string& drug);

}  // namespace mtorcalc
