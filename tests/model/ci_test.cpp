// Counter-insurgency (model/counter_insurgency.hpp): intelligence, raids, indiscriminate
// arrests, air strikes, casualties and replenishment.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "resurgence/model/simulation.hpp"
#include "resurgence/scenario/loader.hpp"

using namespace resurgence;

namespace {

const char* kBase = R"(
name: ci_unit
start_date: 2019-02-01
horizon_days: 100
seed: 13
regions:
  - {id: a, country: iraq, population: 100000, terrain: urban}
  - {id: b, country: syria, population: 100000, terrain: desert}
forces:
  - {faction: army, strength: {a: 2000, b: 1000}, allocation: {patrol: 0.5, reserve: 0.5}, intelligence: 0.4}
  - {faction: us_coalition, strength: {a: 50}, allocation: {patrol: 1}, intelligence: 1, isr: 2, air_strikes_per_day: 2}
fighters:
  - {region: a, count: 2000, mean_cell_size: 5, active_share: 0.5}
  - {region: b, count: 500, mean_cell_size: 5, active_share: 0.5}
civilians: {mode: mixed, scale: 20}
parameters:
  attacks: {rate: 0}
)";

struct World {
    ScenarioSpec spec;
    ColumnLayout layout;
    Simulation sim;
    explicit World(std::vector<std::string> overrides = {})
        : spec(load_scenario_text(kBase, "ci_unit.yaml", LoadOptions{std::move(overrides)})),
          layout(spec.countries),
          sim(spec, layout, 0) {}
    SimState& s() { return sim.state(); }
};

}  // namespace

TEST_CASE("intelligence, ISR and patrol density", "[ci]") {
    World w;
    auto& s = w.s();
    w.sim.step();
    const ParamSet& p = s.spec.params;
    // ISR: 2 x min(1, 50 / isr_ref 100) = 1 in a, 0 in b.
    CHECK(CounterInsurgency::isr(s, 0) == Approx(1.0));
    CHECK(CounterInsurgency::isr(s, 1) == 0.0);
    const double informants = static_cast<double>(s.civilians.count(0, CivState::informant)) * 20 / 100000;
    const double w_i = p[P::security_informant_weight];
    const double expected = ((1 - w_i) * s.regions.intelligence[0] + w_i * std::min(1.0, informants / p[P::security_informant_ref])) * 2.0;
    CHECK(CounterInsurgency::intelligence(s, 0) == Approx(expected));
    // d = 1000 x patrol / pop x (1 - difficulty) / pressure_ref; patrol = 1000 + 50 in a.
    CHECK(CounterInsurgency::patrol_density(s, 0) == Approx(1000.0 * 1050 / 100000 * 0.8 / 20));
    CHECK(CounterInsurgency::patrol_density(s, 1) == Approx(1000.0 * 500 / 100000 * 0.1 / 20));
}

TEST_CASE("raids take fighters into detention or kill them, sleepers less often", "[ci]") {
    World w({"security.raid_rate=0.05", "security.sleeper_detection=0.2", "cells.cf_rate=0", "cells.wake_rate=0",
             "cells.sleep_rate=0", "cells.sleep_pressure=0", "cells.disengage_rate=0", "forces[1].air_strikes_per_day=0",
             "security.indiscriminate_rate=0"});
    auto& s = w.s();
    std::vector<FighterId> active, sleeper;
    for (const auto f : s.fighters.roster(0, FighterStatus::active)) active.push_back(f);
    for (const auto f : s.fighters.roster(0, FighterStatus::sleeper)) sleeper.push_back(f);
    for (int d = 0; d < 20; ++d) w.sim.step();
    const auto taken = [&](const std::vector<FighterId>& ids, FighterStatus st) {
        double n = 0;
        for (const auto f : ids) n += s.fighters.status(f) == st;
        return n;
    };
    const double ad = taken(active, FighterStatus::detained), ak = taken(active, FighterStatus::dead);
    const double sd = taken(sleeper, FighterStatus::detained), sk = taken(sleeper, FighterStatus::dead);
    const double fa = (ad + ak) / static_cast<double>(active.size()), fs = (sd + sk) / static_cast<double>(sleeper.size());
    INFO("active taken " << fa << ", sleepers taken " << fs);
    REQUIRE(fa > 0.05);
    // Hazard ratio 0.2: -ln(1 - fs) / -ln(1 - fa) ~ 0.2; the counts are binomial (hundreds), so
    // the ratio's relative error is ~15%: allow 0.1 to 0.35.
    const double ratio = std::log1p(-fs) / std::log1p(-fa);
    CHECK(ratio > 0.1);
    CHECK(ratio < 0.35);
    // Kill share 0.3 of the ~200+ taken: sd ~ 0.03.
    CHECK(std::fabs((ak + sk) / (ad + ak + sd + sk) - 0.3) < 0.12);
    for (const auto f : active)
        if (s.fighters.status(f) == FighterStatus::detained) CHECK(s.fighters.cell(f) == kNoCell);
}

TEST_CASE("indiscriminate arrests grow as intelligence falls and cost legitimacy", "[ci]") {
    const std::vector<std::string> base = {"forces[1].air_strikes_per_day=0", "forces[1].strength.a=0",
                                           "security.informant_weight=0", "legitimacy.relaxation=0"};
    auto blind = base, sighted = base;
    blind.push_back("forces[0].intelligence=0");
    sighted.push_back("forces[0].intelligence=1");
    World b(blind), k(sighted);
    std::int64_t arrests_blind = 0, arrests_sighted = 0;
    for (int d = 0; d < 30; ++d) {
        b.sim.step();
        k.sim.step();
        arrests_blind += b.s().security.false_arrests();
        arrests_sighted += k.s().security.false_arrests();
    }
    CHECK(arrests_sighted == 0);  // I = 1: every operation is intelligence-led
    // Blind: Poisson(0.01 x d x 100 per day) in each region.
    const double d0 = CounterInsurgency::patrol_density(b.s(), 0), d1 = CounterInsurgency::patrol_density(b.s(), 1);
    const double mean = 30 * 0.01 * (d0 + d1) * 100;
    CHECK(std::fabs(static_cast<double>(arrests_blind) - mean) < 4 * std::sqrt(mean) + 1);
    CHECK(b.s().regions.legitimacy[0] < k.s().regions.legitimacy[0]);
}

TEST_CASE("air strikes kill fighters where the faction is, with collateral deaths", "[ci]") {
    World w({"security.collateral_prob=1", "forces[1].air_strikes_per_day=5", "legitimacy.relaxation=0",
             "security.indiscriminate_rate=0", "security.raid_rate=0"});
    auto& s = w.s();
    const double L = s.regions.legitimacy[0];
    std::int64_t strikes = 0;
    double collateral = 0;
    for (int d = 0; d < 10; ++d) {
        w.sim.step();
        strikes += s.security.strikes();
        collateral += s.rec.get(Ind::collateral_deaths);
    }
    CHECK(strikes > 20);
    CHECK(collateral > 0);
    // Each death lowers legitimacy by 1 / (pop / 1000) = 0.01 (capped at 0).
    CHECK(s.regions.legitimacy[0] == Approx(std::max(0.0, L - 0.01 * collateral)).margin(1e-9));
    CHECK(s.regions.legitimacy[1] == Approx(s.spec.regions[1].legitimacy));  // no coalition in b
    CHECK(s.fighters.count(1, FighterStatus::dead) == 0);
    CHECK(s.fighters.count(0, FighterStatus::dead) > 0);
    const auto res = w.sim.run();
    CHECK(res.events.find("air_strike") != std::string::npos);
    CHECK(res.events.find("b,air_strike") == std::string::npos);
}

TEST_CASE("casualties come off the patrols and are replenished", "[ci]") {
    World w({"forces[0].replenish_per_day=0.1"});
    auto& s = w.s();
    const double a0 = s.forces.strength[0][0], c0 = s.forces.strength[1][0];
    s.security.casualties(s, 0, 105);
    // Patrols: army 1000, coalition 50 -> losses 100 and 5.
    CHECK(s.forces.strength[0][0] == Approx(a0 - 100));
    CHECK(s.forces.strength[1][0] == Approx(c0 - 5));
    CHECK(s.security.deficit(0, 0) == Approx(100));
    w.sim.step();
    CHECK(s.security.deficit(0, 0) == Approx(90));
    CHECK(s.security.deficit(1, 0) == Approx(5));  // no replenishment for the coalition
}
