// The timeline event kinds of issue 4 (model-spec §6): each kind is validated at load time with
// file:line:column messages, and applied on its day. One section per kind: reallocate,
// breakout, release, repatriation, authority_change, border_reinforcement, refugee_flow.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "resurgence/model/simulation.hpp"
#include "resurgence/scenario/events.hpp"
#include "scenario/scenario_test_util.hpp"

using namespace resurgence;
using resurgence::testing::text_problems;
using Strings = std::vector<std::string>;

namespace {

// Line numbers matter: events start on line 20.
const std::string kBase =
    "name: ev\n"                                                                              // 1
    "start_date: 2019-10-01\n"                                                                // 2
    "horizon_days: 60\n"                                                                      // 3
    "regions:\n"                                                                              // 4
    "  - {id: hasakah, country: syria, population: 100000}\n"                                 // 5
    "  - {id: nineveh, country: iraq, population: 100000, authority: iraqi_government}\n"     // 6
    "edges:\n"                                                                                // 7
    "  - {from: hasakah, to: nineveh, travel_days: 2}\n"                                      // 8
    "forces:\n"                                                                               // 9
    "  - {faction: sdf, strength: {hasakah: 1000}, allocation: {patrol: 0.5, guard: 0.5}}\n"  // 10
    "  - {faction: iraqi_army, strength: {nineveh: 1000}, allocation: {patrol: 0.5, border: 0.5}}\n"  // 11
    "crossings:\n"                                                                             // 12
    "  - {id: rabia, from: hasakah, to: nineveh, frontier_km: 50, guard_force: iraqi_army}\n"  // 13
    "detention_sites:\n"                                                                       // 14
    "  - {id: camp, region: hasakah, kind: camp, capacity: 2000, families: 500,\n"             // 15
    "     detainees: {iraqi: 100, syrian: 200, foreign_european: 50}, guards: {sdf: 100}}\n"   // 16
    "  - {id: jail, region: nineveh, kind: prison, capacity: 1000, guards: {iraqi_army: 50}}\n"  // 17
    "parameters:\n"                                  // 18
    "  detention: {escape_rate: 0, raid_rate: 0}\n"  // 19
    "events:\n";                                     // 20

struct Run {
    ScenarioSpec spec;
    ColumnLayout layout;
    Simulation sim;
    explicit Run(const std::string& events)
        : spec(load_scenario_text(kBase + events, "t.yaml")),
          layout(spec.countries),
          sim(spec, layout, 0) {}
    SimState& st() { return sim.state(); }
    void days(int n) {
        for (int d = 0; d < n; ++d) sim.step();
    }
};

}  // namespace

TEST_CASE("every kind of the timeline is built", "[scenario][events]") {
    for (const auto& k : event_kinds()) {
        INFO(k.name);
        CHECK(k.parse != nullptr);
    }
}

TEST_CASE("reallocate: validated, then moves a share between tasks for its duration",
          "[scenario][events]") {
    CHECK(
        text_problems(
            kBase +
            "  - {kind: reallocate, day: 1, faction: sdf, from: gaurd, to: front, fraction: 0.5}\n"
            "  - {kind: reallocate, day: 1, faction: sdf, from: guard, to: guard, fraction: 0.5}\n"
            "  - {kind: reallocate, day: 1, faction: pkk, from: guard, to: front, fraction: "
            "1.5}\n") == Strings{"t.yaml:21:52: events[0].from: 'gaurd' is not one of: patrol, "
                                 "border, guard, front, reserve",
                                 "t.yaml:22:63: events[1].to: from and to are both 'guard': a "
                                 "reallocation moves personnel "
                                 "between two different tasks",
                                 "t.yaml:23:41: events[2].faction: no force with faction 'pkk' "
                                 "(forces: sdf, iraqi_army)",
                                 "t.yaml:23:80: events[2].fraction: 1.5 is above 1 (allowed: 0 to "
                                 "1 of the `from` share)"});
    Run run(
        "  - {kind: reallocate, day: 2, faction: sdf, from: guard, to: front, fraction: 0.5, "
        "duration_days: 10}\n");
    CHECK(run.spec.events[0]->summary(run.spec) ==
          "sdf moves 50% of its guard personnel to front for 10 days");
    run.days(3);
    const auto& eff = run.st().forces.effective[0];
    CHECK(eff[static_cast<std::size_t>(Task::guard)] == Approx(0.25));
    CHECK(eff[static_cast<std::size_t>(Task::front)] == Approx(0.25));
    CHECK(run.st().detention.guards(0) == Approx(50));
    run.days(10);
    CHECK(run.st().forces.effective[0][static_cast<std::size_t>(Task::guard)] == Approx(0.5));
    CHECK(run.st().detention.guards(0) == Approx(100));
}

TEST_CASE("breakout: validated, then frees detainees at once and shells the site",
          "[scenario][events]") {
    CHECK(
        text_problems(
            kBase +
            "  - {kind: breakout, day: 1, site: cmap, count: 10}\n"
            "  - {kind: breakout, day: 1, site: camp, count: 10, fraction: 0.5}\n"
            "  - {kind: breakout, day: 1, site: camp, fraction: 0.5, selection: women}\n") ==
        Strings{
            "t.yaml:21:36: events[0].site: no detention site 'cmap' (detention_sites: camp, jail)",
            "t.yaml:22:49: events[1].count: give exactly one of fraction (of the selected "
            "detainees, "
            "0 to 1) or count (persons)",
            "t.yaml:23:68: events[2].selection: 'women' is not one of: any, iraqi, syrian, "
            "foreign, "
            "foreign_european, foreign_other, families, all, fighters"});
    Run run(
        "  - {kind: breakout, day: 1, site: camp, fraction: 0.5, selection: all, shelling_days: "
        "2}\n");
    run.days(2);
    // Half of 850 persons: fighters and families in proportion (350 : 500).
    CHECK(run.st().detention.escapes_cumulative() == 425);
    CHECK(run.st().detention.persons(0) == 425);
    CHECK(run.st().detention.families(0) == 250);
    CHECK(run.st().detention.shelling_days(0) ==
          1);  // days 1 and 2 under shelling; after day 1's phase, 1 left
}

TEST_CASE("release: a release from a site that does not exist is a load error with its line",
          "[scenario][events]") {
    CHECK(
        text_problems(kBase +
                      "  - {kind: release, day: 5, site: roj, count: 283, selection: syrian}\n") ==
        Strings{
            "t.yaml:21:35: events[0].site: no detention site 'roj' (detention_sites: camp, jail)"});
    CHECK(text_problems(kBase + "  - {kind: release, day: 5, site: camp, selection: syrian}\n") ==
          Strings{"t.yaml:21:5: events[0].fraction: give exactly one of count (persons) or "
                  "fraction (of the "
                  "selected detainees, 0 to 1)"});
    Run run("  - {kind: release, day: 5, site: camp, count: 283, selection: syrian}\n");
    CHECK(run.spec.events[0]->summary(run.spec) == "release of 283 (syrian) from camp");
    run.days(6);
    CHECK(run.st().detention.fighters(0, Origin::syrian) == 0);  // only 200 Syrians were there
    CHECK(run.st().rec.get(Ind::releases) == 200);               // day 5's flow
    CHECK(run.st().detention.fighters(0, Origin::iraqi) == 100);
}

TEST_CASE("repatriation: validated, then an ongoing programme", "[scenario][events]") {
    CHECK(
        text_problems(kBase +
                      "  - {kind: repatriation, day: 5, origin: martian, rate_per_month: 10}\n"
                      "  - {kind: repatriation, day: 5, origin: foreign, rate_per_month: 10, "
                      "sites: [camp, nowhere]}\n") ==
        Strings{"t.yaml:21:42: events[0].origin: 'martian' is not one of: iraqi, syrian, foreign, "
                "foreign_european, foreign_other",
                "t.yaml:22:85: events[1].sites[1]: no detention site 'nowhere' (detention_sites: "
                "camp, jail)"});
    CHECK(text_problems(kBase + "  - {kind: repatriation, day: 5, origin: syrian, rate_per_month: "
                                "10, sites: [camp]}\n") ==
          Strings{"t.yaml:21:42: events[0].origin: every site it takes from is in syria: Syrian "
                  "detainees there "
                  "have no other home to be repatriated to"});
    Run run("  - {kind: repatriation, day: 0, origin: foreign_european, rate_per_month: 60.875}\n");
    run.days(10);  // two a day
    CHECK(run.st().detention.abroad() == 20);
    CHECK(run.st().detention.fighters(0, Origin::foreign_european) == 30);
}

TEST_CASE("authority_change: another authority with its legitimacy (S04)", "[scenario][events]") {
    CHECK(text_problems(kBase + "  - {kind: authority_change, day: 5, regions: [hasakah], "
                                "authority: syrian_government, "
                                "legitimacy: 0.2, delta: 0.1}\n") ==
          Strings{"t.yaml:21:112: events[0].delta: give legitimacy (the new authority's level, 0 "
                  "to 1) or delta "
                  "(a change, -1 to 1), not both"});
    CHECK(text_problems(kBase + "  - {kind: authority_change, day: 5, authority: x}\n") ==
          Strings{"t.yaml:21:5: events[0].regions: missing: a list of region ids, or all"});
    Run run(
        "  - {kind: authority_change, day: 3, regions: [hasakah], authority: syrian_government, "
        "legitimacy: 0.2}\n"
        "  - {kind: authority_change, day: 4, regions: [nineveh], authority: iraqi_government, "
        "delta: -0.1}\n");
    // Registered before the first day, so applying it allocates nothing.
    const auto& names = run.st().authorities;
    CHECK(std::find(names.begin(), names.end(), "syrian_government") != names.end());
    const double l_nineveh = run.st().regions.legitimacy_base[1];
    run.days(5);
    const auto& rs = run.st().regions;
    CHECK(names[static_cast<std::size_t>(rs.authority[0])] == "syrian_government");
    CHECK(rs.legitimacy_base[0] == Approx(0.2));
    CHECK(rs.legitimacy_base[1] == Approx(l_nineveh - 0.1));
    CHECK(names[static_cast<std::size_t>(rs.authority[1])] == "iraqi_government");
}

TEST_CASE("border_reinforcement and refugee_flow: validated crossings, then applied",
          "[scenario][events]") {
    CHECK(text_problems(
              kBase +
              "  - {kind: border_reinforcement, day: 5, crossings: [rabiaa], guards: 100}\n"
              "  - {kind: refugee_flow, day: 5, crossings: [rabia], persons_per_day: -1}\n") ==
          Strings{"t.yaml:21:54: events[0].crossings[0]: no crossing 'rabiaa'; did you mean "
                  "'rabia'? (crossings: rabia)",
                  "t.yaml:22:71: events[1].persons_per_day: -1 is below 0 (allowed: 0 to 10000000 "
                  "persons/day)"});
    Run run(
        "  - {kind: border_reinforcement, day: 1, crossings: [rabia], guards: 100, duration_days: "
        "5}\n"
        "  - {kind: refugee_flow, day: 1, crossings: all, persons_per_day: 500}\n");
    CHECK(run.spec.events[0]->summary(run.spec) == "+100 guards at rabia for 5 days");
    run.days(1);
    const double guards = run.st().border.guards(0);
    run.days(1);
    CHECK(run.st().border.guards(0) == Approx(guards + 100));
    CHECK(run.st().border.refugee_flow(0) == Approx(500));
    run.days(5);
    CHECK(run.st().border.guards(0) == Approx(guards));
    CHECK(run.st().border.refugee_flow(0) == Approx(500));
}

TEST_CASE("force_change: a ramp moves strength by equal daily steps, then holds the target",
          "[scenario][events]") {
    // iraqi_army (force 1) in nineveh (region 1): 1000 to 40% over 5 days from day 3. The event
    // fires in phase 1 of day 3 and the posture of the same day takes the first step.
    Run run("  - {kind: force_change, day: 3, faction: iraqi_army, regions: [nineveh], fraction: "
            "0.4, ramp_days: 5}\n");
    const auto strength = [&] { return run.st().forces.strength[1][1]; };
    run.days(3);
    CHECK(strength() == Approx(1000));
    for (int k = 1; k <= 5; ++k) {
        run.days(1);
        CHECK(strength() == Approx(1000 - 120.0 * k));
    }
    run.days(20);
    CHECK(strength() == Approx(400));
    CHECK(run.st().forces.strength[0][0] == Approx(1000));  // other factions untouched
}

TEST_CASE("force_change: replenishment does not bring back withdrawn troops",
          "[scenario][events]") {
    // Losses not yet replaced (the deficit) scale with the strength a force_change leaves: a
    // withdrawal to 0 cancels them, a halving halves them.
    SECTION("to zero at once") {
        Run run("  - {kind: force_change, day: 2, faction: iraqi_army, regions: [nineveh], "
                "fraction: 0}\n");
        run.days(1);
        const double lost = run.st().security.casualties(run.st(), 1, 100);
        CHECK(lost == Approx(100));
        CHECK(run.st().security.deficit(1, 1) == Approx(100));
        run.days(30);
        CHECK(run.st().forces.strength[1][1] == 0.0);
        CHECK(run.st().security.deficit(1, 1) == 0.0);
    }
    SECTION("halved over a ramp") {
        Run run("  - {kind: force_change, day: 2, faction: iraqi_army, regions: [nineveh], "
                "fraction: 0.5, ramp_days: 4}\n");
        run.days(1);
        run.st().security.casualties(run.st(), 1, 100);  // strength 900, deficit 100
        const double before = run.st().forces.strength[1][1] + run.st().security.deficit(1, 1);
        run.days(40);
        // Nominal strength (strength + deficit) ends at half of what it was.
        CHECK(run.st().forces.strength[1][1] + run.st().security.deficit(1, 1) ==
              Approx(0.5 * before).epsilon(1e-9));
    }
    SECTION("casualties cannot exceed the personnel present") {
        Run run("  - {kind: legitimacy_shock, day: 50, regions: [hasakah], delta: 0}\n");
        CHECK(run.st().security.casualties(run.st(), 1, 5000) == Approx(1000));
        CHECK(run.st().forces.strength[1][1] == 0.0);
    }
}

TEST_CASE("legitimacy_shock: L moves by delta and relaxes back unless permanent",
          "[scenario][events]") {
    CHECK(text_problems(kBase + "  - {kind: legitimacy_shock, day: 5, regions: [mosul], delta: "
                                "-0.2}\n") ==
          Strings{"t.yaml:21:48: events[0].regions[0]: no region 'mosul' (regions: hasakah, "
                  "nineveh)"});
    Run run("  - {kind: legitimacy_shock, day: 2, regions: [hasakah], delta: -0.2}\n"
            "  - {kind: legitimacy_shock, day: 2, regions: [nineveh], delta: -0.2, permanent: "
            "true}\n");
    run.days(2);
    const auto& rs = run.st().regions;
    const double l0 = rs.legitimacy[0], l1 = rs.legitimacy[1], b0 = rs.legitimacy_base[0],
                 b1 = rs.legitimacy_base[1];
    run.days(1);  // day 2: the shocks
    const double s0 = rs.legitimacy[0], s1 = rs.legitimacy[1];
    CHECK(rs.legitimacy[0] < l0 - 0.15);
    CHECK(rs.legitimacy[1] < l1 - 0.15);
    CHECK(rs.legitimacy_base[0] == b0);                   // transient: the baseline stays
    CHECK(rs.legitimacy_base[1] == Approx(b1 - 0.2));     // permanent: the baseline moves
    run.days(57);
    // The transient shock relaxes back up toward the old baseline; the permanent one stays at
    // its new baseline.
    CHECK(rs.legitimacy[0] > s0 + 0.05);
    CHECK(rs.legitimacy[0] < b0);
    CHECK(std::abs(rs.legitimacy[1] - s1) < 0.5 * (rs.legitimacy[0] - s0));
}

TEST_CASE("repatriation next to a site whose region does not resolve is a load error, not a crash",
          "[scenario][events]") {
    // Found by the fuzzer: the check "are all its sites in the home country?" read the region
    // of a site whose region had failed to resolve (index -1). Under the sanitizers that was
    // undefined behaviour; now the unresolved site is skipped and only its own problem reported.
    std::string text = kBase;
    const std::string site = "region: hasakah, kind: camp";
    REQUIRE(text.find(site) != std::string::npos);
    text.replace(text.find(site), site.size(), "region: hasaKah, kind: camp");
    for (const char* origin : {"iraqi", "syrian"}) {
        INFO(origin);
        const auto problems = text_problems(
            text + "  - {kind: repatriation, day: 5, origin: " + origin + ", rate_per_month: 10}\n");
        REQUIRE(problems.size() == 1);
        CHECK_THAT(problems[0], Catch::Contains("detention_sites[0].region") &&
                                    Catch::Contains("no region 'hasaKah'"));
    }
}
