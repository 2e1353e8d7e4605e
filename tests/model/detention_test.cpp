// Unit tests of the detention sites (model-spec §5.8, docs/model-detention.md): seeding from
// the scenario (C01-C03), the escape hazard, guards after reallocations and strength changes,
// radicalisation, placement of arrivals, escapes, raids, families, releases and repatriation,
// each with its events.csv rows and the daily conservation check (on in every Simulation here).
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "resurgence/model/simulation.hpp"
#include "resurgence/scenario/loader.hpp"

using namespace resurgence;

namespace {

// Two Syrian regions with a camp and a prison, two Iraqi regions with a small jail, Turkey; no
// fighters at large and no civilians unless a test adds them, so that only detention moves.
const std::string kTheatre = R"(name: det
start_date: 2019-10-01
horizon_days: 200
seed: 7
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
  - {from: hasakah, to: urfa, travel_days: 1}
forces:
  - {faction: sdf, strength: {hasakah: 1000, deir: 1000}, allocation: {patrol: 0.5, guard: 0.4, front: 0.1}}
  - {faction: iraqi_army, strength: {nineveh: 2000, anbar: 1000}, allocation: {patrol: 0.5, border: 0.5}}
  - {faction: turkey, strength: {urfa: 1000}, allocation: {patrol: 0.5, border: 0.5}}
crossings:
  - {id: rabia, from: hasakah, to: nineveh, kind: official, frontier_km: 50, base_detection: 0.1, smuggler_fee: 500, guard_force: iraqi_army}
  - {id: desert, from: hasakah, to: nineveh, kind: open_desert, frontier_km: 150, smuggler_fee: 1000, guard_force: iraqi_army}
  - {id: akcakale, from: hasakah, to: urfa, kind: official, frontier_km: 100, base_detection: 0.2, guard_force: turkey}
detention_sites:
  - {id: camp, region: hasakah, kind: camp, capacity: 1200, detainees: {iraqi: 200, syrian: 300, foreign_european: 50, foreign_other: 50}, families: 400, guards: {sdf: 60}}
  - {id: prison, region: deir, kind: prison, capacity: 300, detainees: {syrian: 300}, guards: {sdf: 100}}
  - {id: jail, region: nineveh, kind: prison, capacity: 50, guards: {iraqi_army: 20}}
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
    Detention& det() { return sim.state().detention; }
    int site(const std::string& id) const { return spec.site_index(id); }
    int region(const std::string& id) const { return spec.region_index(id); }
    // Runs `days` days and sums an indicator over them.
    double run(int days, Ind sum_of = Ind::escapes) {
        double total = 0;
        for (int d = 0; d < days; ++d) {
            sim.step();
            total += st().rec.get(sum_of);
        }
        return total;
    }
};

// Sum of the `count` column of events.csv rows by type.
std::map<std::string, double> row_counts(const std::string& events) {
    std::map<std::string, double> out;
    std::istringstream in(events);
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::stringstream ss(line);
        for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
        if (f.size() >= 7) out[f[4]] += std::stod(f[6]);
    }
    return out;
}

// Scenario text with an events: section appended.
std::string with_events(const std::string& events) { return kTheatre + "events:\n" + events; }

}  // namespace

TEST_CASE("sites are seeded with detained fighters by origin and families (C01-C03)",
          "[detention]") {
    World w(kTheatre);
    auto& d = w.det();
    const int camp = w.site("camp"), prison = w.site("prison"), jail = w.site("jail");
    CHECK(d.sites() == 3);
    CHECK(d.fighters(camp, Origin::iraqi) == 200);
    CHECK(d.fighters(camp, Origin::syrian) == 300);
    CHECK(d.fighters(camp, Origin::foreign_european) == 50);
    CHECK(d.fighters(camp, Origin::foreign_other) == 50);
    CHECK(d.families(camp) == 400);
    CHECK(d.fighters(prison) == 300);
    CHECK(d.persons(jail) == 0);
    // They are Fighter agents: detained, at their site, in its region.
    const auto& fs = w.st().fighters;
    CHECK(fs.count(FighterStatus::detained) == 900);
    for (const FighterId f : d.roster(camp, Origin::iraqi)) {
        CHECK(fs.status(f) == FighterStatus::detained);
        CHECK(fs.site(f) == camp);
        CHECK(fs.region(f) == w.region("hasakah"));
        CHECK(fs.origin(f) == Origin::iraqi);
    }
    CHECK(d.guards(camp) == Approx(60));
    CHECK(d.radicalisation(camp) == Approx(w.spec.params[P::det_radicalisation_initial]));
    check_detention(w.st());
    w.sim.step();
    CHECK(w.st().rec.get(Ind::detainees) ==
          Approx(d.persons(camp) + d.persons(prison) + d.persons(jail)));
    CHECK(w.st().rec.get(Ind::detainees_families) == Approx(static_cast<double>(d.families(camp))));
}

TEST_CASE("the escape hazard rises with detainees per guard, overcrowding and shelling",
          "[detention]") {
    ParamSet p;
    const double h0 = p[P::det_escape_rate], ref = p[P::det_guard_ratio_ref];
    // At the reference ratio, full but not overcrowded, not shelled: h0.
    CHECK(Detention::escape_hazard(p, ref * 100, 100, ref * 100, false) == Approx(h0));
    // Halving the guards doubles it (alpha = 1, C05).
    CHECK(Detention::escape_hazard(p, 1000, 50, 1000, false) ==
          Approx(2 * Detention::escape_hazard(p, 1000, 100, 1000, false)));
    // Overcrowding: occupancy 1.5 multiplies by 1 + beta_o * 0.5.
    CHECK(Detention::escape_hazard(p, 1500, 150, 1000, false) ==
          Approx(h0 * (1 + p[P::det_overcrowding_effect] * 0.5)));
    // Shelling (C04) multiplies by 1 + beta_sh.
    CHECK(Detention::escape_hazard(p, 1000, 100, 1000, true) ==
          Approx(h0 * (1 + p[P::det_shelling_effect])));
    // No guards counts as one guard; nobody inside, no hazard.
    CHECK(Detention::escape_hazard(p, 1000, 0, 1000, false) ==
          Approx(Detention::escape_hazard(p, 1000, 1, 1000, false)));
    CHECK(Detention::escape_hazard(p, 0, 10, 1000, false) == 0.0);
    // The exponent.
    p.set(P::det_guard_exponent, 2.0);
    CHECK(Detention::escape_hazard(p, 1000, 50, 1000, false) ==
          Approx(4 * Detention::escape_hazard(p, 1000, 100, 1000, false)));
}

TEST_CASE("site guards follow the guard task after reallocations and the force's strength",
          "[detention]") {
    World w(with_events(
        "  - {kind: reallocate, day: 2, faction: sdf, from: guard, to: front, fraction: 0.5, "
        "duration_days: 3}\n"
        "  - {kind: force_change, day: 10, faction: sdf, regions: [deir], fraction: 0.25}\n"));
    const int camp = w.site("camp"), prison = w.site("prison");
    w.run(2);
    CHECK(w.det().guards(camp) == Approx(60));
    w.run(1);  // day 2: half the guard share goes to the front
    CHECK(w.det().guards(camp) == Approx(30));
    CHECK(w.det().current_guards(w.st(), camp) == Approx(30));
    w.run(2);  // days 3 and 4 still
    CHECK(w.det().guards(camp) == Approx(30));
    w.run(1);  // day 5: over
    CHECK(w.det().guards(camp) == Approx(60));
    w.run(5);  // day 10: a quarter of the SDF left in deir
    CHECK(w.det().guards(prison) == Approx(25));
    CHECK(w.det().guards(camp) == Approx(60));
}

TEST_CASE("escapes are binomial at the site's hazard, each a row, every person accounted for",
          "[detention]") {
    World w(kTheatre, {"detention.escape_rate=0.002", "detention.raid_rate=0"});
    const auto before = w.det().persons(w.site("camp")) + w.det().persons(w.site("prison"));
    double fighters = 0, families = 0;
    for (int d = 0; d < 60; ++d) {
        w.sim.step();
        fighters += w.st().rec.get(Ind::escapes_fighters);
        families += w.st().rec.get(Ind::escapes_families);
        CHECK(w.st().rec.get(Ind::escapes) ==
              w.st().rec.get(Ind::escapes_fighters) + w.st().rec.get(Ind::escapes_families));
    }
    // Camp: 1000 persons / 60 guards = 16.7 per guard, h = 0.002 * 1.67 = 0.0033/day; prison
    // 300/100: h = 0.0006. Expected about 180 + 11 over 60 days (less as they leave).
    CHECK(fighters + families > 80);
    CHECK(fighters + families < 300);
    const auto after = w.det().persons(w.site("camp")) + w.det().persons(w.site("prison"));
    CHECK(before - after == static_cast<std::int64_t>(fighters + families));
    const auto rows = row_counts(w.st().rec.finish().events);
    CHECK(rows.at("escape") == fighters);
    CHECK(rows.at("escape_family") == families);
    // Escaped fighters carry their history (some may be caught again at the border, and the
    // family members who joined as fighters carry it too).
    std::int64_t escaped = 0;
    const auto& fs = w.st().fighters;
    for (std::size_t i = 0; i < fs.size(); ++i)
        if (fs.history(static_cast<FighterId>(i)) == DetentionHistory::escaped) ++escaped;
    CHECK(escaped >= static_cast<std::int64_t>(fighters));
    CHECK(w.det().escapes_cumulative() == static_cast<std::int64_t>(fighters + families));
}

TEST_CASE("radicalisation rises toward 1, faster in camps and when overcrowded (C10)",
          "[detention]") {
    World w(kTheatre, {"detention.escape_rate=0"});
    const int camp = w.site("camp"), prison = w.site("prison"), jail = w.site("jail");
    const ParamSet& p = w.spec.params;
    const double rho0 = p[P::det_radicalisation_initial], rate = p[P::det_radicalisation_rate];
    w.run(1);
    // One day: rho += rate * kind * (1 + crowding * max(0, occupancy - 1)) * (1 - rho).
    CHECK(w.det().radicalisation(camp) ==
          Approx(rho0 + rate * p[P::det_radicalisation_camp] * (1 - rho0)));
    CHECK(w.det().radicalisation(prison) == Approx(rho0 + rate * (1 - rho0)));
    CHECK(w.det().radicalisation(jail) == Approx(rho0));  // empty: nothing happens
    w.run(100);
    CHECK(w.det().radicalisation(camp) > w.det().radicalisation(prison));
    CHECK(w.det().radicalisation(camp) < 1.0);
    // Escapees and releasees join a cell directly with probability rejoin_direct * rho.
    CHECK(w.det().join_probability(p, camp) ==
          Approx(std::min(1.0, p[P::det_rejoin_direct] * w.det().radicalisation(camp))));
}

TEST_CASE("arrivals go to the nearest site of the capturing country with room", "[detention]") {
    World w(kTheatre, {"detention.escape_rate=0"});
    auto& st = w.st();
    auto& fs = st.fighters;
    const auto detain_in = [&](const std::string& region) {
        NewFighter nf;
        nf.origin = Origin::iraqi;
        nf.status = FighterStatus::detained;
        nf.region = w.region(region);
        nf.funds = 300;
        const FighterId f = fs.add(nf);
        fs.set_site(f, kNoSite);
        return f;
    };
    // Captured in anbar: Iraq's only site is the jail in nineveh. Funds are seized.
    const FighterId a = detain_in("anbar");
    w.det().admit(st, a, w.region("anbar"));
    CHECK(fs.site(a) == w.site("jail"));
    CHECK(fs.region(a) == w.region("nineveh"));
    CHECK(fs.funds(a) == 0.0f);
    // Captured in deir: the prison there is full (300 of 300), the camp has room.
    const FighterId b = detain_in("deir");
    w.det().admit(st, b, w.region("deir"));
    CHECK(fs.site(b) == w.site("camp"));
    // Captured in Turkey, which has no modelled site: held outside the sites.
    const FighterId c = detain_in("urfa");
    w.det().admit(st, c, w.region("urfa"));
    CHECK(fs.site(c) == kSiteUnlisted);
    CHECK(w.det().unlisted() == 1);
    // Fill the jail: the next Iraqi capture still goes there (nearest), overcrowded.
    for (int k = 0; k < 60; ++k) w.det().admit(st, detain_in("nineveh"), w.region("nineveh"));
    CHECK(w.det().persons(w.site("jail")) == 61);
    check_detention(st);
    // Fighters detained by other phases (site kNoSite) are placed in the detention phase.
    const FighterId late = detain_in("nineveh");
    w.sim.step();
    CHECK(fs.site(late) == w.site("jail"));
    CHECK(w.st().rec.get(Ind::detention_arrivals) >= 1);
}

TEST_CASE("a raid by a large cell frees a share of the site and is a prison_raid attack",
          "[detention]") {
    const std::string yaml = kTheatre +
                             "fighters:\n"
                             "  - {region: hasakah, count: 40, active_share: 1, mean_cell_size: "
                             "40, origin: {syrian: 1}}\n";
    ParamSet p;
    // Success A / (A + k G), A = size (0.5 + e).
    CHECK(Detention::raid_success(p, 20, 0.5, 10) ==
          Approx(20.0 / (20.0 + p[P::det_raid_guard_strength] * 10)));
    CHECK(Detention::raid_success(p, 20, 0.5, 0) == Approx(1.0));
    World w(yaml, {"detention.raid_rate=10", "detention.raid_min_cell_size=2",
                   "detention.raid_guard_strength=0", "detention.raid_attacker_loss=0",
                   "detention.escape_rate=0", "cells.cf_rate=0", "movement.rate=0",
                   "security.raid_rate=0", "attacks.rate=0"});
    const auto before = w.det().persons(w.site("camp"));
    w.sim.step();
    const double raids = w.st().rec.get(Ind::attacks_prison_raid);
    CHECK(raids >= 1);
    CHECK(w.st().rec.get(Ind::prison_raids_successful) == raids);
    CHECK(w.st().rec.get(Ind::attacks_total) >= raids);  // raids are attacks
    const double freed = w.st().rec.get(Ind::escapes);
    CHECK(freed > 0);
    CHECK(before - w.det().persons(w.site("camp")) == static_cast<std::int64_t>(freed));
    const auto rows = row_counts(w.st().rec.finish().events);
    CHECK(rows.at("attack_prison_raid") == raids);
    CHECK(rows.at("raid_freed") + rows.at("raid_freed_family") == freed);
}

TEST_CASE("escaped and released families stay at large or join as fighters", "[detention]") {
    World w(
        with_events("  - {kind: breakout, day: 1, site: camp, count: 200, selection: families}\n"
                    "  - {kind: release, day: 2, site: camp, count: 100, selection: families}\n"),
        {"detention.family_recruit_share=0.5", "detention.escape_rate=0", "cells.disengage_rate=0",
         "security.raid_rate=0", "movement.rate=0", "detention.raid_rate=0"});
    const auto created = w.st().fighters.size();
    w.run(3);
    const int camp = w.site("camp");
    CHECK(w.det().families(camp) == 100);
    const auto recruits = static_cast<std::int64_t>(w.st().fighters.size() - created);
    CHECK(recruits > 100);  // about 150 of 300
    CHECK(recruits < 200);
    CHECK(w.det().families_at_large(w.region("hasakah")) == 300 - recruits);
    // The recruits are sleepers of the site's region.
    CHECK(w.st().fighters.count(w.region("hasakah"), FighterStatus::sleeper) +
              w.st().fighters.count(w.region("hasakah"), FighterStatus::active) ==
          recruits);
    check_detention(w.st());
}

TEST_CASE("releases take the selected origin; released fighters carry their history",
          "[detention]") {
    World w(
        with_events("  - {kind: release, day: 1, site: camp, count: 120, selection: syrian}\n"
                    "  - {kind: release, day: 2, site: camp, fraction: 0.5, selection: foreign}\n"),
        {"detention.escape_rate=0", "detention.rejoin_direct=0"});
    const int camp = w.site("camp");
    w.run(2);
    CHECK(w.det().fighters(camp, Origin::syrian) == 180);
    CHECK(w.det().fighters(camp, Origin::iraqi) == 200);
    CHECK(w.st().rec.get(Ind::releases) == 120);
    // Syrians released in Syria stay in Syria and (rejoin_direct 0) disengage.
    const auto& fs = w.st().fighters;
    std::int64_t released = 0;
    for (std::size_t i = 0; i < fs.size(); ++i) {
        const auto f = static_cast<FighterId>(i);
        if (fs.history(f) != DetentionHistory::released) continue;
        ++released;
        CHECK(fs.status(f) != FighterStatus::detained);
        if (fs.status(f) == FighterStatus::disengaged)
            CHECK(w.spec.regions[static_cast<std::size_t>(fs.region(f))].country == "syria");
    }
    CHECK(released == 120);
    w.run(1);
    CHECK(w.det().fighters(camp, Origin::foreign_european) +
              w.det().fighters(camp, Origin::foreign_other) ==
          50);
}

TEST_CASE("repatriation sends foreigners abroad and transfers Iraqis to Iraq (C09)",
          "[detention]") {
    World w(
        with_events("  - {kind: repatriation, day: 0, origin: foreign, rate_per_month: 30.4375}\n"
                    "  - {kind: repatriation, day: 0, origin: iraqi, rate_per_month: 304.375, "
                    "sites: [camp], duration_days: 5}\n"),
        {"detention.escape_rate=0"});
    double abroad = 0, transfers = 0;
    for (int d = 0; d < 20; ++d) {
        w.sim.step();
        abroad += w.st().rec.get(Ind::repatriations);
        transfers += w.st().rec.get(Ind::transfers);
    }
    // One foreigner a day for 20 days; ten Iraqis a day for 5 days.
    CHECK(abroad == 20);
    CHECK(transfers == 50);
    CHECK(w.det().abroad() == 20);
    CHECK(w.det().fighters(w.site("camp"), Origin::iraqi) == 150);
    CHECK(w.det().fighters(w.site("jail"), Origin::iraqi) ==
          50);  // nearest Iraqi site (overcrowded after 50)
    CHECK(w.st().rec.get(Ind::repatriated) == 20);
    const auto rows = row_counts(w.st().rec.finish().events);
    CHECK(rows.at("repatriation") == 20);
    CHECK(rows.at("transfer") == 50);
}
