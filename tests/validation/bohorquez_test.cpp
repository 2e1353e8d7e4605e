// Coalescence and fragmentation alone (Bohorquez et al. 2009, Nature 462:911): at steady state
// the tails of cell sizes and of attack severities follow power laws of exponent 2.5.
//
// Reference: scenarios/reference/cells_bohorquez.yaml (N = 100,000, nu = 0.05). The exponent is
// estimated by Clauset, Shalizi & Newman's (2009) discrete MLE with the KS-optimal xmin, and
// must lie within the ~95% interval alpha +- 1.96 (alpha - 1) / sqrt(n_tail) of 2.5: the
// tolerance is the estimator's own standard error, nothing added. With fixed seeds the
// outcome is reproducible; the 5% false-alarm rate of a 95% interval is frozen by the seed.
//
// Finite-size check: the mean-field law n_s ~ s^-5/2 x^s has its cut-off at
// s0 = -1 / ln(4 (1 - nu) / (2 - nu)^2) ~ 1,600 for nu = 0.05, so the test asserts (i) that
// the fitted xmin sits far below s0 (the exponential factor is within 1% of 1 up to s0 / 100
// and the tail fit rests on sizes < s0 / 10 for 95% of its points), and (ii) that the largest
// cell holds under 5% of all fighters (no giant cell, the finite-N regime where one cell
// takes a fixed share of everyone and the law above fails).
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "resurgence/model/simulation.hpp"
#include "resurgence/scenario/loader.hpp"
#include "resurgence/stats/powerlaw.hpp"

using namespace resurgence;

namespace {

constexpr int kBurnIn = 150;  // days; the size distribution settles within ~50 (see docs)

struct Outcome {
    std::vector<std::int64_t> sizes;       // every cell at the last day
    std::vector<std::int64_t> severities;  // attacks after the burn-in
    std::int64_t fighters = 0;
};

Outcome run(const std::vector<std::string>& overrides) {
    const ScenarioSpec spec = load_scenario(std::string(RESURGENCE_SCENARIOS) + "/reference/cells_bohorquez.yaml",
                                            LoadOptions{overrides});
    const ColumnLayout layout(spec.countries);
    Simulation sim(spec, layout, 0);
    for (int d = 0; d < spec.horizon_days; ++d) sim.step();
    Outcome out;
    const auto& cells = sim.state().cells;
    for (const CellId c : cells.in_region(0)) out.sizes.push_back(cells.size(c));
    out.fighters = sim.state().fighters.at_large(0);
    const ReplicationResult res = sim.run();  // already at the horizon: just the outputs
    std::istringstream in(res.events);
    std::string line;
    while (std::getline(in, line)) {
        // replication,day,date,region,type,severity,count,detail
        std::vector<std::string> col;
        std::stringstream ss(line);
        for (std::string x; std::getline(ss, x, ',');) col.push_back(x);
        if (col.size() >= 6 && col[4].rfind("attack_", 0) == 0 && std::stoi(col[1]) >= kBurnIn)
            out.severities.push_back(std::stoll(col[5]));
    }
    return out;
}

double cutoff(double nu) { return -1.0 / std::log(4.0 * (1.0 - nu) / ((2.0 - nu) * (2.0 - nu))); }

}  // namespace

TEST_CASE("cell sizes and attack severities have Bohorquez's 2.5 tail", "[validation][bohorquez]") {
    const Outcome o = run({});
    REQUIRE(o.fighters == 100000);
    const double s0 = cutoff(0.05);

    const auto sizes = stats::fit_discrete(o.sizes);
    INFO("cell sizes: alpha " << sizes.alpha << " +- " << sizes.sigma << ", xmin " << sizes.xmin << ", n_tail "
                              << sizes.n_tail << " of " << sizes.n << ", KS " << sizes.ks);
    CHECK(sizes.consistent_with(2.5));
    CHECK(sizes.n_tail >= 500);  // enough tail for sigma < 0.07
    // Finite-size checks (see the header comment).
    CHECK(static_cast<double>(sizes.xmin) < s0 / 20);
    std::int64_t largest = 0;
    for (const auto s : o.sizes) largest = std::max(largest, s);
    CHECK(largest < o.fighters / 20);

    const auto sev = stats::fit_discrete(o.severities);
    INFO("severities: alpha " << sev.alpha << " +- " << sev.sigma << ", xmin " << sev.xmin << ", n_tail "
                              << sev.n_tail << " of " << sev.n << ", KS " << sev.ks);
    CHECK(sev.consistent_with(2.5));
    CHECK(sev.n_tail >= 500);
}

TEST_CASE("a size exponent beta on the attack rate gives a severity tail of 2.5 - beta", "[validation][bohorquez]") {
    // beta = 0.5: attacking cells are picked with weight size^0.5 n_s ~ s^-2, so severities
    // (proportional to size) have exponent 2.0. Same tolerance rule as above.
    const Outcome o = run({"cells.attack_size_exponent=0.5", "attacks.rate=0.0005"});
    const auto sev = stats::fit_discrete(o.severities);
    INFO("severities: alpha " << sev.alpha << " +- " << sev.sigma << ", xmin " << sev.xmin << ", n_tail " << sev.n_tail);
    CHECK(sev.consistent_with(2.0));
    CHECK(sev.n_tail >= 500);
}
