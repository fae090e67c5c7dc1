#include "plan.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dosing.hpp"
#include "everolimus_dosing.hpp"
#include "mechanisms.hpp"
#include "plausibility.hpp"
#include "request.hpp"
#include "sirolimus_family.hpp"

namespace mtorcalc {

using namespace std::string_view_literals;

namespace {

std::string mg_text(double v) {
  return plain_number(v) + " mg";
}

struct Dose {
  std::optional<double> mg;
  std::string frequency;
};

struct Ceiling {
  std::optional<double> mg;  // per administration at the plan's frequency
  std::string rule;
  void offer(double value, const std::string& rule_id) {
    if (!mg || value < *mg - 1e-9) {
      mg = value;
      rule = rule_id;
    }
  }
};

// The composition as it goes: the dose now, the steps that moved it.
struct Composition {
  Dose dose;
  ojson steps = ojson::array();
  void step(const std::string& rule, std::string_view effect, std::optional<double> from,
            std::optional<double> to) {
    ojson s = ojson::object();
    s["rule"sv] = rule;
    s["effect"sv] = effect;
    s["from_mg"sv] = from ? ojson(*from) : ojson(nullptr);
    s["to_mg"sv] = to ? ojson(*to) : ojson(nullptr);
    steps.push_back(std::move(s));
  }
};

std::optional<double> num(const ojson& o, std::string_view key) {
  if (!o.is_object()) return std::nullopt;
  auto it = o.find(std::string(key));
  if (it == o.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

// A true/false field that may be null (at_steady_state without the days on
// the dose): nlohmann's value() would throw on the null.
std::optional<bool> boolean(const ojson& o, std::string_view key) {
  if (!o.is_object()) return std::nullopt;
  auto it = o.find(std::string(key));
  if (it == o.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

std::string text(const ojson& o, std::string_view key) {
  if (!o.is_object()) return "";
  auto it = o.find(std::string(key));
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

double daily(const Dose& d) {
  return d.mg ? *d.mg * daily_factor(d.frequency) : 0;
}

// mg/m² × BSA as it is given: to the form's step, a half up (nab-sirolimus:
// whole mg, content forms.*.dose_increment_mg), else to 2 decimals.
double per_m2_dose(double mg_per_m2, double bsa_m2, std::optional<double> increment_mg) {
  const double mg = mg_per_m2 * bsa_m2;
  if (!increment_mg) return round_to(mg, 2);
  return round_to(std::floor(mg / *increment_mg + 0.5 + 1e-9) * *increment_mg, 2);
}

// Trough-dosed uses (the label's or TSC practice's trough target).
bool trough_dosed(const std::string& drug, const std::string& indication) {
  if (drug == "sirolimus") return indication == "lam";
  return drug == "everolimus" && (indication == "tsc_sega" || indication == "tsc_seizures" ||
                                  indication == "tsc_renal_aml");
}

// Fixed-dose everolimus: the labelled dose is also its maximum.
bool fixed_everolimus(const std::string& drug, const std::string& indication) {
  return drug == "everolimus" && indication != "tsc_sega" && indication != "tsc_seizures";
}

bool is_inhibitor(const std::string& klass) {
  return klass.find("inhibitor") != std::string::npos;
}
bool is_inducer(const std::string& klass) {
  return klass.find("inducer") != std::string::npos;
}

// The toxicity row that acts: the worst action of all (discontinue > withhold
// > a reduced dose now); null when every row says continue or has no action.
const ojson* acting_toxicity(const ojson& toxicity) {
  auto rank = [](const std::string& a) {
    if (a == "discontinue") return 3;
    if (a == "withhold") return 2;
    if (a.empty() || a == "continue") return 0;
    return 1;
  };
  const ojson* worst = nullptr;
  int worst_rank = 0;
  for (const auto& t : toxicity) {
    int r = rank(text(t, "action"));
    if (r > worst_rank) {
      worst = &t;
      worst_rank = r;
    }
  }
  return worst;
}

// The interaction entries whose rule moves a dose (a dose to give or avoid).
bool acts_on_dose(const ojson& ix) {
  std::string a = text(ix, "action");
  return a == "reduce_dose" || a == "increase_dose" || a == "avoid";
}

// When a comedication was started or stopped (docs/plan.md 1): as given in
// comedication_status, else taken at the start when there is no therapy yet,
// and started since the current dose when there is.
struct CoStatus {
  std::string status;
  std::optional<double> days_since_change;
  std::optional<double> dose_before_mg;
  bool assumed = false;  // no comedication_status entry: read from the therapy
};
CoStatus status_of(const Ctx& ctx, const std::string& name, bool on_therapy) {
  const std::string key = canonical_comedication(name);
  const json& all = ctx.req.node({"comedication_status"});
  if (all.is_array())
    for (const auto& s : all) {
      if (canonical_comedication(s["name"sv].get<std::string>()) != key) continue;
      CoStatus c{s["status"sv].get<std::string>(), std::nullopt, std::nullopt};
      if (s.contains("days_since_change"sv))
        c.days_since_change = s["days_since_change"sv].get<double>();
      if (s.contains("dose_before_mg"sv)) c.dose_before_mg = s["dose_before_mg"sv].get<double>();
      return c;
    }
  return {on_therapy ? "started" : "ongoing_at_start", std::nullopt, std::nullopt, true};
}

// A current dose above the highest dose the label names for the drug
// (content "plausibility.current_dose_max", check_current_dose): nothing is
// composed from it.
bool implausible_current_dose(Ctx& ctx, const std::string& drug, const std::string& indication,
                              const Derived& d) {
  auto current = ctx.req.num({"therapy", "current_dose_mg"});
  const CurrentDoseCheck check = check_current_dose(ctx, drug, indication, d.bsa_m2);
  if (!current || !check.implausible) return false;
  ctx.record_rule(check.plausibility_rule);
  ctx.warn(drug, "current_dose_above_label");
  // A misplaced decimal point or micrograms typed as mg: say what was
  // probably meant; nothing is composed from the guess.
  const std::string hints_id = "plausibility.dose_slip_hints";
  const json& hints = content::at(hints_id);
  ojson* warning = nullptr;
  for (auto& w : ctx.warnings)
    if (text(w, "code") == "current_dose_above_label") warning = &w;
  if (hints.is_object() && hints["divisors"sv].is_array() && warning)
    for (const auto& div : hints["divisors"sv]) {
      const double meant = *current / div.get<double>();
      if (meant * check.per_dose_factor > check.limit + 1e-9) continue;
      ctx.record_rule(hints_id);
      ojson& w = *warning;
      w["text"sv] = w["text"sv].get<std::string>() + " Was " + plain_number(meant) + " mg meant?";
      break;
    }
  return true;
}

// Which comedications a ceiling counts: those taken now (an inducer stopped
// fewer days ago than its rule's washout still raises the label's maximum:
// Afinitor §2.12 returns to the earlier dose only after it), or those still
// taken once every washout has passed (the dose to return to).
enum class Moment { now, after_washout };

// The lowest ceiling of every rule that sets one (docs/plan.md 3.6).
Ceiling ceiling_of(Ctx& ctx, const std::string& drug, const std::string& indication,
                   const Derived& d, const Dose& start, bool titrating,
                   Moment moment = Moment::now) {
  Ceiling c;
  std::optional<double> bsa = d.bsa_m2;
  if (auto given = ctx.req.num({"patient", "bsa_m2"})) bsa = *given;
  const std::string ind_id = drug + ".indications." + indication;
  const json& ind = content::at(ind_id);
  // mg/m² ceilings compare with doses at the form's precision.
  const auto form_it = ind.is_object() ? ind.find("form") : ind.end();
  const std::string form_of_ceiling =
      form_it != ind.end() && form_it->is_string() ? form_it->get<std::string>() : "";
  bool inducer = false;
  const bool on_therapy = ctx.req.num({"therapy", "current_dose_mg"}).has_value();
  auto active = [&](const ojson& ix) {
    const CoStatus st = status_of(ctx, text(ix, "drug"), on_therapy);
    if (st.status != "stopped") return true;
    return moment == Moment::now && is_inducer(text(ix, "class")) &&
           st.days_since_change.value_or(0) < num(ix, "washout_days").value_or(0);
  };
  for (const auto& ix : ctx.interactions)
    inducer = inducer || (is_inducer(text(ix, "class")) && active(ix));

  if (fixed_everolimus(drug, indication) || drug == "temsirolimus") {
    double label =
        ind.is_object() && ind["dose_mg"sv].is_number() ? ind["dose_mg"sv].get<double>() : 0;
    std::string rule = ind_id + ".dose_mg";
    const std::string inducer_id = drug + ".interactions.strong_cyp3a4_inducer";
    const json& ir = content::at(inducer_id);
    if (inducer && ir.is_object() && ir["dose_mg"sv].is_number()) {
      label = ir["dose_mg"sv].get<double>();
      rule = inducer_id;
    }
    if (label > 0) c.offer(label, rule);
  }
  if (drug == "nab_sirolimus" && bsa && ind.is_object() && ind["dose_mg_per_m2"sv].is_number())
    c.offer(per_m2_dose(ind["dose_mg_per_m2"sv].get<double>(), *bsa,
                        increment_of(drug, form_of_ceiling)),
            ind_id + ".dose_mg_per_m2");
  // The regimen's hepatic and combination adjustments lower the label's dose;
  // for the fixed-dose drugs each is also a maximum (Afinitor §2.10 "must not
  // be exceeded", Torisel §2.4, Fyarro §2.4, Lenvima §2).
  if ((fixed_everolimus(drug, indication) || drug == "temsirolimus" || drug == "nab_sirolimus") &&
      ctx.regimen.is_object() && ctx.regimen.contains("adjustments"sv)) {
    for (const auto& a : ctx.regimen["adjustments"sv]) {
      std::string code = text(a, "code");
      auto to = num(a, "to_mg");
      if (!to) continue;
      if (code.rfind("hepatic", 0) == 0) {
        // Adjustment codes name the hepatic rule ("hepatic_mild" -> "<drug>.hepatic.mild").
        std::string rule = drug == "everolimus" && d.child_pugh_class
                               ? "everolimus.hepatic.fixed_dose." + *d.child_pugh_class
                               : drug + ".hepatic." + code.substr(std::string("hepatic_").size());
        c.offer(*to, rule);
      } else if (code == "lenvatinib_combination") {
        c.offer(*to, "everolimus.interactions.lenvatinib_combination");
      }
    }
  }
  // An inhibitor's dose bounds every dose while it is taken: its dose if it
  // cannot be avoided (Torisel 12.5 mg, Fyarro 56 mg/m²); for fixed-dose
  // everolimus (Afinitor §2.11, "reduce to 2.5 mg; may increase to 5 mg if
  // tolerated") the 5 mg.
  const bool fixed = fixed_everolimus(drug, indication);
  if (fixed || drug == "temsirolimus" || drug == "nab_sirolimus")
    for (const auto& ix : ctx.interactions) {
      std::string klass = text(ix, "class");
      if (!is_inhibitor(klass) || !active(ix)) continue;
      const std::string id = fixed ? text(ix, "rule") : drug + ".interactions." + klass;
      const json& r = content::at(id);
      if (!r.is_object() || (fixed && text(ix, "action") != "reduce_dose")) continue;
      // Fixed-dose everolimus: the most with the inhibitor is the label's
      // increase if tolerated; the 2.5 mg to give when it starts is the
      // rule's dose (the interaction stage, or the restart's).
      const std::string key = fixed ? "names_dose_mg" : "dose_mg";
      if (r[key].is_number()) c.offer(r[key].get<double>(), id);
      if (r["dose_mg_per_m2"sv].is_number() && bsa)
        c.offer(per_m2_dose(r["dose_mg_per_m2"sv].get<double>(), *bsa,
                            increment_of(drug, form_of_ceiling)),
                id);
    }
  // A stated Child-Pugh class B or C where the label classifies by NCI
  // values: the mildest hepatic dose bounds the answer until they are given.
  auto stated = ctx.req.str({"patient", "hepatic", "child_pugh_class"});
  if ((drug == "temsirolimus" || drug == "nab_sirolimus") && stated && *stated != "A" &&
      !ctx.req.num({"patient", "labs", "bilirubin_mg_dl"})) {
    const std::string id = drug + ".hepatic.mild";
    const json& mild = content::at(id);
    if (mild.is_object() && mild["dose_mg"sv].is_number())
      c.offer(mild["dose_mg"sv].get<double>(), id);
    if (mild.is_object() && mild["dose_mg_per_m2"sv].is_number() && bsa)
      c.offer(per_m2_dose(mild["dose_mg_per_m2"sv].get<double>(), *bsa,
                          increment_of(drug, form_of_ceiling)),
              id);
  }
  if (drug == "sirolimus") {
    const json& tdm = content::at("sirolimus.tdm");
    if (tdm.is_object() && tdm["max_daily_dose_mg"sv].is_number() && !start.frequency.empty())
      c.offer(tdm["max_daily_dose_mg"sv].get<double>() / daily_factor(start.frequency),
              "sirolimus.tdm.max_daily_dose_mg");
  }
  // Trough-guided everolimus: one titration step raises the dose by at most
  // the label's step (Afinitor §2.8).
  if (drug == "everolimus" && titrating && !fixed_everolimus(drug, indication) && start.mg) {
    const json& tdm = content::at("everolimus.tdm");
    if (tdm.is_object() && tdm["max_increase_mg_per_step"sv].is_number())
      c.offer((daily(start) + tdm["max_increase_mg_per_step"sv].get<double>()) /
                  daily_factor(start.frequency),
              "everolimus.tdm");
  }
  if (c.mg) c.mg = round_to(*c.mg, 2);
  return c;
}

// The largest dose at most `mg` that the form can make (tablets: a sum of
// one form's strengths; a liquid: its measuring step; IV: as given).
double within_form(const std::string& drug, const std::string& form, double mg) {
  if (auto step = increment_of(drug, form))
    return round_to(std::floor(mg / *step + 1e-9) * *step, 2);
  auto strengths = strengths_of(drug, form);
  const json& f = content::at(drug + ".forms." + form);
  if (strengths.empty() || (f.is_object() && f.value("unit"sv, "") == "vial"sv)) return mg;
  return largest_achievable_at_most(strengths, mg);
}

// What to give, in one form (contract: units make the dose exactly).
ojson plan_units(const std::string& drug, const std::string& form, std::optional<double> mg) {
  if (!mg) return ojson::array();
  const json& f = content::at(drug + ".forms." + form);
  if (!f.is_object()) return ojson::array();
  if (f["concentration_mg_ml"sv].is_number()) {
    double c = f["concentration_mg_ml"sv].get<double>();
    return ojson::array(
        {{{"concentration_mg_ml", c}, {"volume_ml", round_to(*mg / c, 2)}, {"unit", "mL"}}});
  }
  if (f["concentration_percent"sv].is_number()) {
    double gel = round_to(*mg / (f["concentration_percent"sv].get<double>() / 100), 2);
    return ojson::array({{{"gel_mg_per_application", gel}, {"unit", "mg of gel"}}});
  }
  return units_json(drug, form, *mg);
}

std::string units_phrase(const ojson& units) {
  std::string out;
  auto fmt = [](double v) { return plain_number(v); };
  for (const auto& u : units) {
    if (!out.empty()) out += " + ";
    if (u.contains("volume_ml"sv)) {
      out += fmt(u["volume_ml"sv].get<double>()) + " mL of " +
             fmt(u["concentration_mg_ml"sv].get<double>()) + " mg/mL solution";
    } else if (u.contains("gel_mg_per_application"sv)) {
      out += "at most " + fmt(u["gel_mg_per_application"sv].get<double>()) +
             " mg of gel per application";
    } else {
      int n = u["count"sv].get<int>();
      // The plural on the noun: "2 × 3 mg tablets for oral suspension".
      std::string unit = u["unit"sv].get<std::string>();
      if (n != 1) unit.insert(std::min(unit.find(' '), unit.size()), "s");
      out +=
          std::to_string(n) + " \xC3\x97 " + fmt(u["strength_mg"sv].get<double>()) + " mg " + unit;
    }
  }
  return out;
}

std::string frequency_phrase(const std::string& f) {
  std::string out = f;
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

// "moderate_cyp3a4_inhibitor" -> "moderate CYP3A4 inhibitor".
std::string class_phrase(const std::string& klass) {
  std::string out = frequency_phrase(klass);
  for (auto at = out.find("cyp3a4"); at != std::string::npos; at = out.find("cyp3a4"))
    out.replace(at, 6, "CYP3A4");
  return out;
}

// The dose an interaction rule asks for from `d`: the rule's fixed dose, its
// mg/m² for this BSA, or the daily amount times its factor made in the form's
// strengths, every other day below the lowest (Afinitor §2.11, §2.12;
// Torisel §2.4; Fyarro §2.4).
std::optional<Dose> rule_dose(const std::string& drug, const ojson& ix, const Dose& d,
                              const std::string& form, std::optional<double> bsa_m2) {
  const json& r = content::at(text(ix, "rule"));
  if (!r.is_object()) return std::nullopt;
  const std::string frequency =
      r["frequency"sv].is_string() ? r["frequency"sv].get<std::string>() : d.frequency;
  if (r["dose_mg"sv].is_number()) return Dose{r["dose_mg"sv].get<double>(), frequency};
  if (r["dose_mg_per_m2"sv].is_number() && bsa_m2)
    return Dose{per_m2_dose(r["dose_mg_per_m2"sv].get<double>(), *bsa_m2, increment_of(drug, form)),
                frequency};
  if (!r["dose_factor"sv].is_number() || !d.mg) return std::nullopt;
  const FormDose fd = dose_in_form(strengths_of(drug, form),
                                   daily(d) * r["dose_factor"sv].get<double>(), tie_rule(drug));
  return Dose{fd.dose_mg, fd.frequency};
}

// A comedication that changes the drug's concentrations, started or stopped
// too recently for the trough to reflect it (content
// "<drug>.tdm.interacting_change"): the titration may not move the dose in
// the direction the change pushes the concentration.
struct TroughHold {
  std::string rule;
  std::string comedication;
  std::string status;
  std::optional<double> days_since_change;
  bool no_increase = false;  // the change raises concentrations
  bool no_decrease = false;  // the change lowers them
  bool assumed = false;      // no comedication_status entry: read as started
};
std::optional<TroughHold> trough_hold(const Ctx& ctx, const std::string& drug) {
  const std::string id = drug + ".tdm.interacting_change";
  const json& r = content::at(id);
  const json& tdm = content::at(drug + ".tdm");
  if (!r.is_object() || !tdm.is_object() || !tdm["steady_state_min_days"sv].is_number())
    return std::nullopt;
  const double steady = tdm["steady_state_min_days"sv].get<double>();
  auto listed = [&](std::string_view key, const std::string& klass) {
    for (const auto& k : r[key])
      if (k == klass) return true;
    return false;
  };
  std::optional<TroughHold> hold;
  for (const auto& ix : ctx.interactions) {
    const std::string klass = text(ix, "class");
    const bool raises = listed("raises_concentration", klass);
    if (!raises && !listed("lowers_concentration", klass)) continue;
    const CoStatus st = status_of(ctx, text(ix, "drug"), true);
    if (st.status == "ongoing_at_start") continue;
    if (st.days_since_change && *st.days_since_change >= steady) continue;
    if (!hold) hold = TroughHold{id, text(ix, "drug"), st.status, st.days_since_change};
    hold->assumed = hold->assumed || st.assumed;
    // Stopping a drug that raises concentrations lowers them, and the reverse.
    ((raises == (st.status == "started")) ? hold->no_increase : hold->no_decrease) = true;
  }
  return hold;
}

// A comedication the drug's label says to avoid (content "plan_avoid" on the
// interaction rule), still taken: the plan leads with avoiding it, in the
// label's own words, and gives its dose on the condition the label allows
// (once it is stopped or replaced; or, where the label names a dose if it
// cannot be avoided, that dose).
struct AvoidLead {
  std::string comedication;
  std::string klass;
  std::string text;
  std::string then;
  bool started = false;  // started now (not already taken)
};
std::optional<AvoidLead> avoid_lead(const Ctx& ctx, bool on_therapy) {
  // A drug started now first, then one already taken.
  for (std::string_view wanted : {"started"sv, "ongoing_at_start"sv})
    for (const auto& ix : ctx.interactions) {
      if (text(ix, "action") != "avoid") continue;
      const json& r = content::at(text(ix, "rule"));
      if (!r.is_object() || !r["plan_avoid"sv].is_object()) continue;
      if (status_of(ctx, text(ix, "drug"), on_therapy).status != wanted) continue;
      const json& a = r["plan_avoid"sv];
      return AvoidLead{text(ix, "drug"), text(ix, "class"), a.value("text"sv, std::string()),
                       a.value("then"sv, std::string()), wanted == "started"sv};
    }
  return std::nullopt;
}

// An adverse event as a clinician names it: a lab grade the engine derived
// by its CTCAE term ("alanine aminotransferase increased"), a reported one
// by its term ("non-infectious pneumonitis").
std::string event_phrase(const ojson& row) {
  std::string term = text(row, "term");
  const std::string source = text(row, "source");
  const std::string labs = "/patient/labs/";
  const json& lab_terms = content::at("ctcae.lab_terms");
  if (source.rfind(labs, 0) == 0 && lab_terms.is_object())
    for (const auto& [key, t] : lab_terms.items())
      if (t.is_object() && t.value("field"sv, std::string()) == source.substr(labs.size()) &&
          !t.contains("adverse_event"sv))
        term = key;
  for (auto at = term.find("non_"); at != std::string::npos; at = term.find("non_", at + 4))
    if (at == 0 || term[at - 1] == '_') term[at + 3] = '-';
  std::replace(term.begin(), term.end(), '_', ' ');
  // The lab terms as a prescriber says them.
  for (auto [full, short_name] : {std::pair<std::string_view, std::string_view>{
                                      "alanine aminotransferase increased", "ALT increased"},
                                  {"aspartate aminotransferase increased", "AST increased"}})
    if (term == full) term = std::string(short_name);
  return term + " grade " + plain_number(num(row, "grade").value_or(0));
}

// A row's recovery condition with its event named: "grade 0–1" and
// "resolved to grade 1 or less" read "thrombocytopenia grade ≤ 1"; other
// conditions (ANC, haemoglobin) as the row words them.
std::string recovery_phrase(const ojson& row, bool several) {
  const std::string until = text(row, "until");
  std::string event = event_phrase(row);
  event = event.substr(0, event.rfind(" grade "));
  std::string u = until;
  if (u.rfind("resolved to ", 0) == 0) u = u.substr(12);
  const std::string dash = "\xE2\x80\x93", le = "grade \xE2\x89\xA4 ", or_less = " or less";
  if (u.rfind("grade ", 0) == 0 && u.size() > 7 && std::isdigit(static_cast<unsigned char>(u[6]))) {
    std::string rest = u.substr(7);
    if (u[6] == '0' && rest.rfind(dash, 0) == 0 && rest.size() > dash.size())
      return event + " " + le + rest.substr(dash.size());
    if (rest.rfind(or_less, 0) == 0)
      return event + " " + le + u.substr(6, 1) + rest.substr(or_less.size());
  }
  return several ? event + ": " + until : until;
}

// A sentence's text inside another sentence: its first letter lower-cased,
// unless it begins an acronym (HER2, SEGA).
std::string as_clause(std::string t) {
  if (!t.empty() && (t.size() < 2 || !std::isupper(static_cast<unsigned char>(t[1]))))
    t[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(t[0])));
  return t;
}

// "a", "a and b", "a, b and c".
std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  return out;
}

// The first eligibility criterion not met, as a clause ("" when none, or
// when it has no content text and would show its code).
std::string first_unmet_criterion(const Ctx& ctx) {
  if (!ctx.eligibility.is_object() || !ctx.eligibility.contains("criteria"sv)) return "";
  for (const auto& c : ctx.eligibility["criteria"sv]) {
    const std::string t = text(c, "text");
    if (c["met"sv] == false && !t.empty() && t != text(c, "code")) return as_clause(t);
  }
  return "";
}

// Why a trough was not titrated from: {rule, text, refs} of its content rule.
ojson held_note(const std::string& rule) {
  const json& r = content::at(rule);
  return {{"rule", rule}, {"text", r["text"sv].get<std::string>()}, {"refs", Ctx::refs_of(r)}};
}

// A loading dose belongs to a rise from the trough; without the rise it goes,
// with the rules it recorded.
void drop_loading_dose(Ctx& ctx) {
  if (!ctx.titration.contains("loading_dose_option"sv)) return;
  for (std::string_view key : {"rule"sv, "rounding_rule"sv}) {
    const std::string rid = text(ctx.titration["loading_dose_option"sv], key);
    ctx.rules.erase(std::remove(ctx.rules.begin(), ctx.rules.end(), rid), ctx.rules.end());
  }
  ctx.titration.erase("loading_dose_option");
}

// The label's own words for an unmet criterion, where content gives them
// ("unmet_text": a hepatic contraindication or "avoid" is not "not
// indicated"); "" when none does.
std::string unmet_label_text(const Ctx& ctx, const std::string& drug,
                             const std::string& indication) {
  if (ctx.eligibility.is_object() && ctx.eligibility.contains("criteria"sv))
    for (const auto& c : ctx.eligibility["criteria"sv]) {
      if (c["met"sv] != false) continue;
      const json& r =
          content::at(drug + ".indications." + indication + ".criteria." + text(c, "code"));
      if (r.is_object() && r["unmet_text"sv].is_string()) return r["unmet_text"sv];
    }
  return "";
}

// Why a start is refused: the label's words for an unmet criterion, else
// the first unmet criterion's text, else the eligibility status.
std::string refusal_reason(const Ctx& ctx, const std::string& drug, const std::string& indication,
                           const std::string& status) {
  if (std::string own = unmet_label_text(ctx, drug, indication); !own.empty()) return own;
  const std::string what = status == "contraindicated" ? "contraindicated" : "not indicated";
  const std::string unmet = first_unmet_criterion(ctx);
  return unmet.empty() ? what : what + "; not met: " + unmet;
}

// An input the answer waits for, as a clinician names it. The request's
// field names carry units and underscores; the summary reads as prose.
std::string input_phrase(std::string_view pointer) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"/patient/weight_kg", "weight"},
      {"/patient/height_cm", "height"},
      {"/patient/bsa_m2", "body surface area"},
      {"/patient/age_years", "age"},
      {"/patient/sex", "sex"},
      {"/patient/tsc_definite", "whether TSC is definite"},
      {"/patient/rapamycin_hypersensitivity",
       "hypersensitivity to rapamycin derivatives (yes or no)"},
      {"/patient/labs/bilirubin_mg_dl", "bilirubin"},
      {"/patient/limits/bilirubin_uln_mg_dl", "bilirubin's upper limit of normal"},
      {"/patient/labs/ast_u_l", "AST"},
      {"/patient/labs/alt_u_l", "ALT"},
      {"/patient/limits/alt_uln_u_l", "ALT's upper limit of normal"},
      {"/patient/limits/ast_uln_u_l", "AST's upper limit of normal"},
      {"/patient/hepatic/bilirubin_mg_dl", "bilirubin (Child-Pugh)"},
      {"/patient/hepatic/albumin_g_dl", "albumin (Child-Pugh)"},
      {"/patient/hepatic/inr", "INR (Child-Pugh)"},
      {"/patient/hepatic/ascites", "ascites (Child-Pugh)"},
      {"/patient/hepatic/encephalopathy", "encephalopathy (Child-Pugh)"},
      {"/therapy/current_dose_mg", "current dose"},
      {"/condition/rcc/advanced", "whether the RCC is advanced"},
      {"/condition/rcc/prior_therapies", "prior therapies"},
      {"/condition/pecoma/advanced", "whether the PEComa is advanced"},
      {"/condition/pecoma/malignant", "whether the PEComa is malignant"},
      {"/condition/net/origin", "the NET's origin"},
      {"/condition/net/progressive", "whether the NET is progressive"},
      {"/condition/net/functional_carcinoid", "whether it is a functional carcinoid"},
      {"/condition/net/well_differentiated", "whether the NET is well differentiated"},
      {"/condition/breast/postmenopausal", "menopausal status"},
      {"/condition/breast/hr_positive", "hormone receptor status"},
      {"/condition/breast/her2_negative", "HER2 status"},
      {"/condition/breast/prior_nonsteroidal_ai", "prior letrozole or anastrozole"},
      {"/condition/sega/needs_intervention", "whether the SEGA needs intervention"},
      {"/condition/sega/acute_symptoms", "whether there are acute symptoms"},
      {"/condition/sega/curatively_resectable", "whether it can be curatively resected"},
      {"/condition/seizures/partial_onset", "whether the seizures are partial-onset"},
      {"/condition/aml/largest_diameter_cm", "largest AML diameter"},
      {"/condition/aml/previous_largest_diameter_cm", "previous largest diameter"},
      {"/condition/aml/months_between_measurements", "months between measurements"},
      {"/condition/aml/growth_cm_per_year", "growth per year"},
      {"/condition/aml/aneurysm_mm", "largest aneurysm"},
      {"/condition/aml/high_tumor_burden", "tumour burden"},
      {"/condition/aml/acute_hemorrhage", "whether there is acute haemorrhage"},
      {"/condition/aml/needs_immediate_surgery", "whether immediate surgery is needed"},
      {"/condition/lam/fev1_percent_predicted", "FEV1 (% predicted)"},
      {"/condition/lam/fev1_decline_ml_per_year", "FEV1 decline per year"},
  };
  for (const auto& [p, name] : kNames)
    if (p == pointer) return std::string(name);
  // Any other field by its last name, without its unit.
  std::string last(pointer.substr(pointer.rfind('/') + 1));
  for (std::string_view unit : {"_mg_dl"sv, "_g_dl"sv, "_u_l"sv, "_per_ul"sv, "_kg"sv, "_cm"sv,
                                "_mm"sv, "_years"sv, "_mg"sv, "_m2"sv, "_ng_ml"sv})
    if (last.size() > unit.size() &&
        last.compare(last.size() - unit.size(), unit.size(), unit) == 0)
      last.resize(last.size() - unit.size());
  std::replace(last.begin(), last.end(), '_', ' ');
  return last;
}

// What a start waits for: the inputs the dose needs (a BSA's weight and
// height), and, when the dose has none missing or eligibility is undecided,
// the inputs that would decide an unknown criterion. Inputs only a risk
// score needs are left out: the scores inform, they do not decide.
std::string missing_reason(const Ctx& ctx) {
  std::vector<std::string> pointers;
  auto add = [&](const ojson& list) {
    if (!list.is_array()) return;
    for (const auto& m : list)
      if (m.is_string() && std::find(pointers.begin(), pointers.end(), m) == pointers.end())
        pointers.push_back(m.get<std::string>());
  };
  // Read with find: a const json's operator[] on an absent key is undefined.
  auto field = [](const ojson& o, std::string_view key) -> const ojson* {
    if (!o.is_object()) return nullptr;
    auto it = o.find(key);
    return it == o.end() ? nullptr : &*it;
  };
  if (const ojson* m = field(ctx.regimen, "missing")) add(*m);
  // A dose held for a liver value (AST without its ULN, Torisel §2.4).
  if (const ojson* pending = field(ctx.regimen, "dose_pending"))
    if (const ojson* m = field(*pending, "missing")) add(*m);
  const bool undecided = text(ctx.eligibility, "status") == "insufficient_data";
  if ((undecided || pointers.empty()) && ctx.eligibility.is_object()) {
    std::vector<std::string> score_only;
    if (ctx.derived.is_object())
      for (const auto& value : ctx.derived)
        if (const ojson* list = field(value, "missing"); list && list->is_array())
          for (const auto& m : *list)
            if (m.is_string()) score_only.push_back(m.get<std::string>());
    const ojson* wanted = field(ctx.eligibility, "missing");
    static const ojson kNone = ojson::array();
    for (const auto& m : wanted && wanted->is_array() ? *wanted : kNone) {
      if (!m.is_string() ||
          std::find(score_only.begin(), score_only.end(), m) != score_only.end() ||
          std::find(pointers.begin(), pointers.end(), m) != pointers.end())
        continue;
      pointers.push_back(m.get<std::string>());
    }
  }
  if (pointers.empty()) return "";
  std::vector<std::string> names;
  for (const auto& p : pointers) {
    std::string n = input_phrase(p);
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(std::move(n));
  }
  return "enter " + joined(names);
}

// A check window as read aloud: "1–2 weeks", "1 week", "2–9 days".
std::string window_phrase(const ojson& w) {
  const bool weeks = w[0].get<int>() % 7 == 0 && w[1].get<int>() % 7 == 0;
  auto n = [&](const ojson& x) { return std::to_string(x.get<int>() / (weeks ? 7 : 1)); };
  const bool one = w[0] == w[1] && n(w[1]) == "1";
  return n(w[0]) + (w[0] == w[1] ? "" : "\xE2\x80\x93" + n(w[1])) +
         (weeks ? (one ? " week" : " weeks") : (one ? " day" : " days"));
}

// A content text with the plan's window in place of "{window}".
std::string with_window(std::string t, const ojson& w) {
  if (auto at = t.find("{window}"); at != std::string::npos) t.replace(at, 8, window_phrase(w));
  return t;
}

// An interacting drug whose rule gives a dose (not only avoid or monitor),
// started or stopped fewer days ago than the trough needs to reflect it,
// where the titration would move the dose the way the change pushes the
// concentration (an increase from a trough drawn before an inhibitor acted).
bool fresh_dose_interaction(const Ctx& ctx, const std::string& drug, double current_daily_mg) {
  const json& tdm = content::at(drug + ".tdm");
  const json& change = content::at(drug + ".tdm.interacting_change");
  if (!change.is_object() || !tdm.is_object() || !tdm["steady_state_min_days"sv].is_number() ||
      !ctx.titration.is_object())
    return false;
  auto new_mg = num(ctx.titration, "new_dose_mg");
  if (!new_mg) return false;
  const double titrated = *new_mg * daily_factor(text(ctx.titration, "new_frequency").empty()
                                                     ? "once_daily"
                                                     : text(ctx.titration, "new_frequency"));
  const bool up = titrated > current_daily_mg + 1e-9, down = titrated < current_daily_mg - 1e-9;
  auto listed = [&](std::string_view key, const std::string& klass) {
    for (const auto& k : change[key])
      if (k == klass) return true;
    return false;
  };
  const double steady = tdm["steady_state_min_days"sv].get<double>();
  for (const auto& ix : ctx.interactions) {
    if (!acts_on_dose(ix)) continue;
    const std::string klass = text(ix, "class");
    const bool raises = listed("raises_concentration", klass);
    if (!raises && !listed("lowers_concentration", klass)) continue;
    const json& r = content::at(text(ix, "rule"));
    if (!r.is_object() || !(r["dose_mg"sv].is_number() || r["dose_factor"sv].is_number() ||
                            r["dose_mg_per_m2"sv].is_number()))
      continue;
    const CoStatus st = status_of(ctx, text(ix, "drug"), true);
    if (st.status == "ongoing_at_start") continue;
    if (st.days_since_change && *st.days_since_change >= steady) continue;
    // The trough does not reflect the change yet: it is titrated from only
    // where the titration already moves the way the change asks (a high
    // trough lowered as an inhibitor starts); otherwise, an in-range trough
    // included, the rule's change is made instead (docs/plan.md 12).
    const bool pushes_up = raises == (st.status == "started");
    if ((pushes_up && !down) || (!pushes_up && !up)) return true;
  }
  return false;
}

std::string drug_name(const std::string& drug) {
  if (drug == "sirolimus_topical") return "sirolimus gel";
  if (drug == "nab_sirolimus") return "nab-sirolimus";
  return drug;
}

}  // namespace

bool applies_at_start(const Ctx& ctx, std::string_view klass) {
  const bool on_therapy = ctx.req.num({"therapy", "current_dose_mg"}).has_value();
  for (const auto& ix : ctx.interactions) {
    if (text(ix, "class") != klass) continue;
    const std::string st = status_of(ctx, text(ix, "drug"), on_therapy).status;
    if (on_therapy ? st == "ongoing_at_start" : st != "stopped") return true;
  }
  return false;
}

bool taken_now(const Ctx& ctx, std::string_view klass) {
  const bool on_therapy = ctx.req.num({"therapy", "current_dose_mg"}).has_value();
  for (const auto& ix : ctx.interactions)
    if (text(ix, "class") == klass &&
        status_of(ctx, text(ix, "drug"), on_therapy).status != "stopped")
      return true;
  return false;
}

StartStep start_step(StartStep::Kind kind, double value, std::string code, const std::string& rule,
                     const json& r) {
  StartStep s;
  s.kind = kind;
  s.value = value;
  s.code = std::move(code);
  s.rule = rule;
  s.refs = Ctx::refs_of(r);
  s.note = r.value("text"sv, "");
  return s;
}

StartDose compose_start(const StartRules& rules) {
  StartDose out;
  if (rules.dose_mg) {
    double mg = *rules.dose_mg;
    for (const StartStep& s : rules.steps) {
      double to = s.value;
      if (s.kind == StartStep::Kind::dose_factor) {
        // The nearest dose the form makes (tablets, or the liquid's step).
        const double raw = mg * s.value;
        to = !rules.strengths_mg.empty() ? nearest_achievable(rules.strengths_mg, raw, rules.tie)
             : rules.increment_mg        ? nearest_increment(raw, *rules.increment_mg, rules.tie)
                                         : raw;
        out.rounded = out.rounded || std::fabs(to - raw) > 1e-9;
      } else if (s.kind != StartStep::Kind::dose_mg) {
        continue;
      }
      if (to >= mg) continue;
      out.adjustments.push_back({s.code, mg, to, s.refs, "", s.note, s.rule});
      mg = to;
    }
    out.dose_mg = mg;
    return out;
  }
  if (!rules.dose_mg_per_m2) return out;
  // mg/m² levels first (they replace the labelled level), then the BSA,
  // rounded to what the form makes, then the daily-amount rules.
  double per_m2 = *rules.dose_mg_per_m2;
  for (const StartStep& s : rules.steps) {
    if (s.kind != StartStep::Kind::dose_mg_per_m2) continue;
    if (s.value < per_m2 && rules.bsa_m2) {
      const std::string levels = rules.levels_in_note ? " (" + num_text(per_m2) + " \xE2\x86\x92 " +
                                                            num_text(s.value) + " mg/m\xC2\xB2)"
                                                      : "";
      out.adjustments.push_back({s.code, per_m2_dose(per_m2, *rules.bsa_m2, rules.increment_mg),
                                 per_m2_dose(s.value, *rules.bsa_m2, rules.increment_mg), s.refs,
                                 "", s.note + levels, s.rule});
    } else {
      out.notes.push_back(s.note);
    }
    if (s.value < per_m2) per_m2 = s.value;
  }
  out.dose_mg_per_m2 = per_m2;
  if (!rules.bsa_m2) return out;
  const double calculated = per_m2 * *rules.bsa_m2;
  out.calculated_dose_mg = calculated;
  FormDose dose = dose_in_form(rules.strengths_mg, calculated, rules.tie, BelowLowest::nearest);
  for (const StartStep& s : rules.steps) {
    if (s.kind != StartStep::Kind::daily_factor) continue;
    const FormDose before = dose;
    double target = daily_amount_mg(dose) * s.value;
    if (s.max_increase_mg) target = std::min(target, daily_amount_mg(dose) + *s.max_increase_mg);
    dose = dose_in_form(rules.strengths_mg, target, rules.tie);
    out.adjustments.push_back(
        {s.code, before.dose_mg, dose.dose_mg, s.refs, dose.frequency, s.note, s.rule});
  }
  out.dose_mg = rules.strengths_mg.empty() && rules.increment_mg
                    ? per_m2_dose(per_m2, *rules.bsa_m2, rules.increment_mg)
                    : dose.dose_mg;
  // An infusion (no strengths) keeps the labelled schedule.
  out.frequency = rules.strengths_mg.empty() ? "" : dose.frequency;
  return out;
}

TitrationDose titration_dose(const TitrationRules& rules) {
  TitrationDose out;
  const double daily = rules.current_daily_mg;
  out.raw_daily_mg = daily * rules.target_ng_ml / rules.trough_ng_ml;
  double capped_daily = out.raw_daily_mg;
  if (rules.max_increase_mg_per_step &&
      out.raw_daily_mg - daily > *rules.max_increase_mg_per_step) {
    capped_daily = daily + *rules.max_increase_mg_per_step;
    out.capped = true;
  }
  if (rules.max_daily_mg && capped_daily > *rules.max_daily_mg) {
    capped_daily = *rules.max_daily_mg;
    out.capped = true;
  }
  // Per administration: once daily unless below the lowest strength.
  double dose = capped_daily;
  out.frequency = rules.frequency == "twice_daily" ? "twice_daily" : "once_daily";
  if (out.frequency == "twice_daily") dose = capped_daily / 2.0;
  if (!rules.strengths_mg.empty()) {
    const double lowest = *std::min_element(rules.strengths_mg.begin(), rules.strengths_mg.end());
    if (dose < lowest - 1e-9) {
      dose = lowest;
      out.frequency = "every_other_day";
    } else {
      dose = nearest_achievable(rules.strengths_mg, dose, rules.tie);
    }
  } else if (rules.increment_mg) {
    dose = nearest_increment(dose, *rules.increment_mg, rules.tie);
  }
  out.dose_mg = dose;
  return out;
}

CurrentDoseCheck check_current_dose(const Ctx& ctx, const std::string& drug,
                                    const std::string& indication, std::optional<double> bsa_m2) {
  CurrentDoseCheck out;
  auto current = ctx.req.num({"therapy", "current_dose_mg"});
  if (!current) return out;
  const std::string freq = ctx.req.str({"therapy", "frequency"}).value_or("once_daily");
  const json& ind = content::at(drug + ".indications." + indication);
  if (fixed_everolimus(drug, indication) || drug == "temsirolimus") {
    // The labelled dose, raised only by a strong CYP3A4 inducer that cannot
    // be avoided (its rule's dose, when the module found one).
    double max =
        ind.is_object() && ind["dose_mg"sv].is_number() ? ind["dose_mg"sv].get<double>() : 0;
    for (const auto& i : ctx.interactions)
      if (const json& r = content::at(text(i, "rule"));
          text(i, "rule") == drug + ".interactions.strong_cyp3a4_inducer" &&
          r["dose_mg"sv].is_number())
        max = std::max(max, r["dose_mg"sv].get<double>());
    out.above_label = drug == "everolimus" ? *current * daily_factor(freq) > max + 1e-9
                                           : *current > max * (1.0 + 1e-9);
    out.figures = {{"current_dose_mg", *current}, {"labelled_max_dose_mg", max}};
  } else if (bsa_m2) {
    // A dose within a level's tolerance is that level (read_dose_level).
    if (auto level = read_dose_level(level_rules(drug, *current, bsa_m2));
        level && level->above_label) {
      out.above_label = true;
      out.figures = {{"current_dose_mg", *current},
                     {"current_dose_mg_per_m2", round_to(level->dose_mg_per_m2, 2)},
                     {"labelled_max_dose_mg_per_m2", level->top_mg_per_m2}};
    }
  }
  // The highest dose the label names at all (content "plausibility").
  std::string id = "plausibility.current_dose_max." + drug;
  if (drug == "everolimus") id += fixed_everolimus(drug, indication) ? ".fixed" : ".tdm";
  const json& r = content::at(id);
  if (!r.is_object()) return out;
  double value = *current;
  if (r["max_mg_per_day"sv].is_number()) {
    out.limit = r["max_mg_per_day"sv].get<double>();
    out.per_dose_factor = daily_factor(freq);
    value = *current * out.per_dose_factor;
  } else if (r["max_mg_per_week"sv].is_number()) {
    out.limit = r["max_mg_per_week"sv].get<double>();
  } else if (r["max_mg_per_m2_per_dose"sv].is_number() && bsa_m2) {
    // A dose within the label level's tolerance is that level (read_dose_level).
    const double tolerance = level_rules(drug, *current, bsa_m2).level_tolerance_fraction;
    out.limit = r["max_mg_per_m2_per_dose"sv].get<double>() * *bsa_m2 * (1 + tolerance);
  }
  out.implausible = out.limit > 0 && value > out.limit + 1e-9;
  out.plausibility_rule = id;
  return out;
}

std::optional<LevelReading> read_dose_level(const ReductionRules& rules) {
  const auto& lv = rules.levels_mg_per_m2;
  if (lv.empty() || !rules.bsa_m2 || *rules.bsa_m2 <= 0) return std::nullopt;
  const double bsa = *rules.bsa_m2, dose_mg = rules.current_dose_mg;
  const double tol = rules.level_tolerance_fraction;
  LevelReading out;
  const double m2 = dose_mg / bsa;
  out.dose_mg_per_m2 = m2;
  out.top_mg_per_m2 = lv.front();
  const std::string at = "Current dose " + num_text(dose_mg) + " mg at BSA " + num_text(bsa) +
                         " m² = " + num_text(m2) + " mg/m²";
  if (m2 > lv.front() * (1.0 + tol)) {
    out.above_label = true;
    return out;
  }
  for (std::size_t i = 0; i < lv.size(); ++i) {
    if (std::fabs(m2 - lv[i]) <= lv[i] * tol + 1e-9) {
      if (i + 1 < lv.size()) out.next_mg_per_m2 = lv[i + 1];
      if (std::fabs(m2 - lv[i]) > 0.005 * lv[i])
        out.note = at + ", within " + num_text(tol * 100) + "% of the " + num_text(lv[i]) +
                   " mg/m² level: taken as that level.";
      return out;
    }
  }
  for (std::size_t i = 0; i + 1 < lv.size(); ++i) {
    if (m2 < lv[i] && m2 > lv[i + 1]) {
      out.next_mg_per_m2 = lv[i + 1];
      out.note = at + ", between the " + num_text(lv[i]) + " and " + num_text(lv[i + 1]) +
                 " mg/m² levels (e.g. dosed at an earlier BSA): the next label level below it, " +
                 num_text(lv[i + 1]) + " mg/m², is used. Check which level the patient is on.";
      return out;
    }
  }
  out.below_lowest = true;
  out.note = at + ".";
  return out;
}

std::optional<ReducedTo> reduction_dose(const ReductionRules& rules) {
  const double current = rules.current_dose_mg;
  if (!rules.levels_mg_per_m2.empty()) {
    // The next level down at the current BSA, in mg to two places (an IV dose).
    const std::optional<LevelReading> level = read_dose_level(rules);
    if (!level || level->above_label || !level->next_mg_per_m2) return std::nullopt;
    return ReducedTo{per_m2_dose(*level->next_mg_per_m2, *rules.bsa_m2, rules.increment_mg),
                     rules.frequency, level->next_mg_per_m2};
  }
  if (!rules.fraction) {
    if (current <= rules.floor_mg + 1e-9) return std::nullopt;
    return ReducedTo{std::max(current - rules.step_mg, rules.floor_mg), rules.frequency,
                     std::nullopt};
  }
  const auto& strengths = rules.strengths_mg;
  // Already every other day at the lowest strength: no lower labelled dose.
  if (rules.frequency == "every_other_day") {
    const double lowest =
        strengths.empty() ? current : *std::min_element(strengths.begin(), strengths.end());
    if (current <= lowest + 1e-9) return std::nullopt;
  }
  const double target = current * *rules.fraction;
  if (strengths.empty()) return ReducedTo{round_to(target, 2), rules.frequency, std::nullopt};
  const double lowest = *std::min_element(strengths.begin(), strengths.end());
  // Below the lowest strength: the lowest strength every other day.
  if (target < lowest - 1e-9) return ReducedTo{lowest, "every_other_day", std::nullopt};
  return ReducedTo{nearest_achievable(strengths, target, rules.tie), rules.frequency, std::nullopt};
}

void compose_plan(Ctx& ctx, const std::string& drug, const std::string& indication,
                  const Derived& d) {
  warn_lab_unit_slips(ctx);
  ojson p = ojson::object();
  const auto current = ctx.req.num({"therapy", "current_dose_mg"});
  const bool on_therapy = current.has_value();
  const std::string status = text(ctx.eligibility, "status");

  // ---- the question (docs/plan.md 2) -----------------------------------------
  const ojson* tox = on_therapy ? acting_toxicity(ctx.toxicity) : nullptr;
  const bool has_trough = ctx.req.num({"therapy", "trough_ng_ml"}).has_value();
  // A trough drawn before an interaction whose rule changes the dose took
  // effect is not titrated from: the rule's change is made instead (Afinitor
  // §2.8: trough 2 weeks after starting or stopping it; §2.11, §2.12).
  const std::string fresh_rule = drug + ".tdm.interacting_change";
  const bool fresh =
      on_therapy && has_trough &&
      fresh_dose_interaction(
          ctx, drug,
          *current * daily_factor(ctx.req.str({"therapy", "frequency"}).value_or("once_daily")));
  const bool titrating = !tox && !fresh && has_trough && trough_dosed(drug, indication) &&
                         ctx.titration.is_object() && num(ctx.titration, "new_dose_mg");
  bool interacting = false;
  if (on_therapy)
    for (const auto& ix : ctx.interactions)
      interacting =
          interacting ||
          (acts_on_dose(ix) && status_of(ctx, text(ix, "drug"), true).status != "ongoing_at_start");
  std::string question = tox           ? "toxicity"
                         : titrating   ? "titrate"
                         : interacting ? "interaction"
                         : on_therapy  ? "review"
                                       : "start";
  if (!on_therapy && question != "start") question = "start";
  p["question"sv] = question;

  // ---- start: the labelled dose, or the current one --------------------------
  // Without a regimen (not indicated, no BSA) the indication's own form and
  // frequency describe the current dose.
  const json& labelled = content::at(drug + ".indications." + indication);
  auto labelled_text = [&](std::string_view key) {
    auto it = labelled.is_object() ? labelled.find(key) : labelled.end();
    return it != labelled.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  std::string form = text(ctx.regimen, "form");
  if (form.empty()) form = labelled_text("form");
  if (form.empty()) form = labelled_text("default_form");
  if (auto asked = ctx.req.str({"therapy", "form"}); asked && on_therapy) form = *asked;
  std::string labelled_frequency = text(ctx.regimen, "frequency");
  if (labelled_frequency.empty()) labelled_frequency = labelled_text("frequency");
  Composition comp;
  if (on_therapy) {
    comp.dose = {current, ctx.req.str({"therapy", "frequency"}).value_or(labelled_frequency)};
    comp.step("therapy.current_dose_mg", "start", std::nullopt, current);
  } else if (ctx.regimen.is_object()) {
    comp.dose = {num(ctx.regimen, "dose_mg"), text(ctx.regimen, "frequency")};
    // The labelled start, then each adjustment the regimen made to it (a
    // combination's start, the hepatic class, interactions), each from the
    // dose the one before left; a dose the form cannot make is rounded where
    // the next rule needs a makeable dose, and at the end.
    std::vector<const ojson*> ordered;
    if (ctx.regimen.contains("adjustments"sv))
      for (const auto& a : ctx.regimen["adjustments"sv]) ordered.push_back(&a);
    std::optional<double> at = ordered.empty() ? comp.dose.mg : num(*ordered.front(), "from_mg");
    comp.step(drug + ".indications." + indication, "start", std::nullopt, at);
    const std::string rounding = drug + ".rounding";
    auto round_to_here = [&](std::optional<double> to) {
      if (at && to && std::fabs(*at - *to) > 1e-9) {
        comp.step(content::at(rounding).is_object() ? rounding : drug + ".forms." + form, "round",
                  at, to);
        at = to;
      }
    };
    for (const ojson* a : ordered) {
      round_to_here(num(*a, "from_mg"));
      std::string code = text(*a, "code");
      std::string rule = text(*a, "rule").empty() ? code : text(*a, "rule");
      const std::string_view effect = code.rfind("hepatic", 0) == 0      ? "hepatic"
                                      : code == "lenvatinib_combination" ? "start"
                                                                         : "interaction";
      comp.step(rule, effect, num(*a, "from_mg"), num(*a, "to_mg"));
      at = num(*a, "to_mg");
    }
    round_to_here(comp.dose.mg);
  }
  const Dose start = comp.dose;

  std::string action;
  ojson resume = nullptr;
  std::optional<TroughHold> held;
  std::vector<const ojson*> not_applied;  // interaction entries the composition left out
  std::string reason;
  bool start_held = false;  // a start held for labs at a hold level
  std::string no_restart;   // why a withhold has no restart dose
  Ceiling ceiling;
  if (!drug.empty()) ceiling = ceiling_of(ctx, drug, indication, d, start, titrating);

  // The dose within the ceiling; the bounding is a step of the composition
  // unless the dose is only the one to return to later.
  enum class Record { step, silent };
  auto bound = [&](Dose dose, Record record = Record::step) {
    if (dose.mg && ceiling.mg && *dose.mg > *ceiling.mg + 1e-9) {
      double to = within_form(drug, form, *ceiling.mg);
      if (record == Record::step) comp.step(ceiling.rule, "ceiling", dose.mg, to);
      dose.mg = to;
    }
    return dose;
  };

  // An inhibitor started now lowers the restart after an adverse reaction
  // too: the toxicity's dose, then the interaction's rule on it (Afinitor
  // §2.9 then §2.11); an inducer never raises it while the reaction governs.
  std::vector<const ojson*> lowered_restart;
  std::string lowered_by;  // "fluconazole started (moderate CYP3A4 inhibitor)"
  std::string raised_by;   // an inhibitor stopped: the restart's basis is the dose before it
  auto inhibitors_on = [&](Dose dose) {
    for (const auto& ix : ctx.interactions) {
      if (!dose.mg || !acts_on_dose(ix) || !is_inhibitor(text(ix, "class"))) continue;
      const std::string st = status_of(ctx, text(ix, "drug"), true).status;
      if (st == "ongoing_at_start" || st == "stopped") continue;
      auto ruled = rule_dose(drug, ix, dose, form, d.bsa_m2);
      if (!ruled || daily(*ruled) >= daily(dose) - 1e-9) continue;
      comp.step(text(ix, "rule"), "interaction", dose.mg, ruled->mg);
      dose = *ruled;
      lowered_restart.push_back(&ix);
      lowered_by += (lowered_by.empty() ? "" : " and ") + text(ix, "drug") + " " + st + " (" +
                    class_phrase(text(ix, "class")) + ")";
    }
    return dose;
  };

  if (!ctx.regimen.is_object() && !on_therapy) {
    action = status == "not_indicated" || status == "contraindicated" ? "do_not_start"
                                                                      : "need_more_data";
    reason = action == "do_not_start" ? refusal_reason(ctx, drug, indication, status)
                                      : missing_reason(ctx);
    comp.dose.mg.reset();
  } else if (!on_therapy) {
    if (status == "not_indicated" || status == "contraindicated") {
      action = "do_not_start";
      reason = refusal_reason(ctx, drug, indication, status);
      comp.dose.mg.reset();
    } else if (status == "insufficient_data" || !comp.dose.mg) {
      action = "need_more_data";
      reason = missing_reason(ctx);
      comp.dose.mg.reset();
    } else {
      action = "start";
      comp.dose = bound(comp.dose);
      // Labs at a level the label holds the drug for (ANC, platelets) hold
      // the start too: not before they recover, then the start composed
      // above (Afinitor §2.9, Torisel §2.3). The toxicity rows keep their
      // reading for a patient already on the regimen's dose.
      std::string when;
      std::vector<std::string> events;
      const ojson* first = nullptr;
      int held_rows = 0;
      // A row that would stop the drug on therapy (a grade 4 metabolic
      // value) holds a start until it is controlled.
      // Only labs: a reported reaction without a current dose reads as a
      // patient on the regimen's dose, as its row says (dose_basis).
      auto holds = [](const ojson& t) {
        return (text(t, "action") == "withhold" || text(t, "action") == "discontinue") &&
               text(t, "source").rfind("/patient/labs/", 0) == 0;
      };
      for (const auto& t : ctx.toxicity) held_rows += holds(t) ? 1 : 0;
      for (const auto& t : ctx.toxicity) {
        if (!holds(t)) continue;
        if (!first) first = &t;
        std::string w =
            text(t, "until").empty()
                ? event_phrase(t).substr(0, event_phrase(t).rfind(" grade ")) + " is controlled"
                : recovery_phrase(t, held_rows > 1);
        // A restart's clinical caveats belong to a restart, not to a start.
        w = w.substr(0, w.find(';'));
        when += (when.empty() ? "" : " and ") + w;
        events.push_back(event_phrase(t));
      }
      if (first && comp.dose.mg) {
        action = "withhold";
        start_held = true;
        comp.step(text(*first, "rule"), "toxicity_withhold", comp.dose.mg, std::nullopt);
        resume = ojson::object();
        resume["when"sv] = when.empty() ? ojson(nullptr) : ojson(when);
        resume["dose_mg"sv] = *comp.dose.mg;
        resume["frequency"sv] = comp.dose.frequency;
        resume["units"sv] = plan_units(drug, form, comp.dose.mg);
        reason += joined(events);
        bool from_labs = true;
        for (const auto& t : ctx.toxicity)
          if (holds(t)) from_labs = from_labs && text(t, "source").rfind("/patient/labs/", 0) == 0;
        if (from_labs) reason += " from the labs";
        comp.dose.mg.reset();
      }
    }
  } else if (implausible_current_dose(ctx, drug, indication, d)) {
    action = "need_more_data";
    reason = "the current dose is above the highest dose the label names; confirm it";
    comp.dose.mg.reset();
  } else if (status == "contraindicated") {
    action = "discontinue";
    reason = "contraindicated";
    comp.dose.mg.reset();
  } else if (status == "not_indicated" && !unmet_label_text(ctx, drug, indication).empty()) {
    // A criterion the label words as "avoid" now unmet on therapy (Fyarro
    // §2.4/§8.6: severe hepatic impairment) stops the drug, in its words.
    action = "discontinue";
    reason = refusal_reason(ctx, drug, indication, status);
    comp.dose.mg.reset();
  } else if (tox) {
    // ---- toxicity by grade (3.4) ---------------------------------------------
    std::string a = text(*tox, "action");
    std::string rule = text(*tox, "rule");
    reason = event_phrase(*tox);
    // An inhibitor stopped with its washout over: the dose before it, not
    // the lowered one, is what the reaction's restart is worked from
    // (Afinitor §2.11, then §2.9), as an interaction step before the
    // toxicity's.
    std::optional<double> basis;
    for (const auto& ix : ctx.interactions) {
      if (basis || !acts_on_dose(ix) || !is_inhibitor(text(ix, "class"))) continue;
      const CoStatus st = status_of(ctx, text(ix, "drug"), true);
      if (st.status != "stopped" ||
          st.days_since_change.value_or(0) < num(ix, "washout_days").value_or(0) || !comp.dose.mg)
        continue;
      std::optional<double> earlier = st.dose_before_mg;
      if (!earlier && fixed_everolimus(drug, indication)) {
        const json& ind = content::at(drug + ".indications." + indication);
        if (auto it = ind.is_object() ? ind.find("dose_mg") : ind.end();
            it != ind.end() && it->is_number())
          earlier = it->get<double>();
      }
      // Not given: the label's halving reversed, as the interaction stage does.
      if (!earlier) earlier = *comp.dose.mg * 2;
      if (!earlier || *earlier <= *comp.dose.mg + 1e-9) continue;
      comp.step(text(ix, "rule"), "interaction", comp.dose.mg, earlier);
      basis = earlier;
      comp.dose.mg = earlier;
      raised_by = "worked from the dose before " + text(ix, "drug") + " (" + mg_text(*earlier) +
                  "; it was stopped and its washout is over)";
    }
    // A row's restart, from the basis when there is one.
    auto restart_of = [&](const ojson& t) -> Dose {
      Dose own{num(t, "resume_dose_mg"), text(t, "resume_frequency").empty()
                                             ? comp.dose.frequency
                                             : text(t, "resume_frequency")};
      if (!basis || text(t, "resume") == "") return own;
      if (text(t, "resume") == "same_dose") return {basis, comp.dose.frequency};
      const ReducedDose rd = reduced_dose(ctx, drug, form, *basis, comp.dose.frequency, d.bsa_m2);
      return {rd.dose_mg, rd.frequency.empty() ? comp.dose.frequency : rd.frequency};
    };
    Dose r = restart_of(*tox);
    if (a == "discontinue") {
      action = "discontinue";
      // A row that withholds, made a stop because no lower labelled dose
      // remains, says so (content "<drug>.dose_reduction").
      const json& own = content::at(rule);
      if (own.is_object() && own["action"sv].is_string() && own["action"sv] != "discontinue")
        reason += ", and no lower labelled dose remains";
      comp.step(rule, "toxicity_withhold", comp.dose.mg, std::nullopt);
      comp.dose.mg.reset();
    } else if (a == "withhold") {
      action = "withhold";
      comp.step(rule, "toxicity_withhold", comp.dose.mg, std::nullopt);
      // Every withheld event must recover before the restart, each named;
      // the restart dose is the lowest any of them allows (Afinitor §2.9).
      std::string when, resume_rule = rule;
      std::vector<std::string> events;
      int withheld = 0;
      for (const auto& t : ctx.toxicity) withheld += text(t, "action") == "withhold" ? 1 : 0;
      for (const auto& t : ctx.toxicity) {
        if (text(t, "action") != "withhold") continue;
        if (!text(t, "until").empty())
          when += (when.empty() ? "" : " and ") + recovery_phrase(t, withheld > 1);
        events.push_back(event_phrase(t));
        if (&t == tox) continue;
        const Dose o = restart_of(t);
        if (!o.mg) {
          r.mg.reset();
        } else if (r.mg && daily(o) < daily(r) - 1e-9) {
          r = o;
          resume_rule = text(t, "rule");
        }
      }
      if (events.size() > 1) {
        reason.clear();
        reason += joined(events);
      }
      if (r.mg) {
        comp.step(resume_rule, "toxicity_resume", std::nullopt, r.mg);
        r = bound(inhibitors_on(r));
      }
      // No restart dose: why, in the row's first sentence.
      if (!r.mg)
        for (const auto& t : ctx.toxicity) {
          std::string note = text(t, "resume_note");
          if (text(t, "action") != "withhold" || note.empty()) continue;
          note = note.substr(0, std::min(note.find(". "), note.find(" (")));
          if (!note.empty() && note.back() == '.') note.pop_back();
          no_restart = "no restart dose (" + as_clause(note) + ")";
          break;
        }
      resume = ojson::object();
      resume["when"sv] = when.empty() ? ojson(nullptr) : ojson(when);
      resume["dose_mg"sv] = r.mg ? ojson(*r.mg) : ojson(nullptr);
      resume["frequency"sv] = r.frequency;
      resume["units"sv] = plan_units(drug, form, r.mg);
      comp.dose.mg.reset();
    } else {
      comp.step(rule, "toxicity_resume", comp.dose.mg, r.mg);
      comp.dose = bound(inhibitors_on(r));
    }
  } else if (titrating) {
    // ---- trough titration (3.5) ----------------------------------------------
    Dose t{num(ctx.titration, "new_dose_mg"), text(ctx.titration, "new_frequency").empty()
                                                  ? comp.dose.frequency
                                                  : text(ctx.titration, "new_frequency")};
    const bool in_range = boolean(ctx.titration, "in_range").value_or(false);
    const bool targeted = ctx.req.num({"therapy", "target_trough_ng_ml"}).has_value();
    const bool steady = boolean(ctx.titration, "at_steady_state") != false;
    held = trough_hold(ctx, drug);
    if (held && !((held->no_increase && daily(t) > daily(comp.dose) + 1e-9) ||
                  (held->no_decrease && daily(t) < daily(comp.dose) - 1e-9)))
      held.reset();
    if (!steady || (in_range && !targeted)) {
      // Not at steady state, or an in-range trough without the clinician's
      // target: no titration.
      held.reset();
      comp.step(drug + ".tdm", "no_change", comp.dose.mg, comp.dose.mg);
      comp.dose = bound(comp.dose);
      reason = steady ? "the trough is in range" : "the trough was drawn before steady state";
    } else if (held) {
      // The trough predates the interacting change's steady state: the
      // change it asks for is not made from it (Rapamune §2.1, §7).
      ctx.record_rule(held->rule);
      ctx.warn(drug, "trough_before_interacting_change");
      if (held->assumed) ctx.warn("common", "comedication_status_assumed");
      comp.step(held->rule, "no_change", comp.dose.mg, comp.dose.mg);
      comp.dose = bound(comp.dose);
      reason = held->comedication + " " + held->status +
               (held->days_since_change ? " " + plain_number(*held->days_since_change) + " days ago"
                                        : "") +
               ": the trough does not reflect it yet";
      drop_loading_dose(ctx);
      ctx.titration["held"sv] = held_note(held->rule);
    } else {
      const std::string tdm_rule = drug + (indication == "tsc_renal_aml" ? ".tdm_aml" : ".tdm");
      auto raw = num(ctx.titration, "raw_new_dose_mg");
      // Sirolimus capped at the label's daily maximum (raw is a daily amount,
      // the ceiling per administration): a rise that large asks
      // for the trough to be checked first (content warning).
      if (drug == "sirolimus" && raw && ceiling.rule == "sirolimus.tdm.max_daily_dose_mg" &&
          ceiling.mg && *raw > *ceiling.mg * daily_factor(comp.dose.frequency) + 1e-9)
        ctx.warn(drug, "titration_at_daily_maximum");
      if (boolean(ctx.titration, "capped").value_or(false) && raw) {
        // The formula's dose, then the per-step cap as a ceiling.
        comp.step(tdm_rule, "titrate", comp.dose.mg, raw);
        comp.step(drug + ".tdm", "ceiling", raw, t.mg);
      } else {
        comp.step(tdm_rule, "titrate", comp.dose.mg, t.mg);
      }
      comp.dose = bound(t);
      reason = "";
    }
  } else if (interacting) {
    // A status not given is read as started, and the answer says so.
    for (const auto& ix : ctx.interactions) {
      if (!acts_on_dose(ix)) continue;
      if (status_of(ctx, text(ix, "drug"), true).assumed) {
        ctx.warn("common", "comedication_status_assumed");
        break;
      }
    }
    // ---- interactions (3.3): an inhibitor never raises the daily amount,
    // an inducer never lowers it.
    for (auto& ix : ctx.interactions) {
      if (!acts_on_dose(ix)) continue;
      std::string klass = text(ix, "class");
      const CoStatus st = status_of(ctx, text(ix, "drug"), true);
      if (st.status == "ongoing_at_start") {
        // The current dose (and any trough) already include its effect.
        comp.step(text(ix, "rule"), "no_change", comp.dose.mg, comp.dose.mg);
        ix["dose_mg"sv] = nullptr;
        continue;
      }
      // Every comedication that moves the dose is named, each once.
      if (reason.find(text(ix, "drug") + " ") == std::string::npos)
        reason += (reason.empty() ? "" : " and ") + text(ix, "drug") + " " + st.status + " (" +
                  class_phrase(klass) + ")";
      if (st.status == "stopped") {
        // Back to the dose before it, after the rule's washout.
        std::optional<double> earlier = st.dose_before_mg;
        if (!earlier && (fixed_everolimus(drug, indication) || drug == "temsirolimus")) {
          const json& ind = content::at(drug + ".indications." + indication);
          if (ind.is_object() && ind["dose_mg"sv].is_number())
            earlier = ind["dose_mg"sv].get<double>();
        } else if (!earlier && comp.dose.mg) {
          // Not given: the label's halving or doubling reversed, and said so.
          earlier = is_inhibitor(klass) ? *comp.dose.mg * 2 : *comp.dose.mg / 2;
          reason += std::string(reason.empty() ? "" : "; ") + "the dose before " +
                    text(ix, "drug") + " was not given, so its " +
                    (is_inhibitor(klass) ? "halving" : "doubling") +
                    " is reversed: enter that dose if known";
        }
        ix["dose_mg"sv] = nullptr;
        if (!earlier) continue;
        // The dose to return to is bounded by what still applies after
        // the washout, not by the stopped drug's own ceiling.
        const Ceiling now = ceiling;
        if (!drug.empty())
          ceiling = ceiling_of(ctx, drug, indication, d, start, titrating, Moment::after_washout);
        const double washout = num(ix, "washout_days").value_or(0);
        const bool washing_out = st.days_since_change.value_or(0) < washout;
        // The way back, then its ceiling, as steps: now, or as the resume.
        if (!washing_out) comp.step(text(ix, "rule"), "interaction", comp.dose.mg, earlier);
        // Now, the dose back meets the ceiling at the end of the stage, after
        // any other interaction (a step in the composition's order); during
        // the washout it is the resume, bounded by what applies after it.
        Dose back = washing_out ? bound({earlier, comp.dose.frequency}, Record::silent)
                                : Dose{earlier, comp.dose.frequency};
        ceiling = now;
        back.mg = within_form(drug, form, *back.mg);
        if (washing_out) {
          resume = ojson::object();
          resume["when"sv] =
              "from day " + plain_number(washout) + " after the last " + text(ix, "drug") + " dose";
          resume["dose_mg"sv] = *back.mg;
          resume["frequency"sv] = back.frequency;
          resume["units"sv] = plan_units(drug, form, back.mg);
          comp.step(text(ix, "rule"), "no_change", comp.dose.mg, comp.dose.mg);
        } else {
          comp.dose = back;
        }
        continue;
      }
      if (is_inducer(klass)) {
        // A second strong inducer needs no further change (Afinitor §2.12).
        bool other = false;
        for (const auto& o : ctx.interactions)
          other = other || (&o != &ix && is_inducer(text(o, "class")) &&
                            text(o, "drug") != text(ix, "drug") &&
                            status_of(ctx, text(o, "drug"), true).status != "stopped");
        if (other) {
          comp.step(text(ix, "rule"), "no_change", comp.dose.mg, comp.dose.mg);
          ix["dose_mg"sv] = nullptr;
          not_applied.push_back(&ix);
          continue;
        }
      }
      // The composition works out the rule's dose from the dose so far.
      auto ruled = rule_dose(drug, ix, comp.dose, form, d.bsa_m2);
      if (!ruled) continue;
      Dose target = *ruled;
      Dose before = comp.dose;
      if (is_inhibitor(klass) && daily(target) < daily(comp.dose)) comp.dose = target;
      if (is_inducer(klass) && daily(target) > daily(comp.dose)) {
        // An inducer's rise goes in steps of at most 5 mg, fixed or
        // trough-guided (Afinitor §2.12).
        const json& tdm = content::at("everolimus.tdm");
        if (drug == "everolimus" && tdm.is_object() &&
            tdm["max_increase_mg_per_step"sv].is_number())
          target.mg =
              std::min(*target.mg, *comp.dose.mg + tdm["max_increase_mg_per_step"sv].get<double>());
        // Temsirolimus: the label's "up to 50 mg" is from the usual 25 mg; a
        // dose already lowered (for toxicity or the liver) rises in the same
        // proportion, never past what the label names (Torisel §2.4).
        if (drug == "temsirolimus") {
          const json& ind = content::at(drug + ".indications." + indication);
          const auto usual = ind.is_object() ? ind.find("dose_mg") : ind.end();
          if (usual != ind.end() && usual->is_number() && comp.dose.mg &&
              *comp.dose.mg < usual->get<double>() - 1e-9)
            target.mg = std::min(*target.mg,
                                 round_to(*target.mg * *comp.dose.mg / usual->get<double>(), 2));
        }
        comp.dose = target;
      }
      comp.step(text(ix, "rule"), before.mg == comp.dose.mg ? "no_change" : "interaction",
                before.mg, comp.dose.mg);
    }
    comp.dose = bound(comp.dose);
  } else {
    comp.dose = bound(comp.dose);
  }

  if (action.empty()) {
    double before = daily(start), after = daily(comp.dose);
    action = after > before + 1e-9 ? "increase" : after < before - 1e-9 ? "decrease" : "continue";
    // A dose lowered only by a ceiling says which maximum lowered it.
    if (action == "decrease" && reason.empty() && ceiling.mg) {
      bool lowered = false;
      for (const auto& step : comp.steps)
        lowered =
            lowered || (text(step, "effect") == "ceiling" && text(step, "rule") == ceiling.rule);
      if (lowered) {
        std::string by;
        for (const auto& ix : ctx.interactions)
          if (by.empty() && ceiling.rule == drug + ".interactions." + text(ix, "class"))
            by = " with " + text(ix, "drug") + " (" + class_phrase(text(ix, "class")) + ")";
        if (by.empty() && ceiling.rule.find(".hepatic.") != std::string::npos)
          by = " with this hepatic impairment";
        reason = "the most the label allows" + by + " is " + mg_text(*ceiling.mg);
      }
    }
  }

  // ---- the plan's fields (docs/plan.md 5) --------------------------------------
  p["action"sv] = action;
  p["drug"sv] = drug.empty() ? ojson(nullptr) : ojson(drug);
  p["form"sv] = form.empty() ? ojson(nullptr) : ojson(form);
  p["route"sv] = ctx.regimen.is_object() ? ctx.regimen["route"sv] : ojson(nullptr);
  p["frequency"sv] = comp.dose.frequency.empty() ? ojson(nullptr) : ojson(comp.dose.frequency);
  p["dose_mg"sv] = comp.dose.mg ? ojson(*comp.dose.mg) : ojson(nullptr);
  p["dose_mg_per_m2"sv] = nullptr;
  // Back from whole mg to the label's whole mg/m² levels (100, 75, 56, 45).
  if (comp.dose.mg && drug == "nab_sirolimus")
    if (auto bsa = num(ctx.derived, "bsa_m2"); bsa && *bsa > 0)
      p["dose_mg_per_m2"sv] = round_to(*comp.dose.mg / *bsa, 0);
  p["units"sv] = plan_units(drug, form, comp.dose.mg);
  p["ceiling_mg"sv] = ceiling.mg ? ojson(*ceiling.mg) : ojson(nullptr);
  p["ceiling_rule"sv] = ceiling.mg ? ojson(ceiling.rule) : ojson(nullptr);
  p["resume"sv] = resume;

  // One window per answer (docs/plan.md 4): from the drug's monitoring rule,
  // the event-specific window winning (an interacting drug or a hepatic
  // change over a start or a dose change).
  ojson next = nullptr;
  const bool composed =
      action != "do_not_start" && action != "need_more_data" && action != "discontinue";
  bool interaction_event = false, hepatic_event = false;
  bool first_trough = false;  // a trough asked for where none was given
  for (const auto& ix : ctx.interactions)
    if (content::at(text(ix, "rule")).is_object() &&
        status_of(ctx, text(ix, "drug"), on_therapy).status != "ongoing_at_start")
      interaction_event = interaction_event || on_therapy;
  if (!on_therapy && ctx.regimen.is_object() && ctx.regimen.contains("adjustments"sv))
    for (const auto& a : ctx.regimen["adjustments"sv]) {
      std::string code = text(a, "code");
      (code.rfind("hepatic", 0) == 0 ? hepatic_event : interaction_event) = true;
    }
  const bool trough_drug =
      trough_dosed(drug, indication) && (indication != "tsc_renal_aml" || question == "titrate");
  if (composed && trough_drug && question != "toxicity") {
    const std::string id = drug + ".monitoring.trough";
    const json& w = content::at(id + ".in_days");
    auto window = [&](std::string_view key) -> ojson {
      auto it = w.is_object() ? w.find(std::string(key)) : w.end();
      return it != w.end() && it->is_array() ? ojson(*it) : ojson(nullptr);
    };
    ojson days = nullptr;
    const bool moved = comp.dose.mg && start.mg && daily(comp.dose) != daily(start);
    if (held) {
      // 7-14 days after the interacting change, counted from it.
      ojson base = window("dose_change");
      // Whole days since the change (a trough is drawn on a day).
      const double since = std::floor(held->days_since_change.value_or(0));
      if (base.is_array())
        days = ojson::array({std::max(0.0, base[0].get<double>() - since),
                             std::max(0.0, base[1].get<double>() - since)});
    } else if ((interaction_event || hepatic_event) &&
               window("interaction_or_hepatic").is_array()) {
      days = window("interaction_or_hepatic");
    } else if (question == "start")
      days = window("start");
    else if (question == "titrate" && boolean(ctx.titration, "at_steady_state") == false) {
      // The rest of the window from the days already on this dose.
      ojson base = window("dose_change");
      double on = ctx.req.num({"therapy", "days_on_current_dose"}).value_or(0);
      if (base.is_array())
        days = ojson::array(
            {std::max(0.0, base[0].get<double>() - on), std::max(0.0, base[1].get<double>() - on)});
    } else if (question == "titrate" && boolean(ctx.titration, "in_range").value_or(false) &&
               !ctx.req.num({"therapy", "target_trough_ng_ml"})) {
      days = window("stable");
    } else if (moved || interaction_event || question == "titrate") {
      days = window("dose_change");
    } else if (on_therapy && !has_trough && question == "review") {
      // A trough-guided dose with no trough given: one is measured, in the
      // window after a change (its timing since the last one is not known).
      days = window("dose_change");
      first_trough = true;
    }
    if (days.is_array()) {
      next = {{"what", "trough"}, {"in_days", days}};
      ctx.record_rule(id);
    }
  } else if (composed && (drug == "temsirolimus" || drug == "nab_sirolimus")) {
    const json& w = content::at(drug + ".monitoring.cbc.in_days");
    if (w.is_array()) {
      next = {{"what", "labs"}, {"in_days", w}};
      ctx.record_rule(drug + ".monitoring.cbc");
    }
  } else if (composed && drug == "sirolimus_topical" && question == "start") {
    const json& r = content::at("sirolimus_topical.response_check");
    if (r.is_object() && r["weeks"sv].is_number()) {
      int d7 = static_cast<int>(r["weeks"sv].get<double>() * 7);
      next = {{"what", "clinical"}, {"in_days", {d7, d7}}};
      ctx.record_rule("sirolimus_topical.response_check");
    }
  }
  p["next_check"sv] = next;
  p["steps"sv] = std::move(comp.steps);

  // ---- the summary (one sentence, numbers from the plan only) ----------------
  std::string name = drug.empty() ? "an mTOR inhibitor" : drug_name(drug);
  std::string dose_text;
  if (comp.dose.mg)
    dose_text = mg_text(*comp.dose.mg) +
                (comp.dose.frequency.empty() ? "" : " " + frequency_phrase(comp.dose.frequency)) +
                (p["units"sv].empty() ? "" : " (" + units_phrase(p["units"sv]) + ")");
  std::string s;
  if (action == "start")
    s = "Start " + name + " " + dose_text;
  else if (action == "continue")
    s = "Continue " + name + " " + dose_text;
  else if (action == "increase")
    s = "Increase " + name + " to " + dose_text;
  else if (action == "decrease")
    s = "Reduce " + name + " to " + dose_text;
  else if (action == "withhold" && start_held) {
    s = "Do not start " + name + " yet";
    if (resume["when"sv].is_string()) s += ": wait until " + resume["when"sv].get<std::string>();
    s += ", then start at " + mg_text(resume["dose_mg"sv].get<double>()) + " " +
         frequency_phrase(resume["frequency"sv].get<std::string>()) +
         (resume["units"sv].empty() ? "" : " (" + units_phrase(resume["units"sv]) + ")");
  } else if (action == "withhold") {
    s = "Withhold " + name;
    if (resume.is_object() && resume["when"sv].is_string())
      s += " until " + resume["when"sv].get<std::string>();
    else
      s += " until it has improved (the label text read gives no restart condition)";
    if (resume.is_object() && resume["dose_mg"sv].is_number())
      s += ", then resume at " + mg_text(resume["dose_mg"sv].get<double>()) + " " +
           frequency_phrase(resume["frequency"sv].get<std::string>()) +
           (resume["units"sv].empty() ? "" : " (" + units_phrase(resume["units"sv]) + ")");
  } else if (action == "discontinue")
    // A reason with its own parenthesis follows a colon, not another one.
    s = "Stop " + name + " permanently" +
        (reason.find('(') == std::string::npos ? " (" + reason + ")" : ": " + reason);
  else if (action == "do_not_start")
    s = "Do not start " + name + ": " + (reason.empty() ? "not indicated" : reason);
  else
    s = "Cannot compose a dose yet: " +
        (reason.empty() ? std::string("more data are needed") : reason);
  const auto avoid = avoid_lead(ctx, on_therapy);
  // The lead where the answer is about the combination; a titration or a
  // withhold names a newly started avoided drug after the dose instead.
  const bool lead =
      avoid && (question == "start" || question == "interaction" || question == "review") &&
      (action == "start" || action == "continue" || action == "increase" || action == "decrease");
  if (lead) {
    // The avoided drug first; the dose only on the label's condition.
    s = as_clause(s);
    s = "Avoid " + avoid->comedication + " with " + name + " (" + class_phrase(avoid->klass) +
        "): " + avoid->text + "; " + avoid->then + ", " + s;
    // The lead names the avoided drug; the reason keeps any other.
    std::string kept;
    for (std::size_t at = 0; at <= reason.size();) {
      const auto end = std::min(reason.find(" and ", at), reason.size());
      const std::string part = reason.substr(at, end - at);
      if (part.rfind(avoid->comedication + " ", 0) != 0)
        kept += (kept.empty() ? "" : " and ") + part;
      at = end + 5;
    }
    reason = kept;
  }
  if (!reason.empty() && action != "discontinue" && action != "do_not_start" &&
      action != "need_more_data")
    s += "; " + reason;
  if (!lowered_by.empty()) s += "; lowered for " + lowered_by;
  if (!raised_by.empty()) s += "; the restart is " + raised_by;
  if (!no_restart.empty()) s += "; " + no_restart;
  // A start whose labelled dose depends on liver values not given (Torisel
  // §2.4, Fyarro §2.4: bilirubin and AST against the ULN) says so.
  if (action == "start" && (drug == "temsirolimus" || drug == "nab_sirolimus") &&
      !ctx.req.num({"patient", "labs", "bilirubin_mg_dl"}))
    s += "; bilirubin and AST were not given: the label lowers or withholds the dose in hepatic "
         "impairment, so check them first";
  // A severe reaction the label has no row for is named, not passed over.
  for (const auto& t : ctx.toxicity)
    if (boolean(t, "label_action") == false && num(t, "grade").value_or(0) >= 3)
      s += "; " + event_phrase(t) + ": the label gives no dose rule for it, manage it clinically";
  // A start the label's criteria make a judgement names the criterion.
  if (status == "consider" && (action == "start" || action == "continue"))
    if (const std::string unmet = first_unmet_criterion(ctx); !unmet.empty())
      s += "; to consider, since not met: " + unmet;
  // A current tablet dose no combination of the form's strengths makes.
  if (on_therapy && current && !drug.empty()) {
    // content::at: a const json, read with find (operator[] on an absent key is undefined).
    const json& f = content::at(drug + ".forms." + form);
    const auto strengths = f.is_object() ? f.find("strengths_mg") : f.end();
    const auto unit = f.is_object() ? f.find("unit") : f.end();
    if (strengths != f.end() && strengths->is_array() && !strengths->empty() && unit != f.end() &&
        unit->is_string() && unit->get<std::string>().find("tablet") != std::string::npos &&
        plan_units(drug, form, current).empty()) {
      ctx.warn("common", "current_dose_not_makeable");
      s += "; check the current dose: " + mg_text(*current) + " cannot be made from these tablets";
    }
  }
  // On therapy, a lab that could change the dose but cannot be graded
  // without its limit is asked for, not passed over.
  if (on_therapy && ctx.derived.contains("ctcae"sv) &&
      (action == "continue" || action == "increase" || action == "decrease"))
    for (const auto& g : ctx.derived["ctcae"sv]) {
      if (!g.is_object() || !g["grade"sv].is_null() || !g["needs"sv].is_string()) continue;
      const std::string field = g["needs"sv].get<std::string>();
      const std::string lab = input_phrase(text(g, "from"));
      s += "; " + lab + " " + plain_number(num(g, "value").value_or(0)) +
           " cannot be graded: enter " +
           (field.find("_uln_") != std::string::npos ? std::string("its upper limit of normal")
                                                     : input_phrase(field));
    }
  // A trough not titrated from because it predates an interacting change.
  if (fresh)
    if (auto trough = ctx.req.num({"therapy", "trough_ng_ml"}))
      s += "; the trough of " + plain_number(*trough) +
           " ng/mL predates the interacting change and is not titrated from";
  // A Child-Pugh class taken as the worse of a range, from some components.
  if (ctx.derived.contains("child_pugh"sv)) {
    const ojson& c = ctx.derived["child_pugh"sv];
    if (c.is_object() && c.contains("class_range"sv) && c["class_range"sv].is_array() &&
        c["class_range"sv].size() == 2 && c["class_range"sv][0] != c["class_range"sv][1] &&
        c["class"sv].is_string() &&
        (action == "start" || action == "continue" || action == "decrease" || action == "increase"))
      s += "; Child-Pugh " + c["class"sv].get<std::string>() + " assumed (the worse of " +
           c["class_range"sv][0].get<std::string>() + "–" +
           c["class_range"sv][1].get<std::string>() + "): enter the missing components";
  }
  if (action == "start") {
    for (const auto& ix : ctx.interactions) {
      const CoStatus st = status_of(ctx, text(ix, "drug"), false);
      const double washout = num(ix, "washout_days").value_or(0);
      // An inhibitor stopped within its washout still raises concentrations:
      // the labelled start waits for the washout (Afinitor §2.11).
      if (is_inhibitor(text(ix, "class")) && st.status == "stopped" &&
          st.days_since_change.value_or(0) < washout) {
        s += "; begin on day " + plain_number(washout) + " after the last " + text(ix, "drug") +
             " dose (its washout)";
        break;
      }
      // A fixed dose with an inducer that cannot be avoided rises in steps
      // to the label's dose (Afinitor §2.12).
      // The rise stops at the ceiling (a hepatic class, an inhibitor).
      const double to = std::min(num(ix, "dose_mg").value_or(0), ceiling.mg.value_or(1e9));
      if (is_inducer(text(ix, "class")) && st.status != "stopped" &&
          fixed_everolimus(drug, indication) && comp.dose.mg && to > *comp.dose.mg + 1e-9) {
        const json& tdm = content::at("everolimus.tdm");
        if (auto step = tdm.is_object() ? tdm.find("max_increase_mg_per_step") : tdm.end();
            step != tdm.end() && step->is_number())
          s += ", then raise it in steps of " + mg_text(step->get<double>()) + " or less to " +
               mg_text(to) + " " + frequency_phrase(comp.dose.frequency);
        break;
      }
    }
  }
  if (avoid && !lead && (action == "withhold" || (question == "titrate" && avoid->started)))
    s += "; avoid " + avoid->comedication + " (" + class_phrase(avoid->klass) + ")";
  // After a washout: the dose to return to, and when.
  if (action != "withhold" && resume.is_object() && resume["dose_mg"sv].is_number())
    s += "; " + resume["when"sv].get<std::string>() + ", " +
         mg_text(resume["dose_mg"sv].get<double>()) + " " +
         frequency_phrase(resume["frequency"sv].get<std::string>());
  if (next.is_object()) {
    const std::string what = next["what"sv].get<std::string>();
    s += (what == "clinical"
              ? std::string("; review the response")
              : std::string(question == "start" || first_trough ? "; check" : "; recheck") +
                    " the " + what) +
         " in " + window_phrase(next["in_days"sv]);
  }
  p["summary"sv] = s + ".";
  // The condition the dose stands on when the summary leads with avoiding a
  // drug: machine-readable, as the summary says it.
  p["avoid"sv] = lead ? ojson{{"drug", avoid->comedication},
                              {"class", avoid->klass},
                              {"condition", avoid->then}}
                      : ojson(nullptr);
  p["refs"sv] = ctx.regimen.is_object() ? ctx.regimen["refs"sv] : ojson::array();

  // ---- agreement of the other sections (docs/plan.md 6) -----------------------
  auto cap = [&](ojson& o, std::string_view key) {
    if (!ceiling.mg || !o.is_object()) return;
    auto v = num(o, key);
    if (!v || *v <= *ceiling.mg + 1e-9) return;
    const double to = within_form(drug, form, *ceiling.mg);
    o[std::string(key)] = to;
    // What to give follows the dose it makes.
    if (key == "dose_mg" && o.contains("units"sv))
      o["units"sv] = units_json(drug, text(o, "form").empty() ? form : text(o, "form"), to);
  };
  if (!on_therapy && ctx.regimen.is_object() && comp.dose.mg &&
      num(ctx.regimen, "dose_mg") != comp.dose.mg) {
    ctx.regimen["dose_mg"sv] = *comp.dose.mg;
    ctx.regimen["units"sv] = units_json(drug, form, *comp.dose.mg);
  }
  cap(ctx.regimen, "dose_mg");
  // A start with no dose to give shows none: the regimen keeps its form,
  // schedule and notes, without a number a reader could take as the dose
  // (a regimen with no mg dose, for want of a BSA, keeps its mg/m² rule; on
  // therapy the regimen is the labelled start, for reference).
  if ((action == "need_more_data" || action == "do_not_start") && !on_therapy &&
      ctx.regimen.is_object() && num(ctx.regimen, "dose_mg")) {
    for (std::string_view key : {"dose_mg"sv, "dose_mg_per_m2"sv, "calculated_dose_mg"sv})
      if (ctx.regimen.contains(key)) ctx.regimen[std::string(key)] = nullptr;
    ctx.regimen["units"sv] = ojson::array();
  }
  if (next.is_object() && next["what"sv] == "trough") {
    if (ctx.regimen.is_object() && ctx.regimen["next_trough_check_days"sv].is_array())
      ctx.regimen["next_trough_check_days"sv] = next["in_days"sv];
    if (question == "titrate") ctx.titration["recheck_days"sv] = next["in_days"sv];
  }
  if (question == "titrate") {
    ctx.titration["new_dose_mg"sv] = p["dose_mg"sv];
    ctx.titration["new_frequency"sv] = p["frequency"sv];
    // The step cap's text only where the dose went up; at a maximum the
    // text says that instead; with no titration made, nothing.
    if (ctx.titration.contains("cap_text"sv)) {
      const double now = daily(start), after = daily(comp.dose);
      const bool made = !held && boolean(ctx.titration, "at_steady_state") != false &&
                        !(boolean(ctx.titration, "in_range").value_or(false) &&
                          !ctx.req.num({"therapy", "target_trough_ng_ml"}));
      const json& rule = content::at(text(ctx.titration, "rule"));
      if (after > now + 1e-9) {
        // The increase was capped for this step: its recheck is the plan's.
        if (next.is_object() && rule.is_object() && rule["cap_text_with_window"sv].is_string()) {
          ctx.titration["cap_text"sv] =
              with_window(rule["cap_text_with_window"sv].get<std::string>(), next["in_days"sv]);
        }
      } else if (made && comp.dose.mg && ceiling.mg &&
                 after < num(ctx.titration, "raw_new_dose_mg").value_or(0)) {
        ctx.titration["cap_text"sv] =
            "No increase: " + mg_text(*comp.dose.mg) + " " + frequency_phrase(comp.dose.frequency) +
            " is the maximum here" +
            (next.is_object() ? "; recheck the trough in " + window_phrase(next["in_days"sv])
                              : "") +
            ".";
      } else {
        ctx.titration.erase("cap_text");
      }
    }
  } else if (fresh && ctx.titration.is_object()) {
    // Not titrated from this trough: the titration shows the plan's dose
    // and why.
    ctx.record_rule(fresh_rule);
    ctx.warn(drug, "trough_before_interacting_change");
    ctx.titration["new_dose_mg"sv] = p["dose_mg"sv];
    ctx.titration["new_frequency"sv] = p["frequency"sv];
    ctx.titration.erase("cap_text");
    if (next.is_object() && next["what"sv] == "trough")
      ctx.titration["recheck_days"sv] = next["in_days"sv];
    ctx.titration["held"sv] = held_note(fresh_rule);
  } else if (question == "toxicity" && ctx.titration.is_object() &&
             content::at(drug + ".tdm.adverse_reaction_first").is_object()) {
    // An adverse reaction decides the dose now: the trough is not titrated
    // from, and the titration shows the plan's dose (none while withheld),
    // never a second dose for the same moment.
    const std::string rid = drug + ".tdm.adverse_reaction_first";
    ctx.record_rule(rid);
    ctx.titration["new_dose_mg"sv] = p["dose_mg"sv];
    ctx.titration["new_frequency"sv] =
        p["dose_mg"sv].is_number() ? p["frequency"sv] : ojson(nullptr);
    ctx.titration.erase("cap_text");
    // Its recheck counts from the restart, which the held text says.
    if (ctx.titration.contains("recheck_days"sv)) ctx.titration["recheck_days"sv] = nullptr;
    drop_loading_dose(ctx);
    ctx.titration["held"sv] = held_note(rid);
  } else {
    cap(ctx.titration, "new_dose_mg");
  }
  // The not-at-steady-state warning names the plan's window, not another.
  if (next.is_object() && next["what"sv] == "trough")
    for (auto& w : ctx.warnings) {
      const json& r = content::at(text(w, "rule"));
      if (text(w, "code") != "not_at_steady_state" || !r.is_object() ||
          !r["text_with_window"sv].is_string())
        continue;
      w["text"sv] = with_window(r["text_with_window"sv].get<std::string>(), next["in_days"sv]);
    }
  // One moment, one dose: an interaction entry's number comes from the
  // composition.
  for (auto& ix : ctx.interactions) {
    // Every number from the composition: the plan's dose where this rule
    // took part in it (even when the dose stayed because it already was
    // lower or higher), else none; a fixed-dose inducer keeps the label's
    // target, bounded by the ceiling (docs/plan.md 6.3).
    const bool fixed_inducer = is_inducer(text(ix, "class")) &&
                               (fixed_everolimus(drug, indication) || drug == "temsirolimus");
    const json& r = content::at(text(ix, "rule"));
    const bool dose_rule =
        r.is_object() && (r["dose_mg"sv].is_number() || r["dose_mg_per_m2"sv].is_number() ||
                          r["dose_factor"sv].is_number());
    const std::string st = status_of(ctx, text(ix, "drug"), on_therapy).status;
    // At a start, a rule the regimen applied (a combination's dose among them).
    bool in_regimen = false;
    if (!on_therapy && ctx.regimen.is_object() && ctx.regimen.contains("adjustments"sv))
      for (const auto& a : ctx.regimen["adjustments"sv])
        in_regimen = in_regimen || text(a, "code") == text(ix, "class");
    const bool applied =
        (acts_on_dose(ix) || in_regimen) && dose_rule && p["dose_mg"sv].is_number() &&
        (question == "start" || question == "interaction") && st != "stopped" &&
        !(on_therapy && st == "ongoing_at_start") &&
        std::find(not_applied.begin(), not_applied.end(), &ix) == not_applied.end();
    // A rule that bounded the dose as its ceiling (an inhibitor's dose if
    // unavoidable) took part too: the plan's dose, or, for the infused drugs
    // whose inhibitor dose bounds every dose, the resume dose while the drug
    // is withheld.
    bool bounded = false;
    for (const auto& step : p["steps"sv])
      bounded =
          bounded || (text(step, "effect") == "ceiling" && text(step, "rule") == text(ix, "rule"));
    // While an adverse reaction withholds or stops the drug, the inducer's
    // labelled dose is no dose for now.
    const bool toxicity_decides = action == "withhold" || action == "discontinue";
    const bool lowered_it =
        std::find(lowered_restart.begin(), lowered_restart.end(), &ix) != lowered_restart.end();
    if (lowered_it) {
      // The restart (or the reduced dose) this inhibitor's rule set.
      const ojson& dose =
          p["dose_mg"sv].is_number() || !resume.is_object() ? p["dose_mg"sv] : resume["dose_mg"sv];
      ix["dose_mg"sv] = dose;
      ix["frequency"sv] = p["dose_mg"sv].is_number() || !resume.is_object() ? p["frequency"sv]
                                                                            : resume["frequency"sv];
    } else if (fixed_inducer && !(on_therapy && st == "ongoing_at_start") && !toxicity_decides) {
      cap(ix, "dose_mg");
    } else if (bounded && !p["dose_mg"sv].is_number() && resume.is_object() &&
               resume["dose_mg"sv].is_number() &&
               (drug == "temsirolimus" || drug == "nab_sirolimus")) {
      ix["dose_mg"sv] = resume["dose_mg"sv];
    } else if (applied || (bounded && p["dose_mg"sv].is_number())) {
      ix["dose_mg"sv] = p["dose_mg"sv];
      if (r["dose_factor"sv].is_number() || ix.contains("frequency"sv) ||
          p["frequency"sv] != "once_daily")
        ix["frequency"sv] = p["frequency"sv];
    } else {
      ix["dose_mg"sv] = nullptr;
    }
  }
  // A text that names a dose above the ceiling (an inducer's increase when
  // a hepatic maximum governs, Afinitor §2.10; the lenvatinib combination's
  // 5 mg) gives way to its content's "text_above_ceiling", with the maximum
  // that applies. Eligibility notes and alternatives carry no rule: theirs is
  // the indication's (or the drug's) item of that code.
  auto above_ceiling = [&](ojson& item, const std::string& rule) {
    const json& r = content::at(rule);
    if (!ceiling.mg || !r.is_object() || !r["text_above_ceiling"sv].is_string()) return;
    // The highest dose the text names: the rule's own, or one it quotes.
    auto named = num(r, "names_dose_mg");
    if (auto own = num(r, "dose_mg"); own && (!named || *own > *named)) named = own;
    if (!named || *named <= *ceiling.mg + 1e-9) return;
    item["text"sv] =
        r["text_above_ceiling"sv].get<std::string>() + " The maximum here is " +
        mg_text(*ceiling.mg) +
        (p["frequency"sv].is_string() ? " " + frequency_phrase(p["frequency"sv].get<std::string>())
                                      : "") +
        ".";
  };
  for (ojson* list : {&ctx.interactions, &ctx.warnings})
    for (auto& item : *list) above_ceiling(item, text(item, "rule"));
  for (std::string_view kind : {"alternatives"sv, "notes"sv})
    if (ctx.eligibility.is_object() && ctx.eligibility[kind].is_array())
      for (auto& item : ctx.eligibility[kind]) {
        const std::string own = drug + ".indications." + indication + "." + std::string(kind) +
                                "." + text(item, "code");
        above_ceiling(item, content::at(own).is_object()
                                ? own
                                : drug + "." + std::string(kind) + "." + text(item, "code"));
      }
  for (auto& t : ctx.toxicity) {
    const auto worked_out = num(t, "resume_dose_mg");
    cap(t, "resume_dose_mg");
    // A resume dose the ceiling lowered keeps the one worked out and says
    // which rule bounds it (the regimen's own dose, or another maximum).
    if (worked_out && ceiling.mg && *worked_out > *ceiling.mg + 1e-9) {
      t["resume_dose_worked_out_mg"sv] = *worked_out;
      auto resumed = num(t, "resume_dose_mg");
      if (drug == "nab_sirolimus" && resumed)
        if (auto bsa = num(ctx.derived, "bsa_m2"); bsa && *bsa > 0)
          t["resume_dose_mg_per_m2"sv] = round_to(*resumed / *bsa, 0);
      t["resume_capped_by_regimen"sv] = true;
      t["resume_cap_note"sv] =
          resumed && resumed == num(ctx.regimen, "dose_mg")
              ? std::string(
                    "Capped at this answer's regimen dose: the liver values or an "
                    "interacting drug limit the dose below the one worked out from the "
                    "current dose.")
              : "Capped at this answer's maximum, " + mg_text(*ceiling.mg) + " (" + ceiling.rule +
                    "), below the dose worked out from the current dose.";
    }
    // Every withheld row restarts at the plan's one resume dose; a row that
    // worked out another keeps it beside, and says why it is not used.
    const bool one_restart =
        text(t, "action") == "withhold" &&
        (tox || (start_held && text(t, "source").rfind("/patient/labs/", 0) == 0));
    if (one_restart && action == "withhold" && resume.is_object() &&
        (t["resume_dose_mg"sv] != resume["dose_mg"sv] ||
         t["resume_frequency"sv] != resume["frequency"sv])) {
      if (t["resume_dose_mg"sv].is_number() && !t.contains("resume_dose_worked_out_mg"sv))
        t["resume_dose_worked_out_mg"sv] = t["resume_dose_mg"sv];
      t["resume_dose_mg"sv] = resume["dose_mg"sv];
      t["resume_frequency"sv] = resume["frequency"sv];
      t["resume_note"sv] =
          !resume["dose_mg"sv].is_number()
              ? "No restart dose while another reaction's dose cannot be worked out."
          : start_held
              ? "At a start the labs are a baseline, not a reaction to the drug: the start "
                "follows their recovery, at the composed starting dose."
          : !raised_by.empty() ? "The restart is " + raised_by + "."
          : !lowered_by.empty()
              ? "The restart is lowered further for " + lowered_by + "."
              : "The restart is at the lowest dose any withheld reaction allows (" + reason + ").";
    }
    // A drug stopped permanently restarts at no dose, whatever another row says.
    if (tox && action == "discontinue" && t["resume_dose_mg"sv].is_number()) {
      if (!t.contains("resume_dose_worked_out_mg"sv))
        t["resume_dose_worked_out_mg"sv] = t["resume_dose_mg"sv];
      t["resume_dose_mg"sv] = nullptr;
      t["resume_frequency"sv] = nullptr;
      t["resume_note"sv] = "Not restarted: the drug is stopped permanently (" + reason + ").";
    }
  }
  ctx.plan = std::move(p);
}

}  // namespace mtorcalc
