// The schema section by section: defaults, ranges, cross references, not-built sections.
#include <catch2/catch.hpp>

#include "resurgence/scenario/events.hpp"
#include "resurgence/scenario/loader.hpp"
#include "scenario_test_util.hpp"

using namespace resurgence;
using namespace resurgence::testing;
using Strings = std::vector<std::string>;

namespace {
ScenarioSpec load(const std::string& text) { return load_scenario_text(text, "t.yaml"); }
}  // namespace

TEST_CASE("regions: ids, countries and grids", "[scenario][schema]") {
    CHECK(text_problems(kBase + "  - {id: anbar, country: iraq, population: 1}\n") ==
          Strings{"t.yaml:8:10: regions[3].id: duplicate region id 'anbar' (first at line 6)"});
    CHECK(text_problems(kBase + "  - {id: Basra, country: iraq, population: 0}\n") ==
          Strings{"t.yaml:8:10: regions[3].id: 'Basra' is not a valid name (use lowercase "
                  "letters a-z, digits and _, e.g. nineveh or iraqi_army)",
                  "t.yaml:8:44: regions[3].population: 0 is not above 0 (allowed: more than 0, "
                  "up to 10000000000 persons)"});
    CHECK(text_problems("name: x\nstart_date: 2019-02-01\nhorizon_days: 5\nregions: []\n") ==
          Strings{"t.yaml:4:10: regions: a scenario needs at least one region"});
    CHECK(text_problems(kBase + "  - {id: g, country: iraq, population: 1, grid: {width: 0}}\n") ==
          Strings{"t.yaml:8:49: regions[3].grid: missing required key 'height' (a whole "
                  "number, allowed: 1 to 4096, whole numbers)",
                  "t.yaml:8:49: regions[3].grid: a grid is only used by civilians in grid mode "
                  "(add civilians: {mode: grid})",
                  "t.yaml:8:57: regions[3].grid.width: 0 is below 1 (allowed: 1 to 4096, whole "
                  "numbers)"});
    const ScenarioSpec s = load(kBase);
    CHECK(s.countries == Strings{"iraq", "syria"});
    CHECK(s.regions[2].country_index == 1);
}

TEST_CASE("edges: references, self loops and duplicates", "[scenario][schema]") {
    CHECK(text_problems(kBase +
                        "edges:\n"
                        "  - {from: nineveh, to: anbar}\n"
                        "  - {from: anbar, to: nineveh, travel_days: 2}\n"
                        "  - {from: anbar, to: anbar}\n"
                        "  - {from: basra, to: anbar, travel_days: 0}\n"
                        "  - {from: anbar, to: deir_ez_zor, travel_days: 400}\n") ==
          Strings{"t.yaml:10:23: edges[1].to: duplicate edge between 'anbar' and 'nineveh' (first "
                  "at line 9; an edge is usable both ways)",
                  "t.yaml:11:23: edges[2].to: an edge from 'anbar' to itself (edges join two "
                  "different regions)",
                  "t.yaml:12:12: edges[3].from: no region 'basra' (regions: nineveh, anbar, "
                  "deir_ez_zor)",
                  "t.yaml:12:43: edges[3].travel_days: 0 is not above 0 (allowed: more than 0, up "
                  "to 365 days)",
                  "t.yaml:13:49: edges[4].travel_days: 400 is above 365 (allowed: more than 0, "
                  "up to 365 days)"});
    const ScenarioSpec s = load(kBase + "edges: [{from: nineveh, to: anbar}]\n");
    CHECK(s.edges[0].travel_days == 1);
}

TEST_CASE("forces: factions, strength, allocation", "[scenario][schema]") {
    CHECK(text_problems(kBase +
                        "forces:\n"
                        "  - {faction: sdf, strength: {deir_ez_zor: 9000}}\n"
                        "  - {faction: sdf, allocation: {patrol: 0.5, guard: 0.5, guards: 0}}\n"
                        "  - {faction: pmf, isr: -1, intelligence: 2}\n") ==
          Strings{"t.yaml:10:15: forces[1].faction: duplicate faction 'sdf' (first at line 9); "
                  "give one entry per faction with its strength per region",
                  "t.yaml:10:58: forces[1].allocation.guards: unknown key 'guards'; did you mean "
                  "'guard'? (allowed: patrol, border, guard, front, reserve)",
                  "t.yaml:11:25: forces[2].isr: -1 is below 0 (allowed: 0 to 100)",
                  "t.yaml:11:43: forces[2].intelligence: 2 is above 1 (allowed: 0 to 1)"});
    const ScenarioSpec s = load(kBase + "forces: [{faction: sdf, allocation: {guard: 0.75, front: 0.25}}]\n");
    CHECK(s.forces[0].allocation == std::array<double, kTasks>{0, 0, 0.75, 0.25, 0});
    CHECK(s.forces[0].strength == std::vector<double>{0, 0, 0});
}

TEST_CASE("civilians: modes and the grid rules", "[scenario][schema]") {
    const ScenarioSpec s = load(kBase + "civilians: {}\n");
    CHECK(s.civilians.enabled);
    CHECK(s.civilians.mode == CivilianMode::mixed);
    CHECK(s.civilians.scale == 1);
    CHECK(s.civilians.arrest_ratio == ArrestRatio::floor);
    CHECK(s.civilians.jail_term == JailTermDraw::netlogo);
    CHECK(s.civilians.neighbourhood == Neighbourhood::von_neumann);
    CHECK(s.civilians.movement);
    CHECK(s.civilians.activation == Activation::random);
    CHECK(s.civilians.activation_block == 64);

    const std::string one = "name: g\nstart_date: 2019-02-01\nhorizon_days: 5\nregions:\n"
                            "  - {id: a, country: c, population: 200, grid: {width: 10, height: 10}}\n";
    CHECK(text_problems(one + "civilians: {mode: grid}\n") ==
          Strings{"t.yaml:5:37: regions[0].population: 200 persons at 1 per agent are 200 agents, "
                  "more than the 10 x 10 grid holds (100 cells; grid mode puts at most one agent "
                  "in a cell): lower the population, raise civilians.scale or enlarge the grid"});
    CHECK(text_problems(one + "civilians: {mode: grid, scale: 2}\n").empty());
    CHECK(text_problems(one + "civilians: {mode: mixed, neighbourhood: hex}\n") ==
          Strings{"t.yaml:5:48: regions[0].grid: a grid is only used when civilians.mode is grid "
                  "(it is mixed here)",
                  "t.yaml:6:41: civilians.neighbourhood: 'hex' is not one of: von_neumann, "
                  "moore, disk"});
    CHECK(text_problems(one) ==
          Strings{"t.yaml:5:48: regions[0].grid: a grid is only used by civilians in grid mode "
                  "(add civilians: {mode: grid})"});
    CHECK(text_problems(kBase + "civilians: {mode: grid}\n").size() == 3);  // each region
    const ScenarioSpec b = load(one + "civilians: {mode: grid, scale: 2, activation: blocks, "
                                      "activation_block: 5}\n");
    CHECK(b.civilians.activation == Activation::blocks);
    CHECK(b.civilians.activation_block == 5);
    CHECK(text_problems(one + "civilians: {mode: grid, scale: 2, activation: tiles, "
                              "activation_block: 0}\n") ==
          Strings{"t.yaml:6:47: civilians.activation: 'tiles' is not one of: random, blocks",
                  "t.yaml:6:72: civilians.activation_block: 0 is below 1 (allowed: 1 to 65535, "
                  "whole numbers)"});
}

TEST_CASE("parameters: groups, names, kinds", "[scenario][schema]") {
    const ScenarioSpec s = load(kBase + "parameters:\n  civilians: {vision: 3, k: 1e-1}\n");
    CHECK(s.params[P::civ_vision] == 3);
    CHECK(s.params[P::civ_k] == 0.1);
    CHECK(text_problems(kBase + "parameters:\n  civilian: {k: 1}\n  civilians: {vision: 2.5, k: "
                                "high}\n  legitimacy: 3\n") ==
          Strings{"t.yaml:9:3: parameters.civilian: unknown parameter group 'civilian'; did you "
                  "mean 'civilians'? (groups: " + parameter_groups() +
                      "; `resurgence params` lists every parameter)",
                  "t.yaml:10:23: parameters.civilians.vision: 2.5 is not a whole number "
                  "(allowed: 1 to 50 cells, whole numbers)",
                  "t.yaml:10:31: parameters.civilians.k: expected a number (allowed: 0 to 100), "
                  "got 'high'",
                  "t.yaml:11:15: parameters.legitimacy: expected a map of parameter: value, got "
                  "'3'"});
}

TEST_CASE("resurgence and outputs", "[scenario][schema]") {
    const ScenarioSpec s = load(kBase + "resurgence: {attacks_per_30_days: 60, country: syria}\n"
                                        "outputs: {timeseries: false, cell_sizes: true}\n");
    CHECK(s.resurgence.attacks_per_30_days == 60);
    CHECK(s.resurgence.country == 1);
    CHECK_FALSE(s.outputs.timeseries);
    CHECK(s.outputs.cell_sizes);
    CHECK(s.outputs.dir == "results/base");
    CHECK(text_problems(kBase + "resurgence: {country: iraqq, attacks_per_30_days: -1}\n") ==
          Strings{"t.yaml:8:23: resurgence.country: no country 'iraqq'; did you mean 'iraq'? "
                  "(countries in regions: iraq, syria)",
                  "t.yaml:8:51: resurgence.attacks_per_30_days: -1 is below 0 (allowed: 0 to "
                  "1000000000 attacks)"});
}

TEST_CASE("resurgence: the day the count starts, as a day or a date", "[scenario][schema]") {
    CHECK(load(kBase).resurgence.from_day == 0);
    CHECK(load(kBase + "resurgence: {attacks_per_30_days: 60, from_day: 40}\n").resurgence.from_day == 40);
    CHECK(load(kBase + "resurgence: {from_date: 2019-03-08}\n").resurgence.from_day == 35);
    CHECK(text_problems(kBase + "resurgence: {from_day: 3, from_date: 2019-03-08}\n") ==
          Strings{"t.yaml:8:38: resurgence.from_date: give either from_day or from_date, not both"});
    CHECK(text_problems(kBase + "resurgence: {from_day: 100}\n") ==
          Strings{"t.yaml:8:24: resurgence.from_day: 100 is above 99 (allowed: 0 to 99, "
                  "whole numbers)"});
    CHECK(text_problems(kBase + "resurgence: {from_date: 2019-05-12}\n") ==
          Strings{"t.yaml:8:25: resurgence.from_date: 2019-05-12 is outside the run (allowed: "
                  "2019-02-01 to 2019-05-11, the start_date plus horizon_days)"});
    CHECK(text_problems(kBase + "resurgence: {from_date: 2019-02-30}\n") ==
          Strings{"t.yaml:8:25: resurgence.from_date: '2019-02-30' is not a valid date (expected "
                  "YYYY-MM-DD, e.g. 2019-10-09)"});
}

TEST_CASE("events: kinds, days, dates, references", "[scenario][schema][events]") {
    const std::string forces = "forces: [{faction: us_coalition, strength: {anbar: 2000}}]\n";
    const ScenarioSpec s = load(kBase + forces +
                                "events:\n"
                                "  - {kind: legitimacy_shock, day: 50, delta: -0.1}\n"
                                "  - {kind: legitimacy_shock, date: 2019-02-11, delta: 0.1, "
                                "note: early}\n"
                                "  - {kind: force_change, day: 50, faction: us_coalition, "
                                "fraction: 0}\n");
    REQUIRE(s.events.size() == 3);
    CHECK(s.events[0]->day() == 10);
    CHECK(s.events[1]->kind() == "legitimacy_shock");  // stable among equal days
    CHECK(s.events[2]->kind() == "force_change");
    CHECK(s.events[0]->loc().line == 11);

    CHECK(text_problems(kBase + forces +
                        "events:\n"
                        "  - {kind: legitimacy_shock, day: 100, delta: 0.1}\n"
                        "  - {kind: legitimacy_shock, date: 2019-05-12, delta: 0.1}\n"
                        "  - {kind: legitimacy_shock, day: 1, date: 2019-02-02, delta: 0.1}\n"
                        "  - {kind: legitimacy_shock, delta: 0.1}\n"
                        "  - {kind: legitimacy_shock, date: 2019-13-01, delta: 0.1}\n"
                        "  - {kind: legitimacy_shock, day: 2, regions: [ninevah], delta: 0.1}\n"
                        "  - {kind: force_change, day: 3, faction: pmf, fraction: 0}\n"
                        "  - {kind: legitimacy_shok, day: 2}\n"
                        "  - {day: 2}\n"
                        "  - reallocate\n") ==
          Strings{
              "t.yaml:10:35: events[0].day: 100 is above 99 (allowed: 0 to 99, whole numbers)",
              "t.yaml:11:36: events[1].date: 2019-05-12 is outside the run (allowed: 2019-02-01 "
              "to 2019-05-11, the start_date plus horizon_days)",
              "t.yaml:12:44: events[2].date: give either day or date, not both",
              "t.yaml:13:5: events[3]: missing required key 'day' (0 to 99) or 'date' "
              "(2019-02-01 to 2019-05-11)",
              "t.yaml:14:36: events[4].date: '2019-13-01' is not a valid date (expected "
              "YYYY-MM-DD, e.g. 2019-10-09)",
              "t.yaml:15:48: events[5].regions[0]: no region 'ninevah' (regions: nineveh, anbar, "
              "deir_ez_zor)",
              "t.yaml:16:43: events[6].faction: no force with faction 'pmf' (forces: "
              "us_coalition)",
              "t.yaml:17:12: events[7].kind: unknown event kind 'legitimacy_shok'; did you mean "
              "'legitimacy_shock'? (kinds: " + event_kind_names() + ")",
              "t.yaml:18:5: events[8]: missing required key 'kind' (text)",
              "t.yaml:19:5: events[9]: expected a map {kind: …, day: … or date: …}, got "
              "'reallocate'",
          });
}

TEST_CASE("sections not built yet are rejected with their mechanism", "[scenario][schema]") {
    // Driven by the section table: a section switched on later drops out of this test.
    for (const auto& s : schema::sections()) {
        if (s.not_built.empty()) continue;
        for (const auto key : s.keys) {
            const std::string k(key);
            CHECK(text_problems(kBase + k + ": []\n") ==
                  Strings{"t.yaml:8:1: " + k + ": '" + k + "' " + std::string(s.not_built)});
        }
    }
    for (const auto& k : event_kinds())
        if (k.parse == nullptr)
            CHECK(text_problems(kBase + "events: [{kind: " + std::string(k.name) + ", day: 1}]\n") ==
                  Strings{"t.yaml:8:17: events[0].kind: event kind '" + std::string(k.name) +
                          "' " + std::string(k.not_built)});
}

TEST_CASE("gated sections have readers ready", "[scenario][schema]") {
    // The readers behind not_built switches are tested directly, so that flipping a switch
    // turns on code that already works.
    const std::string text = kBase +
                             "edges: [{from: anbar, to: deir_ez_zor}]\n"
                             "forces: [{faction: sdf, strength: {deir_ez_zor: 100}}]\n"
                             "fighters:\n"
                             "  - {region: anbar, count: 500, origin: {iraqi: 0.8, syrian: 0.2}}\n"
                             "detention_sites:\n"
                             "  - id: al_hol\n"
                             "    region: deir_ez_zor\n"
                             "    kind: camp\n"
                             "    capacity: 10000\n"
                             "    detainees: {syrian: 2000, foreign_european: 800}\n"
                             "    families: 8000\n"
                             "    guards: {sdf: 400}\n"
                             "crossings:\n"
                             "  - {id: al_qaim, from: anbar, to: deir_ez_zor, kind: official, "
                             "frontier_km: 20, base_detection: 0.3, guard_force: sdf}\n";
    const doc::Node root = parse_document(text, "t.yaml");
    doc::Problems problems;
    ScenarioSpec spec;
    doc::MapReader reader(root, "", problems);
    schema::read_header(reader, spec);
    schema::read_regions(reader, spec);
    schema::read_forces(reader, spec);
    schema::read_crossings(reader, spec);
    schema::read_sites(reader, spec);
    schema::read_fighters(reader, spec);
    CHECK(problems.empty());
    REQUIRE(spec.fighters.size() == 1);
    CHECK(spec.fighters[0].region == 1);
    CHECK(spec.fighters[0].count == 500);
    CHECK(spec.fighters[0].origin_share == std::array<double, kOrigins>{0.8, 0.2, 0, 0});
    CHECK(spec.fighters[0].mean_cell_size == 5);
    REQUIRE(spec.sites.size() == 1);
    CHECK(spec.sites[0].kind == SiteKind::camp);
    CHECK(spec.sites[0].detainees == std::array<double, kOrigins>{0, 2000, 800, 0});
    CHECK(spec.sites[0].guards == std::vector<std::pair<int, double>>{{0, 400}});
    REQUIRE(spec.crossings.size() == 1);
    CHECK(spec.crossings[0].kind == CrossingKind::official);
    CHECK(spec.crossings[0].guard_force == 0);
    CHECK(spec.crossings[0].frontier_km == 20);

    const doc::Node bad = parse_document(
        kBase + "crossings:\n  - {id: x, from: nineveh, to: anbar, frontier_km: 5}\n"
                "  - {id: y, from: nineveh, to: deir_ez_zor, frontier_km: 5, guard_force: pmf}\n",
        "t.yaml");
    doc::Problems bad_problems;
    ScenarioSpec bad_spec;
    doc::MapReader bad_reader(bad, "", bad_problems);
    schema::read_regions(bad_reader, bad_spec);
    schema::read_crossings(bad_reader, bad_spec);
    std::vector<std::string> messages;
    for (const auto& p : bad_problems.list()) messages.push_back(p.path + ": " + p.message);
    CHECK(messages == Strings{"crossings[0].to: 'nineveh' and 'anbar' are both in iraq: a crossing "
                              "joins regions of two countries",
                              "crossings[1].to: there is no edge between 'nineveh' and "
                              "'deir_ez_zor' (a crossing sits on an edge; add it to edges:)",
                              "crossings[1].guard_force: no force 'pmf' (forces: none declared)"});
}
