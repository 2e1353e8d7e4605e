// Unit tests of movement (model-spec §5.5, docs/model-detention.md): the region graph with
// closed borders, whole-day trips, attractiveness, cells relocating as a unit and re-forming on
// arrival, escapees' targets (home first, else often a border; C06) and settling.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "resurgence/model/simulation.hpp"
#include "resurgence/scenario/loader.hpp"

using namespace resurgence;

namespace {

// deir - anbar crosses the border with no crossing: closed.
const std::string kGraph = R"(name: graph
start_date: 2019-10-01
horizon_days: 100
seed: 5
regions:
  - {id: hasakah, country: syria, population: 100000, terrain: rural}
  - {id: deir, country: syria, population: 100000, terrain: riverine}
  - {id: nineveh, country: iraq, population: 100000, terrain: urban}
  - {id: anbar, country: iraq, population: 100000, terrain: desert}
  - {id: urfa, country: turkey, population: 100000}
edges:
  - {from: hasakah, to: deir, travel_days: 1}
  - {from: hasakah, to: nineveh, travel_days: 2}
  - {from: deir, to: anbar, travel_days: 1.5}
  - {from: nineveh, to: anbar, travel_days: 2}
  - {from: hasakah, to: urfa, travel_days: 0.5}
forces:
  - {faction: iraqi_army, strength: {nineveh: 2000}, allocation: {patrol: 0.5, border: 0.5}}
crossings:
  - {id: rabia, from: hasakah, to: nineveh, kind: official, frontier_km: 50, base_detection: 0.1, smuggler_fee: 500, guard_force: iraqi_army}
  - {id: akcakale, from: hasakah, to: urfa, kind: official, frontier_km: 100}
)";

struct World {
    ScenarioSpec spec;
    ColumnLayout layout;
    Simulation sim;
    explicit World(const std::string& yaml, std::vector<std::string> overrides = {})
        : spec(load_scenario_text(yaml, "t.yaml", LoadOptions{std::move(overrides)})),
          layout(spec.countries),
          sim(spec, layout, 0) {}
    SimState& st() { return sim.state(); }
    Movement& mv() { return sim.state().movement; }
    int r(const std::string& id) const { return spec.region_index(id); }
    FighterId loose(const std::string& region, Origin o, float funds = 0) {
        NewFighter nf;
        nf.origin = o;
        nf.status = FighterStatus::disengaged;
        nf.region = r(region);
        nf.funds = funds;
        return st().fighters.add(nf);
    }
};

}  // namespace

TEST_CASE("the region graph: whole-day trips, closed borders without a crossing", "[movement]") {
    CHECK(Movement::trip_days(0.3) == 1);
    CHECK(Movement::trip_days(1.0) == 1);
    CHECK(Movement::trip_days(1.5) == 2);
    World w(kGraph);
    auto& m = w.mv();
    CHECK(m.edge_days(w.r("hasakah"), w.r("nineveh")) == 2.0);
    CHECK(m.edge_days(w.r("deir"), w.r("anbar")) == 0.0);  // no crossing on it: closed
    // deir -> anbar goes round through hasakah and nineveh: 1 + 2 + 2 days.
    CHECK(m.distance(w.r("deir"), w.r("anbar")) == 5.0);
    CHECK(m.next_hop(w.r("deir"), w.r("anbar")) == w.r("hasakah"));
    CHECK(m.next_hop(w.r("hasakah"), w.r("anbar")) == w.r("nineveh"));
    CHECK(m.distance(w.r("hasakah"), w.r("urfa")) == 1.0);
    CHECK(m.home_country(Origin::iraqi) == 1);
    CHECK(m.home_country(Origin::syrian) == 0);
    CHECK(m.home_country(Origin::foreign_european) == -1);
    CHECK(m.home_country(Origin::foreign_other) == -1);
}

TEST_CASE("attractiveness falls with pressure and rises with own strength and home", "[movement]") {
    World w(kGraph);
    auto& st = w.st();
    const ParamSet& p = w.spec.params;
    const int nin = w.r("nineveh");
    st.regions.pressure[static_cast<std::size_t>(nin)] = 0.0;
    const double iraqi = w.mv().attractiveness(st, nin, Origin::iraqi);
    const double syrian = w.mv().attractiveness(st, nin, Origin::syrian);
    CHECK(iraqi == Approx(syrian * (1 + p[P::mov_home_attraction])));
    st.regions.pressure[static_cast<std::size_t>(nin)] = 1.0;
    CHECK(w.mv().attractiveness(st, nin, Origin::syrian) ==
          Approx(syrian * std::exp(-p[P::mov_pressure_aversion])));
}

TEST_CASE("a fighter sent away travels edge by edge and settles on arrival", "[movement]") {
    // No detection: every crosser pays the bribe and bribes are perfect.
    World w(kGraph, {"border.bribe_factor=0"});
    auto& st = w.st();
    w.sim.step();  // day 0
    const FighterId f = w.loose("hasakah", Origin::iraqi, 5000);
    st.movement.send(st, f, w.r("anbar"), 0.0f);  // on day 1
    CHECK(st.fighters.status(f) == FighterStatus::in_transit);
    CHECK(st.fighters.destination(f) == w.r("nineveh"));
    CHECK(st.fighters.arrival_day(f) == 3);
    CHECK(st.movement.trip(f) == TripKind::settle);
    check_detention(st);
    w.sim.step();  // day 1
    w.sim.step();  // day 2
    CHECK(st.fighters.region(f) == w.r("hasakah"));
    w.sim.step();  // day 3: across at rabia, on toward anbar
    CHECK(st.rec.get(Ind::crossings_attempted) == 1);
    CHECK(st.rec.get(Ind::crossings_detected) == 0);
    CHECK(st.fighters.region(f) == w.r("nineveh"));
    CHECK(st.fighters.destination(f) == w.r("anbar"));
    CHECK(st.fighters.arrival_day(f) == 5);
    w.sim.step();
    w.sim.step();  // day 5: arrives and, with join probability 0, disengages
    CHECK(st.fighters.region(f) == w.r("anbar"));
    CHECK(st.fighters.status(f) == FighterStatus::disengaged);
    CHECK(st.movement.trip(f) == TripKind::none);
    CHECK(st.fighters.funds(f) == Approx(5000 - 500 - 500));  // smuggler and bribe
}

TEST_CASE("settling: join a cell with the fighter's probability, else disengage", "[movement]") {
    World w(kGraph);
    auto& st = w.st();
    w.sim.step();
    const FighterId a = w.loose("deir", Origin::syrian);
    const FighterId b = w.loose("deir", Origin::syrian);
    st.movement.send(st, a, w.r("deir"), 1.0f);  // already there: settles at once
    st.movement.send(st, b, w.r("deir"), 0.0f);
    CHECK((st.fighters.status(a) == FighterStatus::sleeper ||
           st.fighters.status(a) == FighterStatus::active));
    CHECK(st.fighters.cell(a) >= 0);
    CHECK(st.fighters.status(b) == FighterStatus::disengaged);
    CHECK(st.movement.rejoined_today() == 1);
}

TEST_CASE("cells relocate as a unit toward lower pressure and re-form on arrival", "[movement]") {
    // Two Syrian regions: heavy patrols in `a`, none in `b`; every cell of `a` moves at once.
    const std::string yaml = R"(name: reloc
start_date: 2019-10-01
horizon_days: 30
seed: 9
regions:
  - {id: a, country: syria, population: 100000, terrain: urban}
  - {id: b, country: syria, population: 100000, terrain: urban}
edges:
  - {from: a, to: b, travel_days: 2}
forces:
  - {faction: army, strength: {a: 20000}, allocation: {patrol: 1}}
fighters:
  - {region: a, count: 60, mean_cell_size: 6, origin: {syrian: 1}}
)";
    World w(yaml, {"movement.rate=10", "cells.cf_rate=0", "security.raid_rate=0", "attacks.rate=0",
                   "cells.disengage_rate=0", "cells.wake_rate=0", "cells.sleep_rate=0",
                   "cells.sleep_pressure=0"});
    auto& st = w.st();
    const int a = w.r("a"), b = w.r("b");
    std::vector<int> sizes_before;
    for (const CellId c : st.cells.in_region(a)) sizes_before.push_back(st.cells.size(c));
    std::sort(sizes_before.begin(), sizes_before.end());
    const auto active_before = st.cells.count_active(a);
    REQUIRE(sizes_before.size() > 1);
    w.sim.step();  // day 0: every cell sets off for b (2 days)
    CHECK(st.cells.count(a) == 0);
    CHECK(st.fighters.count(FighterStatus::in_transit) == 60);
    CHECK(st.rec.get(Ind::relocations) == 60);
    for (const FighterId f : st.fighters.listed(FighterStatus::in_transit)) {
        CHECK(st.fighters.destination(f) == b);
        CHECK(st.fighters.arrival_day(f) == 2);
        CHECK(st.movement.trip(f) == TripKind::relocation);
    }
    w.sim.step();
    w.sim.step();  // day 2: they arrive and re-form the same cells
    CHECK(st.rec.get(Ind::transit_arrivals) == 60);
    CHECK(st.fighters.count(FighterStatus::in_transit) == 0);
    std::vector<int> sizes_after;
    for (const CellId c : st.cells.in_region(b)) sizes_after.push_back(st.cells.size(c));
    std::sort(sizes_after.begin(), sizes_after.end());
    CHECK(sizes_after == sizes_before);
    CHECK(st.cells.count_active(b) == active_before);
}

TEST_CASE("escapees head home first, else for a border or to ground (C06)", "[movement]") {
    World w(kGraph);
    auto& st = w.st();
    const int from = w.r("deir");
    const auto country = [&](int r) { return w.spec.regions[static_cast<std::size_t>(r)].country; };
    Rng rng(1);
    for (int k = 0; k < 50; ++k) {
        // Iraqis go home to Iraq, escaping or released.
        CHECK(country(st.movement.choose_target(st, from, Origin::iraqi, Departure::escape, rng)) ==
              "iraq");
        CHECK(country(st.movement.choose_target(st, from, Origin::iraqi, Departure::release,
                                                rng)) == "iraq");
        // Released Syrians and foreigners stay in the country.
        CHECK(country(st.movement.choose_target(st, from, Origin::foreign_other, Departure::release,
                                                rng)) == "syria");
    }
    World all_out(kGraph, {"movement.escapee_border_share=1"});
    World none_out(kGraph, {"movement.escapee_border_share=0"});
    for (int k = 0; k < 50; ++k) {
        CHECK(country(all_out.st().movement.choose_target(
                  all_out.st(), from, Origin::foreign_european, Departure::escape, rng)) !=
              "syria");
        CHECK(country(none_out.st().movement.choose_target(none_out.st(), from, Origin::syrian,
                                                           Departure::escape, rng)) == "syria");
    }
}
