// Helpers shared by the sirolimus-family modules (sirolimus, topical
// sirolimus, temsirolimus, nab-sirolimus): the NCI hepatic category used by
// the Torisel and Fyarro labels, and the engine's choice of drug for an
// indication whose labelled drug depends on the patient (RCC).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "derived.hpp"
#include "eval.hpp"

namespace mtorcalc {

/// NCI hepatic-dysfunction category from total bilirubin and AST against the
/// local upper limits of normal (torisel-pi-2.4, fyarro-pi-2.4).
enum class NciHepatic { normal, mild, moderate, severe, unknown };

struct NciHepaticResult {
  NciHepatic category = NciHepatic::unknown;
  std::vector<std::string> missing;  // JSON Pointers of inputs still needed
  bool ast_unknown = false;          // normal bilirubin, AST not judged
  std::optional<double> bilirubin_uln_ratio;
};

/// Classifies by the content thresholds `bands` = {"mild_gt", "moderate_gt",
/// "severe_gt"} (multiples of the bilirubin ULN); AST > ULN with bilirubin
/// ≤ ULN counts as mild.
[[nodiscard]] NciHepaticResult nci_hepatic(const Request& req, const json& bands);

/// Why no dose can be given by the NCI hepatic category yet: AST above its
/// ULN with no bilirubin (at least mild, so never the full dose), or a liver
/// value given without the laboratory's ULN it must be judged against.
struct HepaticPending {
  std::string reason;     // "ast_above_uln_bilirubin_unknown" or "liver_value_without_uln"
  std::string rule_code;  // "<drug>.hepatic.<rule_code>" holds the text
  std::vector<std::string> missing;
};
[[nodiscard]] std::optional<HepaticPending> hepatic_pending(const Request& req,
                                                            const NciHepaticResult& h);

/// A held dose, announced: records the rule "<drug>.hepatic.<rule_code>",
/// adds its text to the regimen's `notes` and the hepatic warning, and
/// returns the rule.
const json& announce_hepatic_pending(Ctx& ctx, std::string_view drug, const HepaticPending& hold,
                                     std::vector<std::string>& notes);

/// The regimen without a dose while liver values are pending: no mg or
/// mg/m² dose and no units, and "dose_pending" saying why, what is missing
/// and from which rule.
void set_dose_pending(ojson& regimen, std::string_view drug, const HepaticPending& hold,
                      const json& rule);

/// A number as a person writes it in a note: "2", "1.5", "12.5".
[[nodiscard]] std::string num_text(double value);

/// The drug the engine picks when the request names none: the first of
/// "indications.<indication>.default_rules" whose conditions hold, else
/// nullopt (the indication's default_drug then applies).
struct DrugChoice {
  std::string drug;
  std::string rule_id;  // content id of the rule that chose it
};
[[nodiscard]] std::optional<DrugChoice> choose_default_drug(const Request& req);

/// Records the choice in the response (eligibility.drug_choice and rules).
void record_drug_choice(Ctx& ctx, const DrugChoice& choice);

}  // namespace mtorcalc
