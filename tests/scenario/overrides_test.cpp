// key=value overrides: paths, parameter shorthand, values, and "<override N>" positions.
#include <catch2/catch.hpp>

#include "resurgence/scenario/loader.hpp"
#include "scenario_test_util.hpp"

using namespace resurgence;
using namespace resurgence::testing;
using Strings = std::vector<std::string>;

namespace {
ScenarioSpec with(std::vector<std::string> overrides, const std::string& text = kBase) {
    return load_scenario_text(text, "t.yaml", LoadOptions{std::move(overrides)});
}
}  // namespace

TEST_CASE("overrides set paths, indices and parameters", "[scenario][overrides]") {
    const std::vector<std::string> o{"horizon_days=730", "regions[1].legitimacy=0.25",
                                     "civilians.k=3.5", "parameters.civilians.threshold=0.2",
                                     "civilians.mode=mixed", "outputs.dir = out/x y",
                                     "description=\"a \\\"quoted\\\" text\""};
    const ScenarioSpec s = with(o);
    CHECK(s.horizon_days == 730);
    CHECK(s.regions[1].legitimacy == 0.25);
    CHECK(s.params[P::civ_k] == 3.5);  // parameter shorthand
    CHECK(s.params[P::civ_threshold] == 0.2);
    CHECK(s.civilians.enabled);  // civilians.mode is a path: it creates the section
    CHECK(s.outputs.dir == "out/x y");
    CHECK(s.description == "a \"quoted\" text");
    CHECK(s.overrides == o);  // recorded verbatim for run.json
}

TEST_CASE("an override of a day in one form replaces the other form", "[scenario][overrides]") {
    CHECK(with({"resurgence.from_day=20"}, kBase + "resurgence: {from_date: 2019-03-08}\n")
              .resurgence.from_day == 20);
    CHECK(with({"resurgence.from_date=2019-02-11"}, kBase + "resurgence: {from_day: 3}\n")
              .resurgence.from_day == 10);
}

TEST_CASE("overrides take flow lists and maps", "[scenario][overrides]") {
    const ScenarioSpec s = with({"edges=[{from: nineveh, to: anbar, travel_days: 3}]",
                                 "forces=[{faction: sdf, strength: {deir_ez_zor: 100}}]"});
    REQUIRE(s.edges.size() == 1);
    CHECK(s.edges[0].travel_days == 3);
    REQUIRE(s.forces.size() == 1);
    CHECK(s.forces[0].strength == std::vector<double>{0, 0, 100});
    // A list in an override replaces the file's list.
    const ScenarioSpec r = with({"regions=[{id: solo, country: iraq, population: 5}]"});
    REQUIRE(r.regions.size() == 1);
    CHECK(r.regions[0].id == "solo");
    CHECK(r.regions[0].loc.file == "<override 1>");
    CHECK(r.regions[0].loc.column == 10);
}

TEST_CASE("override problems point into the override", "[scenario][overrides]") {
    CHECK(text_problems(kBase, {"horizon_days=abc"}) ==
          Strings{"<override 1>:1:14: horizon_days: expected a whole number (allowed: 1 to "
                  "36500, whole numbers), got 'abc'"});
    CHECK(text_problems(kBase, {"seed=1", "civilians.k=-1"}) ==
          Strings{"<override 2>:1:13: parameters.civilians.k: -1 is below 0 (allowed: 0 to "
                  "100)"});
    CHECK(text_problems(kBase, {"regions[3].legitimacy=0.3"}) ==
          Strings{"<override 1>:1:1: regions[3].legitimacy: index 3 is out of range: 'regions' "
                  "has 3 items (0 to 2)"});
    CHECK(text_problems(kBase, {"name.x=1"}) ==
          Strings{"<override 1>:1:1: name.x: cannot set 'x': 'name' is 'base', not a map"});
    CHECK(text_problems(kBase, {"horizon_days[0]=1"}) ==
          Strings{"<override 1>:1:1: horizon_days[0]: cannot use [0]: 'horizon_days' is '100', "
                  "not a list"});
    CHECK(text_problems(kBase, {"nonsense"}) ==
          Strings{"<override 1>:1:1: 'nonsense' is not key=value (e.g. horizon_days=730, "
                  "regions[0].legitimacy=0.4 or civilians.k=2.3)"});
    CHECK(text_problems(kBase, {"a[x]=1"}) ==
          Strings{"<override 1>:1:1: a[x]: an index is a whole number in brackets, e.g. "
                  "regions[0]"});
    CHECK(text_problems(kBase, {"a..b=1"}) ==
          Strings{"<override 1>:1:1: a..b: a key path is names separated by dots, each with "
                  "optional [index], e.g. regions[0].legitimacy"});
    CHECK(text_problems(kBase, {"colour=blue"}).at(0).rfind(
              "<override 1>:1:1: colour: unknown key 'colour' (allowed: name,", 0) == 0);
    CHECK(text_problems(kBase, {"seed=[1, 2"}) ==
          Strings{"<override 1>:1:6: seed: YAML syntax error: end of sequence flow not found; "
                  "the '[' at line 1, column 6 is never closed"});
    CHECK(text_problems(kBase, {"edges=[{from: nineveh, to: nineveh}]"}) ==
          Strings{"<override 1>:1:28: edges[0].to: an edge from 'nineveh' to itself (edges "
                  "join two different regions)"});
    CHECK(text_problems(kBase, {"include=x.yaml"}) ==
          Strings{"<override 1>:1:1: include: 'include' can only be used in a scenario file, "
                  "not in an override"});
}

TEST_CASE("override and file problems are reported together, sorted", "[scenario][overrides]") {
    CHECK(text_problems(kBase + "seed: -1\n", {"x=1", "y=2", "z=3", "a=4", "b=5", "c=6", "d=7",
                                               "e=8", "f=9", "horizon_days=0"}) ==
          Strings{
              "<override 1>:1:1: x: unknown key 'x' (allowed: " + root_keys() + ")",
              "<override 2>:1:1: y: unknown key 'y' (allowed: " + root_keys() + ")",
              "<override 3>:1:1: z: unknown key 'z' (allowed: " + root_keys() + ")",
              "<override 4>:1:1: a: unknown key 'a' (allowed: " + root_keys() + ")",
              "<override 5>:1:1: b: unknown key 'b' (allowed: " + root_keys() + ")",
              "<override 6>:1:1: c: unknown key 'c' (allowed: " + root_keys() + ")",
              "<override 7>:1:1: d: unknown key 'd' (allowed: " + root_keys() + ")",
              "<override 8>:1:1: e: unknown key 'e' (allowed: " + root_keys() + ")",
              "<override 9>:1:1: f: unknown key 'f' (allowed: " + root_keys() + ")",
              "<override 10>:1:14: horizon_days: 0 is below 1 (allowed: 1 to 36500, whole "
              "numbers)",
              "t.yaml:8:7: seed: -1 is below 0 (allowed: 0 or more, whole numbers)",
          });
}

TEST_CASE("a group name that is not a parameter stays a path", "[scenario][overrides]") {
    // civilians.kk is no parameter, so it is the path civilians.kk (unknown key there).
    CHECK(text_problems(kBase, {"civilians.kk=1"}) ==
          Strings{"<override 1>:1:1: civilians.kk: unknown key 'kk' (allowed: mode, scale, "
                  "arrest_ratio, jail_term, neighbourhood, movement, activation, "
                  "activation_block)"});
}
