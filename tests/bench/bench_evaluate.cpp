// Native evaluations per second (Google Benchmark), on the same requests the
// wasm benchmark uses (scripts/bench writes them, one per line, to the file
// named by MTORCALC_BENCH_REQUESTS; without it a small built-in set is used).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "mtorcalc/engine.hpp"

namespace {

const std::vector<std::string>& requests() {
  static const std::vector<std::string> r = [] {
    std::vector<std::string> out;
    if (const char* path = std::getenv("MTORCALC_BENCH_REQUESTS")) {
      std::ifstream in(path);
      for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    }
    if (out.empty()) {
      out.push_back(
          R"({"contract":"mtor-calc/1","indication":"rcc","drug":"everolimus","patient":{"age_years":58,"weight_kg":80,"height_cm":178,"hepatic":{"child_pugh_class":"B"}},"condition":{"rcc":{"advanced":true,"prior_therapies":["sunitinib"]}},"comedications":["fluconazole"]})");
      out.push_back(
          R"({"contract":"mtor-calc/1","indication":"tsc_sega","patient":{"age_years":12,"weight_kg":40,"height_cm":150,"tsc_definite":true},"condition":{"sega":{"needs_intervention":true,"curatively_resectable":false}},"therapy":{"current_dose_mg":5,"frequency":"once_daily","form":"tablet","trough_ng_ml":20,"days_on_current_dose":14}})");
      out.push_back(R"({"contract": "mtor-calc/1", "indication": )");
    }
    return out;
  }();
  return r;
}

// One evaluation per iteration, cycling through every request.
void BM_evaluate(benchmark::State& state) {
  const auto& reqs = requests();
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    std::string r = mtorcalc::evaluate(reqs[i]);
    bytes += r.size();
    benchmark::DoNotOptimize(r);
    if (++i == reqs.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["requests"] = static_cast<double>(reqs.size());
  state.counters["avg_response_bytes"] =
      static_cast<double>(bytes) / static_cast<double>(state.iterations());
}
// Five repetitions of 1 s: scripts/bench reports their median (and range),
// which a burst of load from another process on a shared machine moves
// less than it moves one 2 s run (the page's times are medians of 5 too).
BENCHMARK(BM_evaluate)->MinTime(1.0)->Repetitions(5)->DisplayAggregatesOnly(true);

// The slowest request of the set, to see the worst case.
void BM_evaluate_slowest(benchmark::State& state) {
  const auto& reqs = requests();
  static const std::string* slowest = [&] {
    const std::string* worst = &reqs.front();
    double worst_t = -1;
    for (const auto& r : reqs) {
      auto t0 = std::chrono::steady_clock::now();
      for (int k = 0; k < 20; ++k) benchmark::DoNotOptimize(mtorcalc::evaluate(r));
      double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (t > worst_t) worst_t = t, worst = &r;
    }
    return worst;
  }();
  for (auto _ : state) benchmark::DoNotOptimize(mtorcalc::evaluate(*slowest));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_evaluate_slowest)->MinTime(1.0);

}  // namespace

BENCHMARK_MAIN();
