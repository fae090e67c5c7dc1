// Unit slips (content "plausibility.unit_slip"): a value that fits a common
// unit mistake is flagged with what was probably meant. Out of the schema's
// range it stays an error and gains a suggestion; in range (a lab that would
// be life-threatening in the field's unit but normal in another) it is a
// serious warning and the value is used as entered, the cautious reading.
#pragma once

#include <vector>

#include "eval.hpp"
#include "request.hpp"

namespace mtorcalc {

/// Adds `suggestion` and `rule` to the out_of_range errors of `doc` whose
/// value fits a unit slip rule.
void suggest_unit_slips(const json& doc, std::vector<RequestError>& errors);

/// Warns about in-range lab values that fit a unit slip (bilirubin, calcium).
void warn_lab_unit_slips(Ctx& ctx);

}  // namespace mtorcalc
