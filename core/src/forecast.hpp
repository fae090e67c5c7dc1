// The trough forecast: a Bayesian (maximum a posteriori) estimate of one
// patient's pharmacokinetics from a published population-PK model and the
// troughs measured so far, beside the label's proportional rule.
//
// Models are content (content/pk_model_<id>.json); load_model() turns one
// into a PkModel and says where a file is wrong. forecast() is a pure
// function of its input: analytic one- or two-compartment superposition over
// the dosing history, and the exact posterior of at most two random effects
// on a grid (no Laplace approximation). No I/O; nothing throws across this
// interface; every failure is a value.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json.hpp"

namespace mtorcalc::forecast {

// ---- the model -------------------------------------------------------------

/// Structural parameters, indexes into PkModel::typical.
enum class Param { cl_l_h = 0, v_l = 1, q_l_h = 2, vp_l = 3, ka_per_h = 4 };
inline constexpr std::size_t param_count = 5;

/// How a covariate moves a parameter's typical value TV:
///   power:            TV x (x / reference)^coefficient
///   additive_linear:  TV + coefficient x (x / reference)  (applied before the factors)
///   linear_factor:    TV x (1 + coefficient x x / reference)
///   indicator_factor: TV x coefficient when x > threshold
enum class EffectForm { power, additive_linear, linear_factor, indicator_factor };

struct CovariateEffect {
  Param parameter = Param::cl_l_h;
  std::string covariate;  // "bsa_m2", "weight_kg", ...
  EffectForm form = EffectForm::power;
  double coefficient = 0;
  double reference = 1;
  double threshold = 0;
};

/// Exponential between-subject variability: P_i = TV x exp(eta), eta ~ N(0, omega_sd^2).
struct RandomEffect {
  Param parameter = Param::cl_l_h;
  double omega_sd = 0;
};

/// Residual error on the scale the paper used. SD of an observation y given
/// the prediction f: proportional b f; additive a; combined sqrt(a^2 + b^2 f^2);
/// exponential: log y ~ N(log f, b^2).
enum class ErrorModel { proportional, additive, combined, exponential };

struct StudiedRange {
  std::string covariate;
  double low = 0;
  double high = 0;
};

struct PkModel {
  std::string id;
  std::string drug;
  std::string title;
  std::string population;               // one sentence naming the studied patients
  std::string condition_text;           // their disease
  std::vector<std::string> conditions;  // indication ids of the studied disease
  std::string citation;
  std::string doi;
  std::string verification;         // a manifest status ("unconfirmed", ...)
  std::string verification_detail;  // what was read, and where
  std::vector<std::string> refs;    // the ids of the model's reference entries
  std::string assay;                // the paper's assay (immunoassays read higher than LC-MS/MS)
  int compartments = 1;
  std::array<double, param_count> typical{};
  std::vector<CovariateEffect> effects;
  std::vector<RandomEffect> random_effects;  // one or two
  ErrorModel error_model = ErrorModel::proportional;
  double proportional = 0;  // fraction (or log-scale SD for exponential)
  double additive_ng_ml = 0;
  std::vector<std::string> required_covariates;
  std::vector<StudiedRange> ranges;  // in_population: every one holds
};

/// Where a model file is wrong: a dotted path into the file and why.
struct LoadError {
  std::string path;
  std::string message;
};

struct ModelLoad {
  std::optional<PkModel> model;  // set when the file is valid
  LoadError error;               // set otherwise
};

/// Reads one model file's object (content/pk_model_<id>.json).
[[nodiscard]] ModelLoad load_model(const json& file);

/// The dosing interval of a contract frequency (`once_daily` -> 24 h);
/// nullopt for a frequency the forecast does not model.
[[nodiscard]] std::optional<double> interval_hours(std::string_view frequency);

// ---- the input ---------------------------------------------------------------

struct Covariate {
  std::string id;  // as in the model's covariates ("bsa_m2", "age_years", "oxcarbazepine" 0/1)
  double value = 0;
};

/// One measured trough and the regimen taken up to it, as the contract's
/// therapy.trough_history gives it (oldest first). The dose in a record was
/// taken from the previous record's trough (or from day 0 for the first) until
/// this trough: the dose due on a trough's day is taken after the sample.
struct TroughRecord {
  double days_since_start = 0;
  double trough_ng_ml = 0;
  double dose_mg = 0;
  double interval_h = 24;
};

/// A regimen the form can make, to forecast at steady state.
struct CandidateDose {
  double dose_mg = 0;
  double interval_h = 24;
};

/// Whether an interacting drug (CYP3A4/P-gp) was started or stopped after
/// the troughs were measured: the troughs then no longer describe the patient.
enum class InteractionChange { none, after_troughs };

struct ForecastInput {
  PkModel model;
  std::vector<Covariate> covariates;
  std::vector<TroughRecord> history;
  std::vector<CandidateDose> candidates;
  std::string condition;  // the request's indication id ("lam", "tsc_sega", ...)
  InteractionChange interaction = InteractionChange::none;
  double target_low_ng_ml = 5;
  double target_high_ng_ml = 15;
};

// ---- the result --------------------------------------------------------------

struct Interval {
  double low = 0;
  double high = 0;
};

/// The patient's own (noise-free) steady-state trough on a regimen: the
/// posterior median and the central 90% credible interval. A measured trough
/// scatters further by the model's residual error.
struct TroughForecast {
  double median_ng_ml = 0;
  Interval interval_90;
};

struct DoseForecast {
  double dose_mg = 0;
  double interval_h = 24;
  double median_trough_ng_ml = 0;
  Interval interval_90;
  double p_in_range = 0;  // posterior probability of a steady-state trough in the target range
};

struct Individual {
  double cl_l_h = 0;  // MAP apparent clearance
  double v_l = 0;     // MAP apparent (central) volume
  /// How far the data moved the estimate away from the population: 1 minus
  /// the ratio of the posterior to the prior SD of log CL (0: the troughs
  /// say nothing, the population value stands; towards 1: the troughs decide).
  double shrinkage_weight = 0;
};

enum class CaveatCode {
  outside_population,      // a covariate outside the studied range (no dose offered)
  condition_extrapolated,  // the model was not built in this disease
  not_at_steady_state,     // a trough drawn < 5 half-lives after a dose change
  interaction_changed,     // an interacting drug started or stopped after the troughs
  assay,                   // the model's assay; another assay reads differently
  unconfirmed_model,       // the parameters were read second-hand
};

struct Caveat {
  CaveatCode code = CaveatCode::outside_population;
  std::string text;
};

enum class Status { ok, out_of_population, invalid_input };

struct ForecastResult {
  Status status = Status::invalid_input;
  std::string error_path;  // invalid_input: where ("history[1].trough_ng_ml")
  std::string error_message;
  bool in_population = false;
  std::optional<Individual> individual;            // ok only
  std::optional<TroughForecast> predicted_trough;  // current regimen, ok only
  std::vector<DoseForecast> doses;                 // empty unless ok
  std::vector<Caveat> caveats;
  std::vector<double> eta_map;  // MAP random effects, in the model's order
  double typical_cl_l_h = 0;    // the population values for this patient
  double typical_v_l = 0;
  double terminal_half_life_h = 0;  // typical patient
};

[[nodiscard]] ForecastResult forecast(const ForecastInput& input);

/// Whether every studied range of the model holds for these covariates (a
/// value not given counts as outside: it cannot be checked).
[[nodiscard]] bool covers(const PkModel& model, const std::vector<Covariate>& covariates);

/// The model to use for a drug: one whose studied ranges cover the patient,
/// built in the request's condition if one is; else one covering the patient;
/// else the drug's first model (whose forecast then says out of population);
/// nullptr when the drug has none.
[[nodiscard]] const PkModel* choose_model(const std::vector<PkModel>& models, std::string_view drug,
                                          const std::vector<Covariate>& covariates,
                                          std::string_view condition);

// ---- building blocks, exposed for the tests and the validation -------------

/// The individual parameters: typical values with covariate effects, times
/// exp(eta) for the random effects. nullopt when a required covariate is
/// missing or a parameter comes out non-positive.
[[nodiscard]] std::optional<std::array<double, param_count>> individual_parameters(
    const PkModel& model, const std::vector<Covariate>& covariates, const std::vector<double>& eta);

/// Whole-blood concentration (ng/mL) at `time_h` after the history's day 0,
/// superposing every dose taken before `time_h` (a dose at `time_h` itself is
/// taken after the sample).
[[nodiscard]] double concentration_ng_ml(const PkModel& model,
                                         const std::array<double, param_count>& params,
                                         const std::vector<TroughRecord>& history, double time_h);

/// The steady-state trough (ng/mL) of `dose_mg` every `interval_h`.
[[nodiscard]] double steady_state_trough_ng_ml(const PkModel& model,
                                               const std::array<double, param_count>& params,
                                               double dose_mg, double interval_h);

}  // namespace mtorcalc::forecast
