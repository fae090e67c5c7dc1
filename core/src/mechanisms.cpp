#include "mechanisms.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "dosing.hpp"
#include "plan.hpp"
#include "sirolimus_family.hpp"

namespace mtorcalc {

using namespace std::string_view_literals;

namespace {

std::string normalise_name(std::string_view s) {
  std::string out;
  bool space = false;
  for (unsigned char c : s) {
    if (std::isspace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

std::string str_or(const json& j, std::string_view key, std::string dflt = "") {
  if (!j.is_object()) return dflt;
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : dflt;
}

std::optional<double> num_of(const json& j, std::string_view key) {
  if (!j.is_object()) return std::nullopt;
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

ojson merged_refs(const json& a, const json& b) {
  ojson out = Ctx::refs_of(a);
  for (const auto& r : Ctx::refs_of(b)) {
    bool dup = false;
    for (const auto& x : out) dup = dup || x == r;
    if (!dup) out.push_back(r);
  }
  return out;
}

// An interaction entry cites the drug's own label, never another mTOR
// inhibitor's (content "interactions.label_ref_prefixes": the class lists of
// one label are not the other drug's label).
ojson without_other_labels(ojson refs, std::string_view drug) {
  const json& prefixes = content::at("interactions.label_ref_prefixes");
  if (!prefixes.is_object()) return refs;
  ojson out = ojson::array();
  for (const auto& r : refs) {
    bool other = false;
    for (const auto& [owner, prefix] : prefixes.items())
      other = other || (owner != drug && prefix.is_string() && r.is_string() &&
                        r.get<std::string>().rfind(prefix.get<std::string>(), 0) == 0);
    if (!other) out.push_back(r);
  }
  return out;
}

// Finds a comedication in content/interactions.json by name or alias; the
// key of the entry found, or empty.
std::string find_comedication(const std::string& name) {
  const json& drugs = content::at("interactions.drugs");
  if (!drugs.is_object()) return "";
  if (drugs.contains(name)) return name;
  for (const auto& [key, entry] : drugs.items()) {
    auto it = entry.find("aliases"sv);
    if (it == entry.end()) continue;
    for (const auto& a : *it)
      if (a.is_string() && normalise_name(a.get<std::string>()) == name) return key;
  }
  return "";
}

}  // namespace

std::string canonical_comedication(std::string_view name) {
  std::string n = normalise_name(name);
  std::string key = find_comedication(n);
  return key.empty() ? n : key;
}

double daily_factor(std::string_view frequency) {
  if (frequency == "every_other_day"sv) return 0.5;
  if (frequency == "twice_daily"sv) return 2.0;
  return 1.0;
}

// ---- interactions ------------------------------------------------------------

std::string interaction_rule_id(std::string_view drug, std::string_view klass,
                                std::string_view dosing_group) {
  std::string base = std::string(drug) + ".interactions." + std::string(klass);
  if (!dosing_group.empty()) {
    std::string specific = base + "." + std::string(dosing_group);
    const json& r = content::at(specific);
    if (r.is_object() && r.contains("action"sv)) return specific;
  }
  return base;
}

InteractionSummary evaluate_interactions(Ctx& ctx, std::string_view drug,
                                         std::string_view dosing_group) {
  InteractionSummary summary;
  std::vector<std::string> seen;
  for (const std::string& raw : ctx.req.strings({"comedications"})) {
    std::string name = normalise_name(raw);
    if (name.empty() || std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
    seen.push_back(name);
    std::string key = find_comedication(name);
    if (key.empty()) {
      ctx.interactions_unrecognized.push_back(raw);
      continue;
    }
    const json& entry = ctx.rule("interactions.drugs." + key);
    // A label may class a drug differently from the others (Rapamune §7.2
    // lists erythromycin with the strong inhibitors to avoid): content
    // "classes_for.<drug>" then replaces the usual classes for that drug.
    const json* own = nullptr;
    if (auto cf = entry.find("classes_for"sv); cf != entry.end() && cf->is_object())
      if (auto o = cf->find(drug); o != cf->end() && o->is_object() && o->contains("classes"))
        own = &*o;
    const std::string own_id = "interactions.drugs." + key + ".classes_for." + std::string(drug);
    if (own) ctx.record_rule(own_id);
    const json& classes = own ? (*own)["classes"sv] : entry["classes"sv];
    bool applies = !entry.contains("applies_to"sv);
    if (!applies)
      for (const auto& a : entry["applies_to"sv]) applies = applies || is_string_equal(a, drug);
    bool any = false;
    for (const auto& k : classes) {
      if (!applies) break;
      std::string klass = k.get<std::string>();
      std::string rid = interaction_rule_id(drug, klass, dosing_group);
      const json& r = ctx.rule(rid);
      if (!r.is_object() || !r.contains("action"sv)) continue;
      any = true;
      ojson item = ojson::object();
      item["drug"sv] = key;
      if (key != name) item["given_as"sv] = raw;
      item["class"sv] = klass;
      item["action"sv] = str_or(r, "action");
      std::optional<double> dose = num_of(r, "dose_mg");
      item["dose_mg"sv] = dose ? ojson(*dose) : ojson(nullptr);
      if (auto m2 = num_of(r, "dose_mg_per_m2")) item["dose_mg_per_m2"sv] = *m2;
      if (r.contains("frequency"sv)) item["frequency"sv] = str_or(r, "frequency");
      item["text"sv] = str_or(r, "text");
      if (r.contains("washout_days"sv)) item["washout_days"sv] = r["washout_days"sv];
      if (own) {
        item["label_class_note"sv] = str_or(*own, "text");
        item["class_in_other_labels"sv] = entry["classes"sv];
      }
      item["refs"sv] = without_other_labels(merged_refs(own ? *own : entry, r), drug);
      item["rule"sv] = rid;
      if (own) item["class_rule"sv] = own_id;
      ctx.interactions.push_back(std::move(item));
      if (std::find(summary.classes.begin(), summary.classes.end(), klass) == summary.classes.end())
        summary.classes.push_back(klass);
      if (r.contains("warning"sv)) ctx.warn(drug, str_or(r, "warning"));
      if (r.contains("monitoring"sv)) ctx.monitor(drug, str_or(r, "monitoring"));
    }
    if (!any) {
      // Known drug, but no class of it matters for this mTOR inhibitor (or
      // the entry applies only to others): no class is claimed for it here.
      ctx.interactions.push_back(
          {{"drug", key},
           {"class",
            !applies || classes.empty() ? ojson(nullptr) : ojson(classes[0].get<std::string>())},
           {"action", "monitor"},
           {"dose_mg", nullptr},
           {"text", "No dose change is labelled for this combination."},
           {"refs", Ctx::refs_of(entry)},
           {"rule", "interactions.drugs." + key}});
    }
  }
  return summary;
}

// ---- dose reduction ------------------------------------------------------------

ReductionRules level_rules(std::string_view drug, double dose_mg, std::optional<double> bsa_m2) {
  ReductionRules rules;
  rules.current_dose_mg = dose_mg;
  rules.bsa_m2 = bsa_m2;
  const json& reduction = content::at(std::string(drug) + ".dose_reduction");
  if (reduction.is_object())
    if (auto it = reduction.find("levels_mg_per_m2"sv); it != reduction.end() && it->is_array())
      for (const auto& l : *it)
        if (l.is_number()) rules.levels_mg_per_m2.push_back(l.get<double>());
  // The tolerance is an engine convention for mg rounding and BSA drift, not
  // a label number (content marks it unverified, with the reason).
  rules.level_tolerance_fraction =
      num_of(content::at(std::string(drug) + ".current_level"), "tolerance_fraction").value_or(0.0);
  return rules;
}

ReducedDose reduced_dose(Ctx& ctx, std::string_view drug, std::string_view form,
                         double current_dose_mg, std::string_view current_frequency,
                         std::optional<double> bsa_m2) {
  std::string id = std::string(drug) + ".dose_reduction";
  const json& r = ctx.rule(id);
  std::string method = str_or(r, "method");
  std::string frequency =
      current_frequency.empty() ? std::string("once_daily") : std::string(current_frequency);
  ReducedDose out;
  out.note = str_or(r, "text");
  // What the label does once no lower dose remains is content's to say.
  const std::string no_lower = str_or(r, "no_lower_dose_text");

  // The arithmetic is the composition's toxicity stage (plan.hpp); here only
  // which rule and which numbers from content.
  ReductionRules rules;
  std::string none = no_lower;
  if (method == "fraction"sv) {
    rules.fraction = num_of(r, "fraction").value_or(0.5);
    rules.strengths_mg = strengths_of(drug, form);
    rules.tie = tie_rule(drug);
  } else if (method == "step"sv) {
    rules.step_mg = num_of(r, "step_mg").value_or(0);
    rules.floor_mg = num_of(r, "floor_mg").value_or(0);
  } else if (method == "levels"sv) {
    // The levels are in mg/m² (fyarro-pi-2.2 Table 1): the current dose is
    // read as a level at the current BSA and the resume dose is the next
    // level down, so without a BSA neither can be worked out and its inputs
    // are asked for instead.
    out.per_m2 = true;
    const json& reading = ctx.rule(std::string(drug) + ".current_level");
    if (!bsa_m2) {
      out.resume_note = str_or(reading, "no_bsa_text");
      out.missing = {"/patient/weight_kg", "/patient/height_cm"};
      return out;
    }
    rules = level_rules(drug, current_dose_mg, bsa_m2);
    rules.increment_mg = increment_of(drug, form);
    const std::optional<LevelReading> level = read_dose_level(rules);
    // No level is stepped down from a dose above the label; the warning and
    // its note are flag_dose_above_label's.
    out.above_label = level && level->above_label;
    if (!level || out.above_label) {
      if (!level) out.resume_note = no_lower;
      return out;
    }
    out.level_note = level->note;
    if (level->below_lowest) none = str_or(reading, "below_lowest_text");
  } else {
    out.resume_note = no_lower;
    return out;
  }
  rules.current_dose_mg = current_dose_mg;
  rules.frequency = frequency;
  if (auto reduced = reduction_dose(rules)) {
    out.dose_mg = reduced->mg;
    out.frequency = reduced->frequency;
    out.dose_mg_per_m2 = reduced->mg_per_m2;
  } else {
    out.resume_note = none;
  }
  return out;
}

// ---- adverse reactions -------------------------------------------------------

namespace {

struct Event {
  std::string term;
  int grade;
  bool recurrent;
  std::string source;                 // "reported" or the JSON Pointer of the lab
  std::optional<int> reported_grade;  // when a lab gave a higher grade than reported
  std::string acts_as = {};           // the row's term when not its own (ctcae.acts_as)
};

const std::string& row_term(const Event& e) {
  return e.acts_as.empty() ? e.term : e.acts_as;
}

// The adverse-reaction row a derived lab grade acts through: its own
// adverse_event, else the drug's "ctcae.acts_as" row. A lab term acts only on
// therapy: at a start an abnormal value is a baseline, not a drug reaction.
std::string acting_term(Ctx& ctx, const json& grade, std::string_view drug) {
  if (grade["adverse_event"sv].is_string()) return grade["adverse_event"sv].get<std::string>();
  if (!ctx.req.num({"therapy", "current_dose_mg"}) || !grade["term"sv].is_string()) return "";
  const json& acts = content::at("ctcae.acts_as." + std::string(drug));
  auto it = acts.is_object() ? acts.find(grade["term"sv].get<std::string>()) : acts.end();
  if (it == acts.end() || !it->is_string()) return "";
  ctx.record_rule("ctcae.acts_as");
  return it->get<std::string>();
}

std::vector<Event> collect_events(Ctx& ctx, std::string_view drug) {
  std::vector<Event> events;
  const json& reported = ctx.req.node({"adverse_events"});
  if (reported.is_array()) {
    for (const auto& e : reported) {
      if (!e.is_object() || !e.contains("term"sv) || !e.contains("grade"sv)) continue;
      bool rec = e.contains("recurrent"sv) && e["recurrent"sv].is_boolean() &&
                 e["recurrent"sv].get<bool>();
      events.push_back({e["term"sv].get<std::string>(),
                        static_cast<int>(e["grade"sv].get<double>()), rec, "reported",
                        std::nullopt});
      // A reported reaction that is also a lab term (anaemia) and has no
      // table of its own acts through the row its lab grade acts through
      // (Torisel §2.3 holds any grade >= 3 reaction): report and lab are one
      // reaction, answered once.
      const std::string& term = events.back().term;
      const json& acts = content::at("ctcae.acts_as." + std::string(drug));
      if (!content::at(std::string(drug) + ".adverse_reactions." + term).is_object() &&
          acts.is_object() && acts.contains(term) && acts[term].is_string()) {
        events.back().acts_as = acts[term].get<std::string>();
        ctx.record_rule("ctcae.acts_as");
      }
    }
  }
  // Grades derived from labs count for terms the clinician did not report;
  // for a term with several labs (lipids) the worst grade counts. For a
  // reported term the more severe grade counts: a lab value that is itself a
  // worse grade (platelets 40,000/µL reported as grade 2) must not be hidden
  // by the report, since the labels' holds follow the value (Torisel PI §2.3:
  // "ANC <1,000/mm³ — hold"). The reported grade is kept beside it.
  if (ctx.derived.contains("ctcae"sv)) {
    for (const auto& g : ctx.derived["ctcae"sv]) {
      if (!g["grade"sv].is_number()) continue;
      int grade = g["grade"sv].get<int>();
      if (grade < 1) continue;
      std::string term = acting_term(ctx, g, drug);
      if (term.empty()) continue;
      auto it = std::find_if(events.begin(), events.end(),
                             [&](const Event& e) { return row_term(e) == term; });
      if (it == events.end()) {
        events.push_back({term, grade, false, g["from"sv].get<std::string>(), std::nullopt});
      } else if (grade > it->grade) {
        if (it->source == "reported"sv) it->reported_grade = it->grade;
        it->grade = grade;
        it->source = g["from"sv].get<std::string>();
      }
    }
  }
  return events;
}

bool row_matches(const json& row, const Event& e) {
  bool grade_ok = false;
  for (const auto& g : row["grades"sv]) grade_ok = grade_ok || g.get<int>() == e.grade;
  if (!grade_ok) return false;
  auto it = row.find("recurrent"sv);
  return it == row.end() || !it->is_boolean() || it->get<bool>() == e.recurrent;
}

}  // namespace

void evaluate_toxicity(Ctx& ctx, const ToxicityInput& in) {
  for (const Event& e : collect_events(ctx, in.drug)) {
    std::string table_id = in.drug + ".adverse_reactions." + row_term(e);
    const json& table = content::at(table_id);
    std::string row_key;
    if (table.is_object())
      for (const auto& [key, row] : table.items())
        if (row.is_object() && row.contains("grades"sv) && row_matches(row, e)) {
          row_key = key;
          break;
        }
    ojson t = ojson::object();
    t["term"sv] = e.term;
    t["grade"sv] = e.grade;
    t["recurrent"sv] = e.recurrent;
    t["source"sv] = e.source;
    if (e.reported_grade) {
      t["reported_grade"sv] = *e.reported_grade;
      t["grade_note"sv] =
          "The lab value is a higher grade than the one reported; the higher grade is used.";
    }
    // No label action: the reaction is still answered, never dropped. The
    // dose continues (the contract's actions are continue, withhold and
    // discontinue), `label_action: false` and the text say the label gives
    // none, instead of inventing one.
    auto answer_without_action = [&](const char* why) {
      for (const char* k : {"resume", "resume_dose_mg", "resume_frequency", "until", "supportive"})
        t[k] = nullptr;
      t["action"sv] = "continue";
      t["label_action"sv] = false;
      t["text"sv] = why;
      t["refs"sv] = ojson::array();
      ctx.toxicity.push_back(std::move(t));
    };
    if (!table.is_object()) {
      answer_without_action(
          "The label has no dose-modification table for this adverse reaction: no dose change "
          "follows from the label; manage it clinically and see the warnings.");
      continue;
    }
    if (row_key.empty()) {
      answer_without_action("The label table has no row for this grade.");
      continue;
    }
    std::string rid = table_id + "." + row_key;
    const json& row = ctx.rule(rid);
    std::string resume = str_or(row, "resume");
    t["action"sv] = str_or(row, "action");
    t["resume"sv] = resume.empty() ? ojson(nullptr) : ojson(resume);
    t["resume_dose_mg"sv] = nullptr;
    t["resume_frequency"sv] = nullptr;
    std::optional<ReducedDose> rd;
    if (in.current_dose_mg && resume == "same_dose"sv) {
      t["resume_dose_mg"sv] = round_to(*in.current_dose_mg, 2);
      t["resume_frequency"sv] = in.frequency;
    } else if (in.current_dose_mg && resume == "reduced_dose"sv) {
      rd = reduced_dose(ctx, in.drug, in.form, *in.current_dose_mg, in.frequency, in.bsa_m2);
      if (rd->dose_mg) {
        t["resume_dose_mg"sv] = round_to(*rd->dose_mg, 2);
        t["resume_frequency"sv] = rd->frequency;
      } else if (!rd->per_m2) {
        t["resume_note"sv] = rd->resume_note;
      }
    }
    // Without therapy.current_dose_mg the resume dose is worked from this
    // answer's own regimen; a patient on another dose needs it entered, so
    // the answer says which dose it assumed and what is missing.
    if (!t["resume_dose_mg"sv].is_null() && !ctx.req.num({"therapy", "current_dose_mg"})) {
      t["dose_basis"sv] = "regimen_assumed";
      t["assumed_current_dose_mg"sv] = round_to(*in.current_dose_mg, 2);
      t["missing"sv] = ojson::array({"/therapy/current_dose_mg"});
    } else if (!t["resume_dose_mg"sv].is_null()) {
      t["dose_basis"sv] = "therapy";
    } else if (rd && rd->above_label) {
      t["dose_basis"sv] = "therapy_above_label";
    }
    t["until"sv] = row.contains("until"sv) ? ojson(str_or(row, "until")) : ojson(nullptr);
    t["supportive"sv] =
        row.contains("supportive"sv) ? ojson(str_or(row, "supportive")) : ojson(nullptr);
    t["text"sv] = str_or(row, "text");
    t["refs"sv] = Ctx::refs_of(row);
    t["rule"sv] = rid;
    // A dose read in mg/m² carries its reading after the rule, where these
    // answers have always had it (the field order is kept): how the current
    // dose was read, then the level resumed at, or why there is none and
    // what is missing.
    if (rd && rd->per_m2) {
      if (!rd->level_note.empty()) t["level_note"sv] = rd->level_note;
      if (rd->dose_mg_per_m2) t["resume_dose_mg_per_m2"sv] = *rd->dose_mg_per_m2;
      if (!rd->dose_mg && !rd->above_label) t["resume_note"sv] = rd->resume_note;
      if (!rd->missing.empty()) t["missing"sv] = ojson(rd->missing);
    }
    if (row.contains("warning"sv)) ctx.warn(in.drug, str_or(row, "warning"));
    ctx.toxicity.push_back(std::move(t));
  }
}

void flag_dose_above_label(Ctx& ctx, std::string_view drug, const CurrentDoseCheck& check) {
  if (!check.above_label) return;
  const std::string id = std::string(drug) + ".warnings.current_dose_above_label";
  const json& r = ctx.rule(id);
  if (!r.is_object() || list_has_code(ctx.warnings, "current_dose_above_label")) return;
  const ojson& figures = check.figures;
  ojson w = {{"code", "current_dose_above_label"},
             {"severity", str_or(r, "severity", "serious")},
             {"text", str_or(r, "text")},
             {"path", "/therapy/current_dose_mg"}};
  for (auto it = figures.begin(); it != figures.end(); ++it) w[it.key()] = *it;
  w["refs"sv] = Ctx::refs_of(r);
  w["rule"sv] = id;
  ctx.warnings.push_back(std::move(w));
  for (auto& t : ctx.toxicity) {
    if (!t.is_object() || !t.contains("resume"sv) || t["resume"sv].is_null()) continue;
    t.erase("resume_dose_mg_per_m2");
    t["resume_dose_mg"sv] = nullptr;
    t["resume_frequency"sv] = nullptr;
    t["resume_note"sv] = str_or(r, "resume_note");
    t["dose_basis"sv] = "therapy_above_label";
  }
}

void finish_toxicity(Ctx& ctx, std::string_view drug) {
  // Where the label stops the drug once no lower dose remains, the action
  // says so, not only the note (content "<drug>.dose_reduction").
  const json& red = content::at(std::string(drug) + ".dose_reduction");
  const std::string stop = str_or(red, "no_lower_dose_action");
  const std::string no_lower = str_or(red, "no_lower_dose_text");
  if (!stop.empty() && !no_lower.empty())
    for (auto& t : ctx.toxicity)
      if (t.is_object() && t["resume_dose_mg"sv].is_null() && t.contains("resume_note"sv) &&
          is_string_equal(t["resume_note"sv], no_lower)) {
        t["action"sv] = stop;
        t["resume"sv] = nullptr;
      }
}

// ---- trough titration --------------------------------------------------------

void evaluate_titration(Ctx& ctx, std::string_view drug, std::string_view form) {
  auto trough = ctx.req.num({"therapy", "trough_ng_ml"});
  if (!trough) return;
  std::string tdm_id = std::string(drug) + ".tdm";
  const json& tdm = ctx.rule(tdm_id);
  if (!tdm.is_object() || !tdm.contains("target_range_ng_ml"sv)) return;
  double low = tdm["target_range_ng_ml"sv][0].get<double>();
  double high = tdm["target_range_ng_ml"sv][1].get<double>();

  ojson t = ojson::object();
  auto current = ctx.req.num({"therapy", "current_dose_mg"});
  std::string frequency = ctx.req.str({"therapy", "frequency"}).value_or("once_daily");
  auto given_target = ctx.req.num({"therapy", "target_trough_ng_ml"});
  double target = given_target ? *given_target : (low + high) / 2.0;

  t["current_dose_mg"sv] = current ? ojson(*current) : ojson(nullptr);
  t["current_frequency"sv] = frequency;
  t["trough_ng_ml"sv] = *trough;
  t["target_trough_ng_ml"sv] = target;
  t["target_source"sv] = given_target ? "clinician" : "middle_of_range";
  t["target_range_ng_ml"sv] = ojson::array({low, high});
  t["in_range"sv] = *trough >= low && *trough <= high;

  auto days = ctx.req.num({"therapy", "days_on_current_dose"});
  auto steady = num_of(tdm, "steady_state_min_days");
  std::optional<bool> at_steady;
  if (days && steady) at_steady = *days >= *steady;
  t["at_steady_state"sv] = at_steady ? ojson(*at_steady) : ojson(nullptr);
  if (at_steady == std::optional<bool>(false)) ctx.warn(drug, "not_at_steady_state");

  if (!current) {
    t["raw_new_dose_mg"sv] = nullptr;
    t["new_dose_mg"sv] = nullptr;
    t["new_frequency"sv] = nullptr;
    t["capped"sv] = false;
    t["missing"sv] = ojson::array({"/therapy/current_dose_mg"});
  } else {
    // The dose arithmetic is the composition's titration stage (plan.hpp).
    TitrationRules rules;
    rules.current_daily_mg = *current * daily_factor(frequency);
    rules.frequency = frequency;
    rules.target_ng_ml = target;
    rules.trough_ng_ml = *trough;
    rules.max_increase_mg_per_step = num_of(tdm, "max_increase_mg_per_step");
    rules.max_daily_mg = num_of(tdm, "max_daily_dose_mg");
    rules.strengths_mg = strengths_of(drug, form);
    rules.increment_mg = increment_of(drug, form);
    rules.tie = tie_rule(drug);
    const TitrationDose td = titration_dose(rules);
    const double daily = rules.current_daily_mg, raw = td.raw_daily_mg;
    t["raw_new_dose_mg"sv] = round_to(raw, 2);
    t["new_dose_mg"sv] = round_to(td.dose_mg, 2);
    t["new_frequency"sv] = td.frequency;
    t["capped"sv] = td.capped;
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "new dose = current × target ÷ measured = %g mg × %g ÷ %g ng/mL = %g mg",
                  round_to(daily, 2), round_to(target, 2), round_to(*trough, 2), round_to(raw, 2));
    t["formula"sv] = buf;
    if (td.capped) t["cap_text"sv] = str_or(tdm, "cap_text");
  }
  t["recheck_days"sv] =
      tdm.contains("recheck_days"sv) ? ojson(tdm["recheck_days"sv]) : ojson(nullptr);
  t["text"sv] = str_or(tdm, "text");
  t["refs"sv] = Ctx::refs_of(tdm);
  t["rule"sv] = tdm_id;
  ctx.titration = std::move(t);
}

// ---- everyday warnings ----------------------------------------------------------

namespace {

// A content "when"/"if" condition: every key present must
// hold. Keys: path + lt/le/gt/ge (a number in the request) or equals (a
// string), any_true (request booleans), indications, always.
struct Condition {
  std::optional<bool> always;
  std::optional<std::vector<std::string>> indications;
  std::optional<std::string> path;  // a dotted request path
  std::optional<double> lt, le, gt, ge;
  const json* equals = nullptr;
  std::optional<std::vector<std::string>> any_true;  // dotted request paths
};

struct ConditionalItem {
  Section section;
  std::string code;
  Condition condition;
};

std::optional<double> number_at(const json& when, const char* key) {
  auto it = when.find(key);
  return it != when.end() && it->is_number() ? std::optional<double>(it->get<double>())
                                             : std::nullopt;
}

Condition read_condition(const json& when) {
  Condition c;
  if (auto it = when.find("always"sv); it != when.end()) {
    c.always = it->is_boolean() && it->get<bool>();
    return c;
  }
  if (auto it = when.find("indications"sv); it != when.end()) {
    c.indications.emplace();
    for (const auto& i : *it)
      if (i.is_string()) c.indications->push_back(i.get<std::string>());
  }
  if (auto it = when.find("path"sv); it != when.end() && it->is_string()) {
    c.path = it->get<std::string>();
    c.lt = number_at(when, "lt");
    c.le = number_at(when, "le");
    c.gt = number_at(when, "gt");
    c.ge = number_at(when, "ge");
    if (auto e = when.find("equals"sv); e != when.end()) c.equals = &*e;
  }
  if (auto it = when.find("any_true"sv); it != when.end()) {
    c.any_true.emplace();
    for (const auto& p : *it)
      if (p.is_string()) c.any_true->push_back(p.get<std::string>());
  }
  return c;
}

bool holds(const Condition& c, const Ctx& ctx) {
  if (c.always) return *c.always;
  if (c.indications) {
    const std::string& indication = ctx.req.indication();
    bool in = false;
    for (const auto& i : *c.indications) in = in || i == indication;
    if (!in) return false;
  }
  if (c.path) {
    const json& v = content::find_dotted(ctx.req.raw(), *c.path);
    if (v.is_number()) {
      double x = v.get<double>();
      if ((c.lt && !(x < *c.lt)) || (c.le && !(x <= *c.le)) || (c.gt && !(x > *c.gt)) ||
          (c.ge && !(x >= *c.ge)))
        return false;
    } else if (!(v.is_string() && c.equals && v == *c.equals)) {
      return false;
    }
  }
  if (c.any_true) {
    bool any = false;
    for (const auto& p : *c.any_true) {
      const json& v = content::find_dotted(ctx.req.raw(), p);
      any = any || (v.is_boolean() && v.get<bool>());
    }
    if (!any) return false;
  }
  return true;
}

// The drug's conditional warnings and monitoring items, in content order.
std::vector<ConditionalItem> read_conditional_items(std::string_view drug) {
  std::vector<ConditionalItem> items;
  for (Section section : {Section::warnings, Section::monitoring}) {
    const json& list = content::at(std::string(drug) + "." + std::string(to_string(section)));
    if (!list.is_object()) continue;
    for (const auto& [code, w] : list.items()) {
      // The condition is "if"; a warning may also give it as a "when"
      // object (a monitoring item's "when" is its display text).
      if (!w.is_object()) continue;
      const json* cond = nullptr;
      if (auto it = w.find("if"sv); it != w.end())
        cond = &*it;
      else if (auto wh = w.find("when"sv); wh != w.end() && wh->is_object())
        cond = &*wh;
      if (!cond || !cond->is_object()) continue;
      items.push_back({section, code, read_condition(*cond)});
    }
  }
  return items;
}

}  // namespace

void evaluate_patient_warnings(Ctx& ctx, std::string_view drug) {
  for (const ConditionalItem& item : read_conditional_items(drug)) {
    if (!holds(item.condition, ctx)) continue;
    if (item.section == Section::warnings)
      ctx.warn(drug, item.code);
    else
      ctx.monitor(drug, item.code);
  }
  const std::string d(drug);
  // Before a start only ("applies_when_question": "start"), and only for the
  // indications the warning names when it names any (Afinitor's childhood
  // vaccinations concern SEGA and seizures, not an adult's RCC).
  if (!ctx.req.num({"therapy", "current_dose_mg"})) {
    const json& warnings = content::at(d + ".warnings");
    const std::string indication = ctx.req.indication();
    if (warnings.is_object())
      for (const auto& [code, w] : warnings.items()) {
        if (!w.is_object() || w.value("applies_when_question"sv, "") != "start"sv) continue;
        if (auto it = w.find("indications"sv); it != w.end() && it->is_array()) {
          bool named = false;
          for (const auto& i : *it) named = named || is_string_equal(i, indication);
          if (!named) continue;
        }
        ctx.warn(drug, code);
      }
  }
  // Embryo-fetal toxicity when reproductive potential was not given: the
  // warning says what is missing instead of saying nothing.
  const std::string not_stated = d + ".warnings.embryo_fetal_toxicity_not_stated";
  const json& rule = content::at(not_stated);
  auto sex = ctx.req.str({"patient", "sex"});
  if (rule.is_object() && sex != std::optional<std::string>("male") &&
      !ctx.req.has({"patient", "reproductive_potential"}) &&
      !ctx.req.has({"patient", "pregnant"}) && !ctx.has_warning("embryo_fetal_toxicity")) {
    ctx.record_rule(not_stated);
    ojson w = coded_text(not_stated, "embryo_fetal_toxicity");
    w["severity"sv] = str_or(rule, "severity");
    w["missing"sv] = rule["missing"sv];
    ctx.warnings.push_back(std::move(w));
  }
}

}  // namespace mtorcalc
