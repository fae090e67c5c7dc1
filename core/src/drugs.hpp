// One entry point per drug family. Each fills the context's eligibility,
// regimen, titration, toxicity, interactions, warnings and monitoring for the
// indication asked, reading every clinical value from content/.
#pragma once

#include <array>
#include <string_view>

#include "derived.hpp"
#include "eval.hpp"

namespace mtorcalc {

/// How far an evaluation went: an answer that reached a regimen closes with
/// the drug's routine monitoring (LabelledUse::monitoring).
enum class Reached { regimen, stopped_early };

/// Every indication of everolimus that its content lists.
Reached evaluate_everolimus(Ctx& ctx, const Derived& d);
Reached evaluate_sirolimus_lam(Ctx& ctx, const Derived& d);
Reached evaluate_sirolimus_topical_facial(Ctx& ctx, const Derived& d);
Reached evaluate_temsirolimus_rcc(Ctx& ctx, const Derived& d);
Reached evaluate_nab_sirolimus_pecoma(Ctx& ctx, const Derived& d);

/// A drug's labelled use: the indication ("" for every indication in the
/// drug's content), its evaluation, and the monitoring items (content
/// "<drug>.monitoring.<code>") an answer with a regimen closes with.
struct LabelledUse {
  std::string_view drug;
  std::string_view indication;
  Reached (*evaluate)(Ctx& ctx, const Derived& d);
  std::array<std::string_view, 6> monitoring;
};

inline constexpr LabelledUse kLabelledUses[] = {
    {"everolimus", "", evaluate_everolimus, {}},
    {"sirolimus", "lam", evaluate_sirolimus_lam,
     {"trough", "lipids", "urine_protein", "lung_function"}},
    {"sirolimus_topical", "tsc_facial_angiofibroma", evaluate_sirolimus_topical_facial, {}},
    {"temsirolimus", "rcc", evaluate_temsirolimus_rcc,
     {"cbc", "glucose", "lipids", "liver", "renal", "chest_imaging"}},
    {"nab_sirolimus", "pecoma", evaluate_nab_sirolimus_pecoma, {"potassium", "cbc", "glucose", "liver"}},
};

/// Eligibility for a drug the label does not cover for this indication (or
/// an indication no mTOR inhibitor is labelled for): not_indicated, with
/// the labelled alternatives from "indications.<indication>".
void evaluate_unlabelled(Ctx& ctx, const std::string& drug);

}  // namespace mtorcalc
