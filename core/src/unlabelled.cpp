// A drug asked for an indication its label does not cover, or an indication
// no mTOR inhibitor is labelled for: not_indicated, with the labelled options.
#include "drugs.hpp"
#include "eligibility.hpp"
#include "mechanisms.hpp"

namespace mtorcalc {

using namespace std::string_view_literals;

namespace {

// Ridaforolimus was never approved: for sarcoma maintenance (the use it was
// studied for) the answer gives the trial's effect and the regulatory
// outcome; for any other indication the same not_indicated with the status.
void evaluate_ridaforolimus(Ctx& ctx, const std::string& ind) {
  const std::string drug = "ridaforolimus";
  const bool studied = ind == "sarcoma_maintenance";
  const std::string scope =
      studied ? "ridaforolimus.indications.sarcoma_maintenance" : "ridaforolimus.other_indications";
  ctx.rule(scope);
  Eligibility e(ctx, drug, scope);
  if (studied) {
    e.criterion("approved_for_indication", false);
    e.alternative("trial_or_observation");
  } else {
    e.criterion("labelled_for_indication", false);
  }
  e.finish(Status::not_indicated);
  ojson& notes = ctx.eligibility["notes"sv];
  if (!notes.is_array()) notes = ojson::array();
  if (studied) {
    ctx.rule(scope + ".evidence.succeed");
    notes.push_back(coded_text(scope + ".evidence.succeed", "succeed"));
  } else {
    notes.push_back(coded_text(scope, "other_indications"));
  }
  ctx.rule("ridaforolimus.regulatory_status");
  notes.push_back(coded_text("ridaforolimus.regulatory_status", "regulatory_status"));
  evaluate_interactions(ctx, drug, "");
}

}  // namespace

void evaluate_unlabelled(Ctx& ctx, const std::string& drug) {
  std::string ind = ctx.req.indication();
  if (drug == "ridaforolimus") return evaluate_ridaforolimus(ctx, ind);
  std::string scope = "indications." + ind;
  const json& i = ctx.rule(scope);
  Eligibility e(ctx, drug, "common.unlabelled");
  e.criterion("labelled_for_indication", false);
  e.finish(Status::not_indicated);
  // Name the labelled drugs for this indication as alternatives.
  ojson alts = ojson::array();
  if (i.is_object() && i.contains("drugs"sv))
    for (const auto& x : i["drugs"sv]) {
      std::string other = x.get<std::string>();
      if (other == drug) continue;
      alts.push_back({{"code", "labelled_" + other},
                      {"text", content::at(other + ".text").is_string()
                                   ? content::at(other + ".text").get<std::string>()
                                   : other},
                      {"refs", Ctx::refs_of(i)}});
    }
  if (i.is_object() && i.contains("notes"sv))
    for (const auto& [code, n] : i["notes"sv].items()) {
      ctx.rule(scope + ".notes." + code);
      alts.push_back({{"code", code}, {"text", n.value("text"sv, "")}, {"refs", Ctx::refs_of(n)}});
    }
  ctx.eligibility["alternatives"sv] = std::move(alts);
  // Comedications are never silently dropped: known ones are listed (no
  // labelled action applies without a labelled use), unknown ones come back
  // in interactions_unrecognized.
  evaluate_interactions(ctx, drug, "");
}

}  // namespace mtorcalc
