// End to end: calibrating the mean-field reference scenario's recruitment rate to a band on its
// peak fighter count converges into the band, with common random numbers (a candidate's runs do
// not depend on the order or thread that ran them) and outputs independent of the thread count.
#include <catch2/catch.hpp>

#include <string>

#include "resurgence/calibrate/calibrate.hpp"
#include "resurgence/run/runner.hpp"
#include "resurgence/scenario/loader.hpp"
#include "resurgence/stats/summary.hpp"

using namespace resurgence;
using namespace resurgence::calibrate;

namespace {

// cells_meanfield over 180 days: peak fighters ~1,300 at the file's recruit_rate 1.5e-4 and
// ~2,000 at 3e-4 (recruitment grows with the fighters' networks).
std::string targets_text(int budget) {
    return std::string("scenario: ") + RESURGENCE_SCENARIOS + R"(/reference/cells_meanfield.yaml
overrides: [horizon_days=180]
replications: 4
budget: )" + std::to_string(budget) + R"(
parameters:
  - {name: cells.recruit_rate, min: 3.0e-5, max: 1.0e-3, scale: log}
targets:
  - {name: peak, statistic: peak_fighters, band: [1600, 1700], source: test band}
  - name: late
    statistic: fighters_active + fighters_sleeper
    aggregate: mean
    window: [150, 179]
    band: [1000, null]
    source: test band
)";
}

CalibrationReport calibrate_with(int threads, int budget = 30) {
    CalibrateOptions o;
    o.threads = threads;
    const auto c = Calibration::prepare(read_targets_text(targets_text(budget), "mf_targets.yaml"), o);
    return c.run();
}

}  // namespace

TEST_CASE("Calibrating cells_meanfield's recruit_rate lands peak_fighters in its band", "[calibrate][unit]") {
    const auto rep = calibrate_with(2);
    const Evaluation& b = rep.best_evaluation();
    INFO(trace_csv(rep));
    CHECK(b.inside_all);
    REQUIRE(b.targets.size() == 2);
    CHECK(b.targets[0].mean >= 1600);
    CHECK(b.targets[0].mean <= 1700);
    CHECK(b.targets[0].n == 4);
    CHECK(b.targets[0].ci_lo < b.targets[0].mean);
    CHECK(b.targets[0].ci_hi > b.targets[0].mean);
    const double rate = std::stod(b.values.at(0));
    CHECK(rate > 1.5e-4);  // more recruitment than the file's 1.5e-4 (peak ~1,300)
    CHECK(rate < 3e-4);    // less than 3e-4 (peak ~2,000)
    CHECK(static_cast<int>(rep.trace.size()) <= 30);
    CHECK(rep.runs <= static_cast<int>(rep.trace.size()));
    CHECK(fit_report_csv(rep).rfind("target,statistic,band_lo,band_hi,mean,ci95_lo,ci95_hi,inside", 0) == 0);
}

TEST_CASE("Common random numbers: the fitted mean is what `run` gives with the fitted value", "[calibrate][unit]") {
    const auto rep = calibrate_with(1, 12);
    const Evaluation& b = rep.best_evaluation();
    LoadOptions lo;
    lo.overrides = {"horizon_days=180", "cells.recruit_rate=" + b.values.at(0), "seed=" + std::to_string(rep.seed)};
    const ScenarioSpec s = load_scenario(std::string(RESURGENCE_SCENARIOS) + "/reference/cells_meanfield.yaml", lo);
    std::vector<double> peaks;
    for (int r = 0; r < rep.replications; ++r) peaks.push_back(run_replication(s, r).summary.at(0));
    CHECK(stats::mean(peaks) == b.targets.at(0).mean);
}

TEST_CASE("Calibration outputs do not depend on the thread count", "[calibrate][unit]") {
    const auto a = calibrate_with(1, 14);
    const auto b = calibrate_with(3, 14);
    CHECK(trace_csv(a) == trace_csv(b));
    CHECK(fit_report_csv(a) == fit_report_csv(b));
    CHECK(fitted_yaml(a) == fitted_yaml(b));
    CHECK(calibrate_json(a) == calibrate_json(b));
}
