#include "derived.hpp"

#include <algorithm>
#include <array>
#include <cmath>

// GCC 12 reports std::optional<double> captured by lambdas as "maybe
// uninitialized" (a known false positive, GCC PR 80635); every read below is
// guarded by has_value().
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace mtorcalc {

using namespace std::string_view_literals;

std::optional<double> bsa_by_formula(std::string_view formula, double weight_kg, double height_cm) {
  const json& f = content::at("calculators.bsa." + std::string(formula));
  if (!f.is_object()) return std::nullopt;
  double k = f["constant"sv].get<double>();
  double a = f["height_exponent"sv].get<double>();
  double b = f["weight_exponent"sv].get<double>();
  return k * std::pow(height_cm, a) * std::pow(weight_kg, b);
}

double corrected_calcium_mg_dl(double calcium_mg_dl, double albumin_g_dl) {
  const json& c = content::at("calculators.corrected_calcium");
  double factor = c["factor"sv].get<double>();
  double normal = c["normal_albumin_g_dl"sv].get<double>();
  return calcium_mg_dl + factor * (normal - albumin_g_dl);
}

namespace {

std::optional<double> first_num(const Request& req, std::initializer_list<std::string_view> a,
                                std::initializer_list<std::string_view> b) {
  auto v = req.num(a);
  return v ? v : req.num(b);
}

// Points for one Child-Pugh component from its content bands.
std::optional<int> points_numeric(const json& bands, std::optional<double> value,
                                  const Request& req) {
  if (!value) return std::nullopt;
  BandResult r = first_band(bands, *value, req);
  if (!r.band) return std::nullopt;
  return (*r.band)["points"sv].get<int>();
}

std::optional<int> points_category(const json& table, std::optional<std::string> value) {
  if (!value || !table.contains(*value)) return std::nullopt;
  return table[*value].get<int>();
}

std::string class_for_score(int score) {
  for (const json& c : content::at("calculators.child_pugh.classes")) {
    if (score >= c["min"sv].get<int>() && score <= c["max"sv].get<int>())
      return c["class"sv].get<std::string>();
  }
  return "";
}

// A score factor: present (true/false) or unknown (null) with the request
// paths it lacks (at most three: a value, albumin, a limit; constants below).
struct Factor {
  std::string_view code;
  std::optional<bool> present;
  std::array<std::string_view, 3> missing{};
  std::size_t missing_count = 0;

  void lacks(std::string_view pointer) { missing[missing_count++] = pointer; }
};

// How a score judges one of its factors, each against the score's own
// threshold in content "scores.<id>.factors.<code>" or the laboratory's limit.
enum class Judge {
  karnofsky_below,         // karnofsky < lt
  karnofsky_within,        // min <= karnofsky <= max
  diagnosis_within,        // months since diagnosis < lt_months
  hemoglobin_below_lln,    // hemoglobin < the laboratory's LLN
  calcium_above_uln,       // corrected calcium > the laboratory's ULN
  calcium_above,           // corrected calcium > gt_mg_dl
  neutrophils_above_uln,   // ANC > the laboratory's ULN
  platelets_above_uln,     // platelets > the laboratory's ULN
  ldh_above_uln_times,     // LDH > gt_uln_times x the laboratory's ULN
  sites_above,             // metastatic organ sites > gt
};

// The RCC prognostic scores, each its factors in the order it lists them.
// A score with "groups" in content gets a risk group; one with
// "poor_risk_min_factors" a poor-risk answer.
struct RccScore {
  std::string_view id;
  std::vector<Judge> factors;
};

const RccScore kRccScores[] = {
    // IMDC (Heng 2009): six factors against the local laboratory's limits.
    {"imdc",
     {Judge::karnofsky_below, Judge::diagnosis_within, Judge::hemoglobin_below_lln,
      Judge::calcium_above_uln, Judge::neutrophils_above_uln, Judge::platelets_above_uln}},
    // MSKCC (Motzer 2002): five factors; LDH against 1.5 x ULN, calcium fixed.
    {"mskcc",
     {Judge::karnofsky_below, Judge::diagnosis_within, Judge::ldh_above_uln_times,
      Judge::calcium_above, Judge::hemoglobin_below_lln}},
    // ARCC poor risk (Hudes 2007, Torisel PI section 14): at least 3 of 6.
    {"arcc",
     {Judge::ldh_above_uln_times, Judge::hemoglobin_below_lln, Judge::calcium_above,
      Judge::diagnosis_within, Judge::karnofsky_within, Judge::sites_above}},
};

// A score's response object and the factor counts its group is read from.
struct ScoreResult {
  ojson json;
  int present_min = 0;
  int present_max = 0;
};

ScoreResult score_json(Ctx& ctx, std::string_view score_id, const std::vector<Factor>& factors) {
  const json& s = ctx.rule("scores." + std::string(score_id));
  int present = 0, unknown = 0;
  ojson detail = ojson::array();
  ojson missing = ojson::array();
  for (const Factor& f : factors) {
    if (f.present == std::optional<bool>(true)) ++present;
    if (!f.present) ++unknown;
    ojson d = ojson::object();
    d["code"sv] = f.code;
    d["present"sv] = f.present ? ojson(*f.present) : ojson(nullptr);
    d["text"sv] = s["factors"sv][std::string(f.code)]["text"sv].get<std::string>();
    detail.push_back(std::move(d));
    for (std::size_t i = 0; i < f.missing_count; ++i) {
      const std::string_view m = f.missing[i];
      bool dup = false;
      for (const auto& x : missing) dup = dup || is_string_equal(x, m);
      if (!dup) missing.push_back(std::string(m));
    }
  }
  ScoreResult r;
  r.json = ojson::object();
  r.json["factors"sv] = present;
  r.json["factors_unknown"sv] = unknown;
  r.json["factor_detail"sv] = std::move(detail);
  r.json["missing"sv] = std::move(missing);
  r.json["refs"sv] = Ctx::refs_of(s);
  r.present_min = present;
  r.present_max = present + unknown;
  return r;
}

std::string group_for(const json& groups, int count) {
  for (const json& g : groups)
    if (count >= g["min"sv].get<int>() && count <= g["max"sv].get<int>())
      return g["group"sv].get<std::string>();
  return "";
}

// The lowest and highest points a component's content table can give.
std::pair<int, int> points_span(const json& table) {
  int lo = 0, hi = 0;
  auto take = [&](int p) {
    lo = lo == 0 ? p : std::min(lo, p);
    hi = std::max(hi, p);
  };
  if (table.is_array())
    for (const json& band : table) take(band["points"sv].get<int>());
  else if (table.is_object())
    for (const auto& [name, points] : table.items()) take(points.get<int>());
  return {lo, hi};
}

// One Child-Pugh component: its content table, the span of points it can
// give, and where the request holds it.
struct Component {
  const json* table = nullptr;
  std::pair<int, int> span;
  std::string_view pointer;
};

// The five components' tables from content "calculators.child_pugh", read
// once: every request scores them (the consistency check, the derived value
// and the range all need them), and the spans never change.
struct ChildPughTables {
  Component bilirubin, albumin, inr, ascites, encephalopathy;
};

const ChildPughTables& child_pugh_tables() {
  static const ChildPughTables tables = [] {
    const json& cp = content::at("calculators.child_pugh");
    auto component = [&](const char* key, std::string_view pointer) {
      const json& table = cp[key];
      return Component{&table, points_span(table), pointer};
    };
    return ChildPughTables{component("bilirubin_mg_dl", "/patient/hepatic/bilirubin_mg_dl"),
                           component("albumin_g_dl", "/patient/hepatic/albumin_g_dl"),
                           component("inr", "/patient/hepatic/inr"),
                           component("ascites", "/patient/hepatic/ascites"),
                           component("encephalopathy", "/patient/hepatic/encephalopathy")};
  }();
  return tables;
}

// The five components' points: each given one counts its points, each
// missing one its lowest and highest (so a complete set has min == max).
ChildPughRange score_components(const Request& req, int& known) {
  const ChildPughTables& t = child_pugh_tables();
  auto bili = first_num(req, {"patient", "hepatic", "bilirubin_mg_dl"},
                        {"patient", "labs", "bilirubin_mg_dl"});
  auto alb =
      first_num(req, {"patient", "hepatic", "albumin_g_dl"}, {"patient", "labs", "albumin_g_dl"});
  struct Part {
    std::optional<int> points;
    const Component& component;
  };
  const Part parts[] = {
      {points_numeric(*t.bilirubin.table, bili, req), t.bilirubin},
      {points_numeric(*t.albumin.table, alb, req), t.albumin},
      {points_numeric(*t.inr.table, req.num({"patient", "hepatic", "inr"}), req), t.inr},
      {points_category(*t.ascites.table, req.str({"patient", "hepatic", "ascites"})), t.ascites},
      {points_category(*t.encephalopathy.table, req.str({"patient", "hepatic", "encephalopathy"})),
       t.encephalopathy},
  };
  ChildPughRange r;
  known = 0;
  r.missing.reserve(static_cast<std::size_t>(
      std::count_if(std::begin(parts), std::end(parts), [](const Part& p) { return !p.points; })));
  for (const Part& part : parts) {
    if (part.points) {
      ++known;
      r.min_score += *part.points;
      r.max_score += *part.points;
    } else {
      r.min_score += part.component.span.first;
      r.max_score += part.component.span.second;
      r.missing.push_back(part.component.pointer);
    }
  }
  return r;
}

}  // namespace

std::optional<ChildPughRange> child_pugh_range(const Request& req) {
  int known = 0;
  ChildPughRange r = score_components(req, known);
  if (known == 0 || r.missing.empty()) return std::nullopt;
  return r;
}

std::optional<ChildPugh> child_pugh_from_components(const Request& req) {
  int known = 0;
  const ChildPughRange all = score_components(req, known);
  if (!all.missing.empty()) return std::nullopt;
  ChildPugh r;
  r.score = all.min_score;
  r.klass = class_for_score(r.score);
  return r;
}

Derived compute_derived(Ctx& ctx) {
  const Request& req = ctx.req;
  Derived d;
  ojson& out = ctx.derived;

  // Body-surface area: the clinician's own value wins; otherwise the formula
  // chosen (Mosteller by default) from weight and height.
  std::string formula = req.str({"patient", "bsa_formula"})
                            .value_or(content::at("calculators.bsa.default").get<std::string>());
  if (auto given = req.num({"patient", "bsa_m2"})) {
    d.bsa_m2 = round_to(*given, 2);
    out["bsa_m2"sv] = *d.bsa_m2;
    out["bsa_formula"sv] = "given";
    // The clinician's value is used, but the value from weight and height
    // is shown beside it, so that a slip (a BSA from another patient, height
    // in inches) is visible on the page rather than hidden in the dose.
    if (auto w = req.num({"patient", "weight_kg"}), h = req.num({"patient", "height_cm"}); w && h)
      if (auto bsa = bsa_by_formula(formula, *w, *h)) {
        out["bsa_m2_from_weight_height"sv] = round_to(*bsa, 2);
        out["bsa_formula_for_comparison"sv] = formula;
      }
  } else if (auto w = req.num({"patient", "weight_kg"}), h = req.num({"patient", "height_cm"});
             w && h) {
    if (auto bsa = bsa_by_formula(formula, *w, *h)) {
      const json& f = ctx.rule("calculators.bsa." + formula);
      d.bsa_m2 = round_to(*bsa, 2);
      out["bsa_m2"sv] = *d.bsa_m2;
      out["bsa_formula"sv] = formula;
      out["bsa_formula_text"sv] = f["text"sv].get<std::string>();
      out["bsa_refs"sv] = Ctx::refs_of(f);
    }
  }

  // Child-Pugh: from the five components when all are given, else the class.
  // The components are scored once here (child_pugh_from_components and
  // child_pugh_range are the same scoring, seen two ways).
  auto given_class = req.str({"patient", "hepatic", "child_pugh_class"});
  int known_components = 0;
  const ChildPughRange components = score_components(req, known_components);
  if (components.missing.empty()) {
    const json& r = ctx.rule("calculators.child_pugh");
    d.child_pugh_score = components.min_score;
    d.child_pugh_class = class_for_score(components.min_score);
    out["child_pugh"sv] = {{"score", components.min_score},
                           {"class", *d.child_pugh_class},
                           {"from", "components"},
                           {"refs", Ctx::refs_of(r)}};
  } else if (given_class) {
    d.child_pugh_class = *given_class;
    out["child_pugh"sv] = {{"score", nullptr}, {"class", *given_class}, {"from", "class_given"}};
  } else if (known_components > 0) {
    // Some components are missing but those given already rule out the first
    // class (bilirubin 3.5 and albumin 2.5 are 6 points before the other
    // three): the patient has hepatic impairment, and a full dose would be
    // wrong whatever the rest. The dose follows the worst class the missing
    // components allow; when they could still change the class the answer
    // says so and lists them (contract: what is lacking is reported, never
    // guessed). When the first class is still possible nothing is inferred.
    const json& r = ctx.rule("calculators.child_pugh");
    const std::string first = r["classes"sv][0]["class"sv].get<std::string>();
    const std::string lo = class_for_score(components.min_score),
                      hi = class_for_score(components.max_score);
    if (!lo.empty() && !hi.empty() && lo != first) {
      d.child_pugh_class = hi;
      ojson missing = ojson::array();
      if (lo != hi)
        for (std::string_view m : components.missing) missing.push_back(std::string(m));
      out["child_pugh"sv] = {{"score", nullptr},
                             {"score_min", components.min_score},
                             {"score_max", components.max_score},
                             {"class", hi},
                             {"class_range", ojson::array({lo, hi})},
                             {"from", lo == hi ? "components_partial" : "components_partial_worst"},
                             {"missing", std::move(missing)},
                             {"refs", Ctx::refs_of(r)}};
      if (lo != hi) ctx.warn("", "child_pugh_incomplete");
    }
  }

  // Corrected calcium (albumin from the labs, else from the hepatic panel).
  auto ca = req.num({"patient", "labs", "calcium_mg_dl"});
  auto alb =
      first_num(req, {"patient", "labs", "albumin_g_dl"}, {"patient", "hepatic", "albumin_g_dl"});
  if (ca && alb) {
    const json& r = ctx.rule("calculators.corrected_calcium");
    d.corrected_calcium_mg_dl = round_to(corrected_calcium_mg_dl(*ca, *alb), 2);
    out["corrected_calcium_mg_dl"sv] = *d.corrected_calcium_mg_dl;
    out["corrected_calcium_formula"sv] = r["text"sv].get<std::string>();
    out["corrected_calcium_refs"sv] = Ctx::refs_of(r);
  }

  // AML growth: given directly, or from two measurements.
  if (auto g = req.num({"condition", "aml", "growth_cm_per_year"})) {
    d.aml_growth_cm_per_year = round_to(*g, 2);
  } else {
    auto now = req.num({"condition", "aml", "largest_diameter_cm"});
    auto before = req.num({"condition", "aml", "previous_largest_diameter_cm"});
    auto months = req.num({"condition", "aml", "months_between_measurements"});
    if (now && before && months && *months > 0) {
      const json& r = ctx.rule("calculators.aml_growth");
      d.aml_growth_cm_per_year =
          round_to((*now - *before) * r["months_per_year"sv].get<double>() / *months, 2);
    }
  }
  if (d.aml_growth_cm_per_year) out["aml_growth_cm_per_year"sv] = *d.aml_growth_cm_per_year;

  // RCC prognostic scores, whenever any of their inputs is present.
  auto kps = req.num({"patient", "karnofsky"});
  auto months_dx = req.num({"condition", "rcc", "months_since_diagnosis"});
  auto hb = req.num({"patient", "labs", "hemoglobin_g_dl"});
  auto hb_lln = req.num({"patient", "limits", "hemoglobin_lln_g_dl"});
  auto ca_uln = req.num({"patient", "limits", "calcium_uln_mg_dl"});
  auto anc = req.num({"patient", "labs", "anc_per_ul"});
  auto anc_uln = req.num({"patient", "limits", "anc_uln_per_ul"});
  auto plt = req.num({"patient", "labs", "platelets_per_ul"});
  auto plt_uln = req.num({"patient", "limits", "platelets_uln_per_ul"});
  auto ldh = req.num({"patient", "labs", "ldh_u_l"});
  auto ldh_uln = req.num({"patient", "limits", "ldh_uln_u_l"});
  auto sites = req.num({"condition", "rcc", "metastatic_organ_sites"});
  std::optional<double> cca = d.corrected_calcium_mg_dl;

  bool any_score_input = kps || months_dx || hb || ca || anc || plt || ldh || sites;
  if (any_score_input || req.indication() == "rcc"sv) {
    auto cmp = [](std::string_view code, std::optional<double> v, std::optional<double> lim,
                  auto pred, std::string_view value_path,
                  std::string_view limit_path = {}) -> Factor {
      Factor f;
      f.code = code;
      if (v && lim) {
        f.present = pred(*v, *lim);
      } else {
        if (!v) f.lacks(value_path);
        if (!lim && !limit_path.empty()) f.lacks(limit_path);
      }
      return f;
    };
    constexpr std::string_view p_kps = "/patient/karnofsky",
                               p_months = "/condition/rcc/months_since_diagnosis",
                               p_hb = "/patient/labs/hemoglobin_g_dl",
                               p_hb_lln = "/patient/limits/hemoglobin_lln_g_dl",
                               p_ca = "/patient/labs/calcium_mg_dl",
                               p_alb = "/patient/labs/albumin_g_dl",
                               p_ca_uln = "/patient/limits/calcium_uln_mg_dl",
                               p_anc = "/patient/labs/anc_per_ul",
                               p_anc_uln = "/patient/limits/anc_uln_per_ul",
                               p_plt = "/patient/labs/platelets_per_ul",
                               p_plt_uln = "/patient/limits/platelets_uln_per_ul",
                               p_ldh = "/patient/labs/ldh_u_l",
                               p_ldh_uln = "/patient/limits/ldh_uln_u_l",
                               p_sites = "/condition/rcc/metastatic_organ_sites";
    auto cca_factor = [&](std::optional<double> limit, bool limit_is_lab) {
      Factor f;
      f.code = "corrected_calcium";
      if (cca && limit) {
        f.present = *cca > *limit;
      } else {
        if (!ca) f.lacks(p_ca);
        if (!alb) f.lacks(p_alb);
        if (!limit && limit_is_lab) f.lacks(p_ca_uln);
      }
      return f;
    };
    auto lt = [](double v, double l) { return v < l; };
    auto gt = [](double v, double l) { return v > l; };
    auto group = [](const json& groups, const ScoreResult& r) {
      std::string lo = group_for(groups, r.present_min);
      std::string hi = group_for(groups, r.present_max);
      return lo == hi ? ojson(lo) : ojson(nullptr);
    };

    const json& scores = content::at("scores");
    for (const RccScore& score : kRccScores) {
      const json& spec = scores[std::string(score.id)];
      auto limit = [&](const char* factor, const char* key) {
        return spec["factors"sv][factor][key].get<double>();
      };
      auto judge = [&](Judge j) -> Factor {
        switch (j) {
          case Judge::karnofsky_below:
            return cmp("karnofsky", kps, limit("karnofsky", "lt"), lt, p_kps);
          case Judge::karnofsky_within: {
            Factor f;
            f.code = "karnofsky";
            if (kps)
              f.present = *kps >= limit("karnofsky", "min") && *kps <= limit("karnofsky", "max");
            else
              f.lacks(p_kps);
            return f;
          }
          case Judge::diagnosis_within:
            return cmp("diagnosis_to_treatment", months_dx,
                       limit("diagnosis_to_treatment", "lt_months"), lt, p_months);
          case Judge::hemoglobin_below_lln:
            return cmp("hemoglobin", hb, hb_lln, lt, p_hb, p_hb_lln);
          case Judge::calcium_above_uln:
            return cca_factor(ca_uln, true);
          case Judge::calcium_above:
            return cca_factor(limit("corrected_calcium", "gt_mg_dl"), false);
          case Judge::neutrophils_above_uln:
            return cmp("neutrophils", anc, anc_uln, gt, p_anc, p_anc_uln);
          case Judge::platelets_above_uln:
            return cmp("platelets", plt, plt_uln, gt, p_plt, p_plt_uln);
          case Judge::ldh_above_uln_times: {
            std::optional<double> times_uln;
            if (ldh_uln) times_uln = *ldh_uln * limit("ldh", "gt_uln_times");
            return cmp("ldh", ldh, times_uln, gt, p_ldh, p_ldh_uln);
          }
          case Judge::sites_above:
            return cmp("metastatic_sites", sites, limit("metastatic_sites", "gt"), gt, p_sites);
        }
        return Factor{};
      };
      std::vector<Factor> factors;
      for (Judge j : score.factors) factors.push_back(judge(j));
      ScoreResult r = score_json(ctx, score.id, factors);
      if (spec.contains("groups"sv)) {
        r.json["risk_group"sv] = group(spec["groups"sv], r);
      } else {
        const int need = spec["poor_risk_min_factors"sv].get<int>();
        r.json["poor_risk"sv] = r.present_min >= need  ? ojson(true)
                                : r.present_max < need ? ojson(false)
                                                       : ojson(nullptr);
      }
      out[score.id] = std::move(r.json);
    }
  }

  // CTCAE grades that follow from a number (content "ctcae.lab_terms").
  ojson grades = ojson::array();
  const json& terms = content::at("ctcae.lab_terms");
  for (const auto& [term, spec] : terms.items()) {
    const std::string& field = spec["field"sv].get_ref<const std::string&>();
    auto v = req.num({"patient", "labs", field});
    if (!v) continue;
    BandResult r = first_band(spec["bands"sv], *v, req);
    const json& rule = ctx.rule("ctcae.lab_terms." + term);
    ojson g = ojson::object();
    g["term"sv] = term;
    g["grade"sv] =
        r.band ? ojson((*r.band)["grade"sv].get<int>()) : (r.unknown ? ojson(nullptr) : ojson(0));
    g["from"sv] = "/patient/labs/" + field;
    g["value"sv] = *v;
    g["version"sv] = spec["version"sv].get<std::string>();
    if (r.unknown) g["needs"sv] = "/patient/limits/" + spec["limit_field"sv].get<std::string>();
    g["adverse_event"sv] = spec.contains("adverse_event"sv)
                               ? ojson(spec["adverse_event"sv].get<std::string>())
                               : ojson(nullptr);
    g["refs"sv] = Ctx::refs_of(rule);
    grades.push_back(std::move(g));
  }
  if (!grades.empty()) out["ctcae"sv] = std::move(grades);
  return d;
}

}  // namespace mtorcalc
