// Cells: the initial partition, membership operations, the size-proportional sampler,
// coalescence-fragmentation, sleeper/active switching, recruitment, decapitation and the
// fighters section of the scenario schema (model/cells.hpp).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <string>

#include "resurgence/core/error.hpp"
#include "resurgence/model/simulation.hpp"
#include "resurgence/scenario/events.hpp"
#include "resurgence/scenario/loader.hpp"

using namespace resurgence;

namespace {

const char* kBase = R"(
name: cells_unit
start_date: 2019-02-01
horizon_days: 200
seed: 5
regions:
  - {id: a, country: iraq, population: 100000, terrain: urban}
  - {id: b, country: syria, population: 100000, terrain: rural}
forces:
  - faction: police
    strength: {a: 1000}
fighters:
  - {region: a, count: 3000, mean_cell_size: 5, active_share: 0.4, leader_share: 0.1, experience: 0.3, funds: 1000}
  - {region: b, count: 400, mean_cell_size: 2, active_share: 1, origin: {syrian: 1}}
)";

struct World {
    ScenarioSpec spec;
    ColumnLayout layout;
    Simulation sim;
    explicit World(const std::string& text, std::vector<std::string> overrides = {})
        : spec(load_scenario_text(text, "cells_unit.yaml", LoadOptions{std::move(overrides)})),
          layout(spec.countries),
          sim(spec, layout, 0) {}
    SimState& s() { return sim.state(); }
};

}  // namespace

TEST_CASE("initial fighters are partitioned into geometric cells", "[cells]") {
    World w(kBase);
    auto& s = w.s();
    CHECK(s.fighters.size() == 3400);
    CHECK(s.fighters.at_large(0) == 3000);
    CHECK(s.fighters.at_large(1) == 400);
    // Geometric sizes with mean 5: about 600 cells; the count of cells covering 3000 fighters
    // has sd ~ sqrt(600 * var / mean^2) ~ 22 (renewal theory), so +-100 is > 4 sigma.
    CHECK(std::abs(s.cells.count(0) - 600) < 100);
    // Active share 0.4 by cell: sd of the active fighter count ~ sqrt(600 * 0.24) * 5 * 1.4 ~ 85.
    CHECK(std::abs(s.fighters.count(0, FighterStatus::active) - 1200) < 400);
    CHECK(s.fighters.count(1, FighterStatus::sleeper) == 0);
    for (const CellId c : s.cells.in_region(1))
        for (FighterId f = s.cells.first(c); f != kNoFighter; f = Cells::next(s.fighters, f))
            CHECK(s.fighters.origin(f) == Origin::syrian);
    // Leaders 10% of 3000 (sd 16); funds half pooled, half carried (cells.carry_share 0.5).
    std::int64_t leaders = 0;
    double pooled = 0;
    for (const CellId c : s.cells.in_region(0)) {
        leaders += s.cells.leaders(c);
        pooled += s.cells.funds(c);
    }
    CHECK(std::abs(leaders - 300) < 80);
    CHECK(pooled == Approx(1.5e6));
    CHECK(s.cells.caches(0) == Approx(3000 * s.spec.params[P::cells_cache_per_fighter]));
    s.cells.check_invariants(s.fighters);
}

TEST_CASE("merge, fragment, leave, join and found keep cells and fighters consistent", "[cells]") {
    World w(kBase);
    auto& s = w.s();
    auto& cells = s.cells;
    auto& fs = s.fighters;
    const CellId a = cells.in_region(0)[0], b = cells.in_region(0)[1];
    const int sa = cells.size(a), sb = cells.size(b);
    const double funds = cells.funds(a) + cells.funds(b);
    const CellId m = cells.merge(fs, a, b);
    CHECK(cells.size(m) == sa + sb);
    CHECK(cells.funds(m) == Approx(funds));
    cells.check_invariants(fs);

    const auto before = cells.count(0);
    const int sm = cells.size(m);
    cells.fragment(fs, m);
    CHECK(cells.size(m) == 1);
    CHECK(cells.count(0) == before + sm - 1);
    cells.check_invariants(fs);

    const FighterId f = cells.first(m);
    cells.leave(fs, f, FighterStatus::in_transit);  // the last member: the cell dies
    CHECK_FALSE(cells.alive(m));
    CHECK(fs.status(f) == FighterStatus::in_transit);
    CHECK(fs.cell(f) == kNoCell);
    fs.set_region(f, 1);
    const CellId target = cells.in_region(1)[0];
    cells.join(fs, f, target);
    CHECK(fs.region(f) == 1);
    CHECK(fs.status(f) == FighterStatus::active);  // region b's cells are all active
    cells.leave(fs, f, FighterStatus::disengaged);
    const CellId solo = cells.found(fs, f, CellMode::sleeper);
    CHECK(cells.size(solo) == 1);
    CHECK(fs.status(f) == FighterStatus::sleeper);
    CHECK_THROWS_AS(cells.found(fs, f, CellMode::active), InvariantViolation);
    CHECK_THROWS_AS(cells.leave(fs, f, FighterStatus::active), InvariantViolation);
    cells.check_invariants(fs);
    // Spending stops at zero (the B04 hook).
    cells.add_funds(solo, 100);
    CHECK(cells.spend(solo, 250) == Approx(100));
    CHECK(cells.funds(solo) == 0);
}

TEST_CASE("the cell sampler picks cells in proportion to their size", "[cells]") {
    World w(kBase);
    auto& s = w.s();
    Rng rng(42);
    std::vector<double> hits(s.cells.in_region(0).size(), 0.0);
    std::vector<CellId> slot_of(100000, -1);
    for (std::size_t k = 0; k < s.cells.in_region(0).size(); ++k) slot_of[static_cast<std::size_t>(s.cells.in_region(0)[k])] = static_cast<CellId>(k);
    const int draws = 300000;
    for (int i = 0; i < draws; ++i) hits[static_cast<std::size_t>(slot_of[static_cast<std::size_t>(s.cells.random_by_size(s.fighters, 0, rng))])] += 1;
    // Pearson chi-square over the cells against p = size / 3000; with ~600 degrees of freedom
    // the statistic is ~600 +- 35: 800 is beyond 5 sigma.
    double chi2 = 0;
    for (std::size_t k = 0; k < hits.size(); ++k) {
        const double e = draws * s.cells.size(s.cells.in_region(0)[k]) / 3000.0;
        chi2 += (hits[k] - e) * (hits[k] - e) / e;
    }
    INFO("chi2 " << chi2 << " over " << hits.size() << " cells");
    const auto dof = static_cast<double>(hits.size());
    CHECK(chi2 < dof + 5 * std::sqrt(2.0 * dof));
}

TEST_CASE("fragmentation probability follows pressure, splits and leadership", "[cells]") {
    ParamSet p;
    const double nu0 = p[P::cells_nu];
    CHECK(Cells::fragmentation_probability(p, 0, 0, false) == Approx(nu0));
    CHECK(Cells::fragmentation_probability(p, 1, 0, false) == Approx(nu0 * (1 + p[P::cells_nu_pressure])));
    CHECK(Cells::fragmentation_probability(p, 0, 1, false) == Approx(nu0 * (1 + p[P::cells_nu_split])));
    CHECK(Cells::fragmentation_probability(p, 0, 0, true) == Approx(nu0 * p[P::cells_leaderless_factor]));
    CHECK(Cells::fragmentation_probability(p, 1000, 1, true) == 1.0);
}

TEST_CASE("coalescence-fragmentation conserves fighters and reaches a broad size distribution", "[cells]") {
    World w(kBase, {"fighters[0].active_share=1", "cells.wake_rate=0", "cells.sleep_rate=0",
                    "cells.sleep_pressure=0", "attacks.rate=0", "security.raid_rate=0",
                    "cells.disengage_rate=0", "cells.nu=0.05", "cells.nu_pressure=0",
                    "cells.leadership_split=0", "cells.leaderless_factor=1"});
    auto& s = w.s();
    for (int d = 0; d < 150; ++d) w.sim.step();  // checks run every day (spec.checks)
    CHECK(s.fighters.at_large(0) == 3000);
    CHECK(s.fighters.size() == 3400);
    // Eguiluz-Zimmermann steady state: number-mean size ~ zeta(1.5) / zeta(2.5) ~ 2 and a
    // tail far beyond the initial geometric sizes (whose largest is ~ 40).
    int max_size = 0, singletons = 0;
    for (const CellId c : s.cells.in_region(0)) {
        max_size = std::max(max_size, s.cells.size(c));
        singletons += s.cells.size(c) == 1;
    }
    const double mean = 3000.0 / static_cast<double>(s.cells.count(0));
    CHECK(mean > 1.5);
    CHECK(mean < 3.5);
    CHECK(max_size > 60);
    CHECK(singletons > s.cells.count(0) / 2);
}

TEST_CASE("cells go quiet under pressure and wake when it is withdrawn", "[cells]") {
    const std::string yaml = std::string(kBase) + R"(
events:
  - {kind: force_change, day: 100, faction: police, regions: [a], fraction: 0}
)";
    World w(yaml, {"forces[0].strength.a=20000", "attacks.rate=0", "security.raid_rate=0",
                   "security.indiscriminate_rate=0"});
    auto& s = w.s();
    for (int d = 0; d < 100; ++d) w.sim.step();
    // pi = 1000 * presence / pop * (1 - 0.2) / 20 = 20000 * 0.75 * 0.8 / 100 / 20 = 6:
    // p_wake = 0.03 e^-6, p_sleep = 0.305 per day: nearly all cells asleep.
    CHECK(s.regions.pressure[0] > 5);
    const double quiet = static_cast<double>(s.fighters.count(0, FighterStatus::sleeper)) / static_cast<double>(s.fighters.at_large(0));
    CHECK(quiet > 0.95);
    for (int d = 0; d < 100; ++d) w.sim.step();
    // No pressure: p_wake = 0.03, p_sleep = 0.005: the active share heads for 0.86.
    CHECK(s.regions.pressure[0] == 0);
    const double active = static_cast<double>(s.fighters.count(0, FighterStatus::active)) / static_cast<double>(s.fighters.at_large(0));
    CHECK(active > 0.6);
}

TEST_CASE("recruits come from supporters as low-experience sleepers", "[cells][recruitment]") {
    const std::string yaml = std::string(kBase) + R"(
civilians: {mode: mixed, scale: 50}
)";
    World w(yaml, {"regions[0].legitimacy=0.2", "regions[0].hardship=0.8", "cells.recruit_rate=0.001",
                   "cells.disengage_rate=0", "attacks.rate=0", "security.raid_rate=0"});
    auto& s = w.s();
    w.sim.step();
    const double expected = s.cells.recruitment_rate(s, 0);
    CHECK(expected > 0);
    CHECK(s.cells.recruitment_rate(s, 0) ==
          Approx(s.cells.recruitment_drive(s, 0) * 3000.0 / (3000.0 + s.spec.params[P::cells_recruit_network])).epsilon(1e-3));
    const auto before = s.fighters.size();
    for (int d = 0; d < 20; ++d) w.sim.step();
    const auto recruits = s.fighters.size() - before;
    CHECK(recruits > 0);
    for (auto f = static_cast<FighterId>(before); f < static_cast<FighterId>(s.fighters.size()); ++f) {
        CHECK(s.fighters.experience(f) == Approx(s.spec.params[P::cells_recruit_experience]));
        CHECK(s.fighters.origin(f) == (s.fighters.region(f) == 0 ? Origin::iraqi : Origin::syrian));
        CHECK_FALSE(s.fighters.leader(f));
    }
}

TEST_CASE("released detainees rejoin faster than other disengaged fighters", "[cells][recruitment]") {
    World w(kBase, {"attacks.rate=0", "security.raid_rate=0", "cells.disengage_rate=0"});
    auto& s = w.s();
    std::vector<FighterId> plain, released;
    for (int i = 0; i < 400; ++i) {
        NewFighter nf;
        nf.region = 1;
        nf.status = FighterStatus::disengaged;
        const FighterId f = s.fighters.add(nf);
        if (i % 2) {
            s.fighters.set_history(f, DetentionHistory::released);
            released.push_back(f);
        } else {
            plain.push_back(f);
        }
    }
    for (int d = 0; d < 30; ++d) w.sim.step();
    const auto back = [&](const std::vector<FighterId>& ids) {
        int n = 0;
        for (const auto f : ids) n += s.fighters.status(f) != FighterStatus::disengaged;
        return n;
    };
    // 30 days: P(rejoin) = 1 - e^-0.6 = 0.45 (released), 1 - e^-0.06 = 0.058 (plain); 200
    // each: 90 +- 7 and 12 +- 3.3.
    CHECK(std::abs(back(released) - 90) < 30);
    CHECK(std::abs(back(plain) - 12) < 14);
    for (const auto f : released)
        if (s.fighters.status(f) != FighterStatus::disengaged) CHECK(s.fighters.cell(f) >= 0);
}

TEST_CASE("decapitation removes leaders, shatters the cell and raises the split level", "[cells][events]") {
    const std::string yaml = std::string(kBase) + R"(
events:
  - {kind: decapitation, day: 0, regions: [a], cells: 1, selection: largest, fate: detained}
)";
    World base(kBase, {"cells.cf_rate=0", "attacks.rate=0", "security.raid_rate=0", "cells.disengage_rate=0"});
    World hit(yaml, {"cells.cf_rate=0", "attacks.rate=0", "security.raid_rate=0", "cells.disengage_rate=0"});
    int largest = 0, leaders = 0;
    for (const CellId c : hit.s().cells.in_region(0))
        if (hit.s().cells.size(c) > largest) largest = hit.s().cells.size(c), leaders = hit.s().cells.leaders(c);
    base.sim.step();
    hit.sim.step();
    const int taken = leaders > 0 ? leaders : 1;
    CHECK(hit.s().fighters.count(FighterStatus::detained) == base.s().fighters.count(FighterStatus::detained) + taken);
    CHECK(hit.s().regions.split[0] > base.s().regions.split[0] + 0.25);
    CHECK(hit.s().cells.count(0) == base.s().cells.count(0) + (largest - taken) - 1);
    CHECK(hit.s().spec.events[0]->summary(hit.s().spec).find("detained") != std::string::npos);
    // One events.csv row: region a, severity = fighters taken, count = cells hit.
    World again(yaml, {"cells.cf_rate=0", "attacks.rate=0", "security.raid_rate=0", "cells.disengage_rate=0"});
    const ReplicationResult res = again.sim.run();
    CHECK(res.events.find(fmt::format(",a,decapitation,{},1,detained\n", taken)) != std::string::npos);
}

TEST_CASE("the fighters section and the forces' counter-insurgency keys are read and checked", "[cells][schema]") {
    const std::string yaml = std::string(kBase) + R"(
  - {region: b, count: 10, colour: red}
)";
    CHECK_THROWS_WITH(load_scenario_text(yaml, "x.yaml"), Catch::Contains("colour"));
    const auto spec = load_scenario_text(kBase, "x.yaml",
                                         LoadOptions{{"forces[0].isr=2", "forces[0].air_strikes_per_day=1.5"}});
    CHECK(spec.forces[0].isr == 2);
    CHECK(spec.forces[0].air_strikes_per_day == 1.5);
    CHECK(spec.fighters.size() == 2);
    CHECK(spec.fighters[0].leader_share == 0.1);
    CHECK(spec.fighters[1].origin_share[1] == 1);
}
