// Validation of the detention and border mechanisms against their mean-field limits
// (docs/model-detention.md):
//  1. Escapes. With alpha = 1, no overcrowding and no shelling, a site's daily hazard is
//     h(N) = h0 N / (G x_ref), and each detainee escapes with probability 1 - exp(-h(N)), so
//     E[N_{t+1} | N_t] = N_t exp(-h(N_t)). The mean over replications of the detainees left
//     after T days must follow the map m_{t+1} = m_t exp(-c m_t), c = h0 / (G x_ref).
//  2. Detection. The share of fighters detected at a crossing must match
//     Border::detection_probability for the day's guards (a binomial proportion).
// Tolerances: 4 standard errors of the mean (from the replications' spread, or the binomial
// variance), plus, for the escapes, a bound on the map's Jensen gap: with f(N) = N exp(-c N),
// E f(N_t) - f(m_t) ~ f''(m_t) Var(N_t) / 2, f''(N) = c (c N - 2) exp(-c N), and Var(N_t) at
// most the expected escapes so far, 2000 - m_t (a sum of thinnings: variance <= mean). Summed
// over the days it comes to well under one person, against 4 se of about 20.
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "resurgence/model/simulation.hpp"
#include "resurgence/scenario/loader.hpp"

using namespace resurgence;

namespace {

// One region, one site: escapees stay in the region (they cannot be recaptured: no raids).
const std::string kSite = R"(name: escape_meanfield
start_date: 2019-10-01
horizon_days: 200
seed: 4242
regions:
  - {id: r, country: syria, population: 100000}
forces:
  - {faction: sdf, strength: {r: 1000}, allocation: {patrol: 0.9, guard: 0.1}}
detention_sites:
  - {id: camp, region: r, kind: camp, capacity: 4000, detainees: {syrian: 2000}, guards: {sdf: 100}}
parameters:
  detention: {escape_rate: 0.002, raid_rate: 0}
  security: {raid_rate: 0}
)";

}  // namespace

TEST_CASE("escapes follow the mean-field map of the escape hazard", "[validation][detention]") {
    const ScenarioSpec spec = load_scenario_text(kSite, "escape.yaml");
    const ColumnLayout layout(spec.countries);
    const ParamSet& p = spec.params;
    const double c = p[P::det_escape_rate] / (100.0 * p[P::det_guard_ratio_ref]);
    constexpr int kReplications = 12;
    constexpr int kDays = 200;
    std::vector<double> left;
    for (int rep = 0; rep < kReplications; ++rep) {
        Simulation sim(spec, layout, rep);
        for (int d = 0; d < kDays; ++d) sim.step();
        left.push_back(static_cast<double>(sim.state().detention.fighters(0)));
    }
    double m = 2000, jensen = 0;
    for (int d = 0; d < kDays; ++d) {
        jensen += 0.5 * c * std::fabs(c * m - 2.0) * std::exp(-c * m) * (2000.0 - m);
        m *= std::exp(-c * m);
    }
    const double mean = std::accumulate(left.begin(), left.end(), 0.0) / kReplications;
    double var = 0;
    for (const double x : left) var += (x - mean) * (x - mean);
    const double se = std::sqrt(var / (kReplications - 1) / kReplications);
    INFO("mean-field " << m << ", simulated mean " << mean << " (se " << se << ", Jensen bound "
                        << jensen << ")");
    CHECK(m < 1400);  // the test means something: a third or more escape
    CHECK(jensen < 1.0);
    CHECK(std::fabs(mean - m) < 4 * se + jensen);
}

TEST_CASE("the detected share at a crossing matches the detection probability",
          "[validation][border]") {
    const std::string yaml = R"(name: detection
start_date: 2019-10-01
horizon_days: 10
seed: 99
regions:
  - {id: hasakah, country: syria, population: 100000, terrain: rural}
  - {id: nineveh, country: iraq, population: 100000, terrain: desert}
edges:
  - {from: hasakah, to: nineveh, travel_days: 1}
forces:
  - {faction: iraqi_army, strength: {nineveh: 4000}, allocation: {patrol: 0.5, border: 0.5}}
crossings:
  - {id: desert, from: hasakah, to: nineveh, kind: open_desert, frontier_km: 200, base_detection: 0.05, guard_force: iraqi_army}
parameters:
  border: {kill_share: 0, bribe: 0}
  security: {raid_rate: 0}
)";
    const ScenarioSpec spec = load_scenario_text(yaml, "detection.yaml");
    const ColumnLayout layout(spec.countries);
    Simulation sim(spec, layout, 0);
    auto& st = sim.state();
    sim.step();
    constexpr int kCrossers = 20000;
    for (int k = 0; k < kCrossers; ++k) {
        NewFighter nf;
        nf.origin = Origin::iraqi;
        nf.status = FighterStatus::disengaged;
        nf.region = 0;
        const FighterId f = st.fighters.add(nf);
        st.movement.send(st, f, 1, 0.0f);
    }
    sim.step();  // day 1: the guards are the same today as when they were sent
    const double q = st.border.detection(st, 0, false, false);
    const double expected = Border::detection_probability(
        spec.params, CrossingKind::open_desert, 0.05, 2000.0 / 200.0, 0.9, 0, false, false);
    CHECK(q == Approx(expected));
    sim.step();  // day 2: they cross
    const double attempted = st.rec.get(Ind::crossings_attempted);
    const double detected = st.rec.get(Ind::crossings_detected);
    REQUIRE(attempted == kCrossers);
    const double share = detected / attempted;
    const double se = std::sqrt(q * (1 - q) / attempted);
    INFO("detected " << share << ", probability " << q << " (se " << se << ")");
    CHECK(std::fabs(share - q) < 4 * se);
}
