// Sweep files: schema errors with positions, designs expanded into points, the seed rule,
// and parameter values checked against the base scenario.
#include <catch2/catch.hpp>
#include <unistd.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "resurgence/core/error.hpp"
#include "resurgence/sweep/sweep.hpp"

using namespace resurgence;
namespace fs = std::filesystem;

namespace {

// A folder holding a tiny base scenario, so that sweep files in it can name base: base.yaml.
fs::path fixture() {
    const fs::path d = fs::temp_directory_path() /
                        ("resurgence_sweep_spec_test_" + std::to_string(::getpid()));  // ctest runs cases in parallel
    fs::create_directories(d);
    std::ofstream(d / "base.yaml") << R"(name: tiny
start_date: 2019-02-01
horizon_days: 30
regions:
  - id: a
    country: iraq
    population: 1000
    legitimacy: 0.7
forces:
  - faction: police
    strength: {a: 20}
civilians:
  mode: mixed
  scale: 10
)";
    return d;
}

sweep::SweepSpec read(const std::string& text) {
    return sweep::read_sweep_text(text, (fixture() / "s.yaml").string());
}

std::vector<std::string> messages(const std::string& text) {
    try {
        read(text);
    } catch (const InputError& e) {
        std::vector<std::string> out;
        for (const auto& p : e.problems()) out.push_back(p.str());
        return out;
    }
    return {};
}

bool has(const std::vector<std::string>& ms, const std::string& needle) {
    for (const auto& m : ms)
        if (m.find(needle) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("a grid sweep file is read and expanded, first parameter slowest", "[sweep][spec]") {
    const auto spec = read(R"(name: g
base: base.yaml
design: grid
replications: 3
seed: 9
parameters:
  - name: civilians.k
    values: [1, 2.5]
  - name: civilians.threshold
    min: 0.1
    max: 0.3
    steps: 3
)");
    CHECK(spec.name == "g");
    CHECK(spec.base_path == fixture() / "base.yaml");
    REQUIRE(spec.parameters.size() == 2);
    CHECK(spec.parameters[1].values == std::vector<std::string>{"0.1", "0.2", "0.3"});
    const auto sw = sweep::Sweep::from_spec(spec, false);
    CHECK(sw.points() == 6);
    CHECK(sw.plans() == 18);
    CHECK(sw.value_text(0, 0) == "1");
    CHECK(sw.value_text(0, 1) == "0.1");
    CHECK(sw.value_text(2, 1) == "0.3");
    CHECK(sw.value_text(3, 0) == "2.5");
    CHECK(sw.value_text(3, 1) == "0.1");
    const auto plan = sw.plan(7);
    CHECK(plan.point == 2);
    CHECK(plan.replication == 1);
    const auto ov = sw.point_overrides(2);
    const std::vector<std::string> expected{"civilians.k=1", "civilians.threshold=0.3",
                                            fmt::format("seed={}", sweep::point_seed(9, 2))};
    CHECK(ov == expected);
}

TEST_CASE("seed rule: independent seeds per point, or one seed with common random numbers",
          "[sweep][spec]") {
    const std::string text = R"(base: base.yaml
design: list
replications: 2
seed: 5
parameters:
  - {name: civilians.k, values: [1, 2, 3]}
)";
    const auto ind = sweep::Sweep::from_spec(read(text), false);
    std::set<std::uint64_t> seeds;
    for (std::uint64_t p = 0; p < ind.points(); ++p) seeds.insert(ind.seed_of_point(p));
    CHECK(seeds.size() == 3);
    CHECK(ind.plan(0).seed == ind.plan(1).seed);  // replications of a point share the seed
    for (auto s : seeds) CHECK(s <= 0x7FFFFFFFFFFFFFFFULL);
    const auto crn = sweep::Sweep::from_spec(read(text + "common_random_numbers: true\n"), false);
    for (std::uint64_t p = 0; p < crn.points(); ++p) CHECK(crn.seed_of_point(p) == 5);
    CHECK(crn.fingerprint() != ind.fingerprint());
}

TEST_CASE("lhs, sobol and morris designs map unit coordinates onto ranges", "[sweep][spec]") {
    const auto spec = read(R"(base: base.yaml
design: lhs
samples: 40
parameters:
  - {name: civilians.k, min: 1, max: 100, scale: log}
  - {name: civilians.max_jail_term, min: 1, max: 5}
  - {name: civilians.mode, values: [mixed, grid]}
)");
    CHECK(spec.parameters[1].integer);  // from the parameter table
    const auto sw = sweep::Sweep::from_spec(spec, false);
    REQUIRE(sw.points() == 40);
    std::set<std::string> terms, modes;
    for (std::uint64_t p = 0; p < 40; ++p) {
        const double k = std::stod(sw.value_text(p, 0));
        CHECK(k >= 1);
        CHECK(k <= 100);
        terms.insert(sw.value_text(p, 1));
        modes.insert(sw.value_text(p, 2));
    }
    CHECK(terms == std::set<std::string>{"1", "2", "3", "4", "5"});
    CHECK(modes == std::set<std::string>{"mixed", "grid"});

    const auto sobol = sweep::Sweep::from_spec(read(R"(base: base.yaml
design: sobol
samples: 8
parameters:
  - {name: civilians.k, min: 0, max: 4}
  - {name: civilians.threshold, min: 0, max: 0.5}
)"),
                                               false);
    CHECK(sobol.points() == 8 * 4);
    CHECK(sobol.role_of(0) == "A");
    CHECK(sobol.role_of(1) == "B");
    CHECK(sobol.role_of(3) == "AB2");
    CHECK(sobol.group_of(5) == 1);
    // AB1 of sample 0 takes k from B and threshold from A.
    CHECK(sobol.value_text(2, 0) == sobol.value_text(1, 0));
    CHECK(sobol.value_text(2, 1) == sobol.value_text(0, 1));

    const auto morris = sweep::Sweep::from_spec(read(R"(base: base.yaml
design: morris
samples: 5
levels: 4
parameters:
  - {name: civilians.k, min: 0, max: 3}
  - {name: civilians.threshold, min: 0, max: 0.3}
)"),
                                                false);
    CHECK(morris.points() == 15);
    CHECK(morris.role_of(4) == "s1");
    for (std::uint64_t p = 0; p < 15; ++p) {
        const auto v = sw.value_text(p, 0);
        CHECK(!v.empty());
        const std::set<std::string> grid{"0", "1", "2", "3"};
        CHECK(grid.count(morris.value_text(p, 0)) == 1);
    }
    CHECK(morris.design_csv_header() ==
          "point,group,role,civilians.k,civilians.threshold,u.civilians.k,u.civilians.threshold\n");
}

TEST_CASE("sweep file problems are reported with file:line:column", "[sweep][spec]") {
    const auto ms = messages(R"(base: base.yaml
design: grd
replications: 0
colour: blue
parameters:
  - name: civilians.k
    values: [1, 1]
  - name: seed
    values: [1, 2]
  - name: civilians.threshold
    min: 0.5
    max: 0.1
  - name: civilians.vision
    values: [1]
    min: 2
)");
    CHECK(has(ms, "s.yaml:2:9: design: 'grd' is not one of: list, grid, lhs, sobol, morris"));
    CHECK(has(ms, "s.yaml:3:15: replications: 0 is below 1"));
    CHECK(has(ms, "s.yaml:4:1: colour"));
    CHECK(has(ms, "s.yaml:7:17: parameters[0].values[1]: '1' is listed twice"));
    CHECK(has(ms, "s.yaml:8:11: parameters[1].name: 'seed' cannot be swept"));
    CHECK(has(ms, "s.yaml:12:10: parameters[2].max: max (0.1) must be above min (0.5)"));
    CHECK(has(ms, "parameters[3].values: give either 'values' or a range"));
}

TEST_CASE("design rules: samples, levels, list lengths, grid values", "[sweep][spec]") {
    CHECK(has(messages("base: base.yaml\ndesign: lhs\nparameters:\n  - {name: civilians.k, min: 1, max: 2}\n"),
              "s.yaml:2:9: design: a lhs design needs 'samples'"));
    CHECK(has(messages("base: base.yaml\ndesign: grid\nparameters:\n  - {name: civilians.k, min: 1, max: 2}\n"),
              "a grid design needs the values of 'civilians.k'"));
    CHECK(has(messages("base: base.yaml\ndesign: list\nparameters:\n  - {name: civilians.k, values: [1, 2]}\n"
                       "  - {name: civilians.threshold, values: [0.1]}\n"),
              "'civilians.threshold' has 1 values, 'civilians.k' has 2"));
    CHECK(has(messages("base: base.yaml\ndesign: morris\nsamples: 4\nlevels: 3\nparameters:\n"
                       "  - {name: civilians.k, min: 1, max: 2}\n"),
              "levels must be even"));
    CHECK(has(messages("base: base.yaml\ndesign: grid\nsamples: 4\nparameters:\n"
                       "  - {name: civilians.k, values: [1]}\n"),
              "'samples' applies to lhs, sobol and morris"));
    CHECK(has(messages("base: nowhere.yaml\ndesign: grid\nparameters:\n  - {name: civilians.k, values: [1]}\n"),
              "s.yaml:1:7: base: no scenario file"));
    CHECK(has(messages("base: base.yaml\ndesign: grid\nparameters:\n  - {name: civilians.count_self, min: 0, max: 1}\n"),
              "is true or false: list its values"));
    CHECK(has(messages("base: base.yaml\ndesign: grid\nparameters:\n  - {name: civilians.mode, values: ['a,b']}\n"),
              "contains a comma"));
}

TEST_CASE("parameter values are checked against the base scenario", "[sweep][spec]") {
    const fs::path dir = fixture();
    std::ofstream(dir / "bad.yaml") << R"(base: base.yaml
design: grid
overrides: [horizon_days=20]
parameters:
  - name: civilians.k
    values: [1, 250]
  - name: civilians.nonsense
    values: [1]
  - name: regions[0].legitimacy
    min: 0.5
    max: 1.5
    steps: 3
)";
    try {
        sweep::Sweep::load((dir / "bad.yaml").string());
        FAIL("expected InputError");
    } catch (const InputError& e) {
        std::vector<std::string> ms;
        for (const auto& p : e.problems()) ms.push_back(p.str());
        INFO(e.what());
        CHECK(has(ms, "bad.yaml:6:17: parameters[0].values[1]: civilians.k=250 is rejected by the base scenario"));
        CHECK(has(ms, "bad.yaml:8:14: parameters[1].values[0]: civilians.nonsense=1 is rejected"));
        CHECK(has(ms, "parameters[2].values[2]: regions[0].legitimacy=1.5 is rejected"));
    }

    std::ofstream(dir / "good.yaml") << R"(base: base.yaml
design: grid
overrides: [horizon_days=20]
parameters:
  - {name: civilians.k, values: [1, 2]}
  - name: regions[0].legitimacy
    min: 0.5
    max: 0.9
design: lhs
)";
    // (a duplicate key is a YAML-level problem the loader's parser reports)
    CHECK_THROWS_AS(sweep::Sweep::load((dir / "good.yaml").string()), InputError);
    std::ofstream(dir / "good.yaml") << R"(base: base.yaml
design: lhs
samples: 10
overrides: [horizon_days=20]
parameters:
  - {name: civilians.k, values: [1, 2]}
  - name: regions[0].legitimacy
    min: 0.5
    max: 0.9
)";
    const auto sw = sweep::Sweep::load((dir / "good.yaml").string());
    CHECK(sw.base().name == "tiny");
    CHECK(sw.fingerprint().size() == 16);
    CHECK(sw.sweep_json().find("\"fingerprint\": \"" + sw.fingerprint() + "\"") != std::string::npos);
}
