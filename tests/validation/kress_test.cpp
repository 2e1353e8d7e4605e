// Kress & Szechtman (2009)'s qualitative results, in paired runs with common random numbers
// (scenarios/reference/cells_kress.yaml; the same seed in both runs of a pair):
//  - more intelligence with the same troops means fewer attacks;
//  - indiscriminate force alone (no intelligence, so no targeted raids) grows the supporter
//    pool.
// The test is a paired one: the mean of the per-replication differences must exceed 3 of its
// standard errors (one-sided, p < 0.01 with 7 degrees of freedom: t = 3.0).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "resurgence/output/recorder.hpp"
#include "resurgence/run/runner.hpp"
#include "resurgence/scenario/loader.hpp"

using namespace resurgence;

namespace {

std::size_t outcome(std::string_view name) {
    const auto outs = summary_outcomes();
    for (std::size_t i = 0; i < outs.size(); ++i)
        if (outs[i].name == name) return i;
    FAIL("no summary outcome " << name);
    return 0;
}

// Per-replication values of a summary outcome.
std::vector<double> run(const std::vector<std::string>& overrides, std::string_view name) {
    const ScenarioSpec spec = load_scenario(std::string(RESURGENCE_SCENARIOS) + "/reference/cells_kress.yaml",
                                            LoadOptions{overrides});
    std::vector<double> v;
    for (int rep = 0; rep < spec.replications; ++rep) v.push_back(run_replication(spec, rep).summary[outcome(name)]);
    return v;
}

// t statistic of the mean of a - b.
double paired_t(const std::vector<double>& a, const std::vector<double>& b) {
    const auto n = static_cast<double>(a.size());
    double m = 0, m2 = 0;
    for (std::size_t i = 0; i < a.size(); ++i) m += (a[i] - b[i]) / n;
    for (std::size_t i = 0; i < a.size(); ++i) m2 += (a[i] - b[i] - m) * (a[i] - b[i] - m);
    const double se = std::sqrt(m2 / (n - 1) / n);
    return se > 0 ? m / se : (m > 0 ? INFINITY : -INFINITY);
}

}  // namespace

TEST_CASE("more intelligence with the same troops means fewer attacks", "[validation][kress]") {
    const auto low = run({"forces[0].intelligence=0.2"}, "attacks_total");
    const auto high = run({"forces[0].intelligence=0.8"}, "attacks_total");
    double l = 0, h = 0;
    for (std::size_t i = 0; i < low.size(); ++i) l += low[i], h += high[i];
    INFO("attacks a year: intelligence 0.2 -> " << l / static_cast<double>(low.size()) << ", 0.8 -> " << h / static_cast<double>(high.size()));
    CHECK(paired_t(low, high) > 3.0);
}

TEST_CASE("indiscriminate force alone grows the supporter pool", "[validation][kress]") {
    const std::vector<std::string> blind = {"forces[0].intelligence=0", "security.informant_weight=0"};
    auto with = blind, without = blind;
    with.push_back("security.indiscriminate_rate=0.05");
    without.push_back("security.indiscriminate_rate=0");
    const auto a = run(with, "mean_supporters"), b = run(without, "mean_supporters");
    double sa = 0, sb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) sa += a[i], sb += b[i];
    INFO("mean supporters: with indiscriminate arrests " << sa / static_cast<double>(a.size()) << ", without " << sb / static_cast<double>(b.size()));
    CHECK(paired_t(a, b) > 3.0);
    // No intelligence, no targeted raids: force alone does not thin the fighters either.
    const auto fa = run(with, "peak_fighters"), fb = run(without, "peak_fighters");
    CHECK(paired_t(fb, fa) < 3.0);
}
