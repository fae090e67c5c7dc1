// The plan: the one decision an answer leads with (contract "the plan",
// docs/plan.md). It is composed once, in one order for every drug, from the
// rules the drug module applied (regimen, hepatic class, interactions,
// toxicity rows, trough titration), then bounded by the lowest ceiling any
// rule sets and rounded to what the form can make. The other sections are
// then brought into agreement with it: no dose anywhere above the ceiling,
// the titration's new dose the plan's dose when the question is titration,
// the acting toxicity row's resume dose the plan's.
#pragma once

#include <string>

#include "derived.hpp"
#include "eval.hpp"

namespace mtorcalc {

/// Fills ctx.plan for `drug` and `indication` ("" when no drug applies) and
/// aligns ctx.regimen, ctx.titration, ctx.interactions and ctx.toxicity with it.
void compose_plan(Ctx& ctx, const std::string& drug, const std::string& indication,
                  const Derived& d);

}  // namespace mtorcalc
