// Everolimus (Afinitor, Afinitor Disperz): eligibility, dose, hepatic
// adjustment, warnings and monitoring per indication. Numbers: content/everolimus.json.
#include <algorithm>

#include "dosing.hpp"
#include "drugs.hpp"
#include "eligibility.hpp"

namespace mtorcalc {
namespace {

constexpr const char* drug = "everolimus";

bool contains_any(const std::vector<std::string>& have, const json& wanted) {
  for (const auto& h : have)
    for (const auto& w : wanted)
      if (w == h) return true;
  return false;
}

// Hypersensitivity to rapamycin derivatives is a contraindication for every
// indication (PI §4); returns true when it applies.
bool hypersensitivity(Eligibility& e, const Ctx& ctx) {
  auto h = ctx.req.flag({"patient", "rapamycin_hypersensitivity"});
  e.criterion("no_rapamycin_hypersensitivity", h ? std::optional<bool>(!*h) : std::optional<bool>(true));
  return h == std::optional<bool>(true);
}

// Fixed-dose hepatic adjustment by Child-Pugh class (PI §2.10).
void hepatic_fixed(Ctx& ctx, const Derived& d, RegimenSpec& spec) {
  if (!d.child_pugh_class) return;
  std::string id = std::string(drug) + ".hepatic.fixed_dose." + *d.child_pugh_class;
  const json& r = ctx.rule(id);
  if (!r.is_object()) return;
  double to = r["dose_mg"].get<double>();
  if (to < spec.dose_mg) {
    spec.adjustments.push_back({"hepatic_child_pugh_" + *d.child_pugh_class, spec.dose_mg, to, Ctx::refs_of(r), "", r.value("text", "")});
    spec.dose_mg = to;
  }
  ctx.warn(drug, "hepatic_impairment");
  if (r.contains("warning")) ctx.warn(drug, r["warning"].get<std::string>());
}

void rcc(Ctx& ctx, const Derived& d) {
  const std::string scope = "everolimus.indications.rcc";
  const json& ind = ctx.rule(scope);
  Eligibility e(ctx, drug, scope);
  bool contraindicated = hypersensitivity(e, ctx);

  auto advanced = ctx.req.flag({"condition", "rcc", "advanced"});
  e.criterion("advanced", advanced, {"/condition/rcc/advanced"});

  std::optional<bool> prior;
  if (ctx.req.has({"condition", "rcc", "prior_therapies"})) {
    prior = contains_any(ctx.req.strings({"condition", "rcc", "prior_therapies"}), ind["sunitinib_or_sorafenib"]);
  }
  e.criterion("prior_sunitinib_or_sorafenib", prior, {"/condition/rcc/prior_therapies"});

  Status status;
  if (contraindicated) status = Status::contraindicated;
  else if (e.any_unmet()) status = Status::not_indicated;
  else if (e.any_unknown()) status = Status::insufficient_data;
  else status = Status::indicated;
  if (prior == std::optional<bool>(false)) e.alternative("first_line_guideline");
  e.finish(status);

  if (status == Status::contraindicated || status == Status::not_indicated) return;
  RegimenSpec spec;
  spec.drug = drug;
  spec.form = ind["form"].get<std::string>();
  spec.dose_mg = ind["dose_mg"].get<double>();
  spec.frequency = ind["frequency"].get<std::string>();
  spec.refs = Ctx::refs_of(ind);
  hepatic_fixed(ctx, d, spec);
  ctx.regimen = regimen_json(ctx, spec);
  if (auto age = ctx.req.num({"patient", "age_years"}); age && *age >= 65) ctx.warn(drug, "geriatric_toxicity");
}

}  // namespace

void evaluate_everolimus(Ctx& ctx, const Derived& d) {
  std::string ind = ctx.req.indication();
  if (ind == "rcc") return rcc(ctx, d);
  evaluate_unlabelled(ctx, drug);
}

}  // namespace mtorcalc
