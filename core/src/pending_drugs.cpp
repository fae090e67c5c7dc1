// Drug families whose rules are being written (sirolimus, topical sirolimus,
// temsirolimus, nab-sirolimus): until then they answer not_indicated.
#include "drugs.hpp"

namespace mtorcalc {
void evaluate_sirolimus(Ctx& ctx, const Derived&) { evaluate_unlabelled(ctx, "sirolimus"); }
void evaluate_sirolimus_topical(Ctx& ctx, const Derived&) { evaluate_unlabelled(ctx, "sirolimus_topical"); }
void evaluate_temsirolimus(Ctx& ctx, const Derived&) { evaluate_unlabelled(ctx, "temsirolimus"); }
void evaluate_nab_sirolimus(Ctx& ctx, const Derived&) { evaluate_unlabelled(ctx, "nab_sirolimus"); }
}  // namespace mtorcalc
