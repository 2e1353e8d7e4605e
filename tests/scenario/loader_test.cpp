// Loading scenario files: good fixtures with their values and defaults, every class of bad
// input with the exact `file:line:column: path: message`, YAML pitfalls, includes, hashing.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "resurgence/scenario/events.hpp"
#include "resurgence/scenario/loader.hpp"
#include "scenario_test_util.hpp"

using namespace resurgence;
using namespace resurgence::testing;
using Strings = std::vector<std::string>;

namespace {
std::string fnv1a_hex(const std::string& bytes) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : bytes) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return hex;
}
}  // namespace

TEST_CASE("minimal scenario loads with every default", "[scenario][loader]") {
    const ScenarioSpec s = load_scenario(data_path("good/minimal.yaml"));
    CHECK(s.name == "minimal");
    CHECK(s.file == data_path("good/minimal.yaml"));
    CHECK(s.file_hash.size() == 16);
    CHECK(s.start == Date{2019, 2, 1});
    CHECK(s.horizon_days == 30);
    CHECK(s.seed == 1);
    CHECK(s.replications == 1);
    CHECK(s.checks);
    REQUIRE(s.regions.size() == 1);
    const RegionSpec& r = s.regions[0];
    CHECK(r.id == "nineveh");
    CHECK(r.country == "iraq");
    CHECK(r.population == 1000);
    CHECK(r.terrain == Terrain::rural);
    CHECK(r.policing_difficulty == default_policing_difficulty(Terrain::rural));
    CHECK(r.authority == "iraq_government");
    CHECK(r.legitimacy == 0.5);
    CHECK(r.hardship == 0.5);
    CHECK_FALSE(r.grid);
    CHECK(r.loc.line == 6);
    CHECK(s.countries == Strings{"iraq"});
    CHECK(s.edges.empty());
    CHECK(s.forces.empty());
    CHECK_FALSE(s.civilians.enabled);
    CHECK(s.events.empty());
    CHECK(s.resurgence.attacks_per_30_days == 0);
    CHECK(s.resurgence.country == -1);
    CHECK(s.outputs.dir == "results/minimal");
    CHECK((s.outputs.timeseries && s.outputs.events && s.outputs.plots));
    CHECK_FALSE((s.outputs.regions || s.outputs.cell_sizes));
    for (const auto& p : parameter_table()) CHECK(s.params.is_default(p.id));
    CHECK(s.overrides.empty());
}

TEST_CASE("full scenario: every built section is read", "[scenario][loader]") {
    const ScenarioSpec s = load_scenario(data_path("good/full.yaml"));
    CHECK(s.name == "full_example");
    CHECK(s.question == "What happens when the coalition leaves Anbar?");
    CHECK(s.seed == 42);
    CHECK(s.replications == 8);
    CHECK_FALSE(s.checks);
    CHECK(s.countries == Strings{"iraq", "syria"});
    REQUIRE(s.regions.size() == 3);
    CHECK(s.regions[1].terrain == Terrain::desert);
    CHECK(s.regions[1].policing_difficulty == default_policing_difficulty(Terrain::desert));
    CHECK(s.regions[1].authority == "iraqi_federal");
    CHECK(s.regions[2].country_index == 1);
    CHECK(s.regions[2].policing_difficulty == 0.65);
    REQUIRE(s.edges.size() == 2);
    CHECK((s.edges[1].from == 1 && s.edges[1].to == 2 && s.edges[1].travel_days == 1.5));
    REQUIRE(s.forces.size() == 2);
    CHECK(s.forces[0].strength == std::vector<double>{20000, 15000, 0});
    CHECK(s.forces[0].allocation == std::array<double, kTasks>{0.6, 0.3, 0, 0, 0.1});
    CHECK(s.forces[0].intelligence == 0.4);
    CHECK(s.forces[0].replenish_per_day == 0.01);
    CHECK(s.forces[1].allocation == std::array<double, kTasks>{1, 0, 0, 0, 0});
    CHECK(s.civilians.enabled);
    CHECK(s.civilians.scale == 1000);
    CHECK(s.civilians.arrest_ratio == ArrestRatio::exact);
    CHECK(s.civilians.jail_term == JailTermDraw::epstein);
    CHECK(s.civilians.neighbourhood == Neighbourhood::von_neumann);
    CHECK(s.params[P::civ_k] == 2.0);
    CHECK(s.params[P::civ_max_jail_term] == 60);
    CHECK(s.params[P::leg_relaxation] == 0.02);
    CHECK(s.params.is_default(P::civ_threshold));
    CHECK(s.resurgence.attacks_per_30_days == 60);
    CHECK(s.resurgence.country == 0);
    CHECK(s.outputs.dir == "out/full");
    CHECK(s.outputs.regions);
    // Sorted by day: the force change (day 10) comes before the shock dated 2019-03-01 (day 28).
    REQUIRE(s.events.size() == 2);
    CHECK(s.events[0]->kind() == "force_change");
    CHECK(s.events[0]->day() == 10);
    CHECK(s.events[1]->kind() == "legitimacy_shock");
    CHECK(s.events[1]->day() == 28);
    CHECK(s.events[1]->loc().line == 60);
}

TEST_CASE("grid scenario (Epstein Model I) loads", "[scenario][loader]") {
    const ScenarioSpec s = load_scenario(data_path("good/epstein_grid.yaml"));
    CHECK(s.civilians.mode == CivilianMode::grid);
    REQUIRE(s.regions[0].grid);
    CHECK((s.regions[0].grid->width == 40 && s.regions[0].grid->height == 40));
    CHECK(s.forces[0].strength[0] == 64);
}

TEST_CASE("every good fixture loads", "[scenario][loader]") {
    for (const auto& entry : std::filesystem::directory_iterator(data_path("good"))) {
        if (entry.path().extension() != ".yaml") continue;
        INFO(entry.path().string());
        CHECK(file_problems("good/" + entry.path().filename().string()).empty());
    }
}

TEST_CASE("missing or unreadable file names the file", "[scenario][loader]") {
    CHECK(file_problems("no/such.yaml") ==
          Strings{"no/such.yaml: cannot read the scenario file: no such file"});
    CHECK(file_problems("good") == Strings{"good: cannot read the scenario file: it is a directory"});
}

TEST_CASE("several problems at once are all reported, in file order", "[scenario][loader]") {
    const std::string f = "bad/many_problems.yaml:";
    CHECK(file_problems("bad/many_problems.yaml") ==
          Strings{
              f + "2:7: name: 'Many Problems' is not a valid name (use lowercase letters a-z, "
                  "digits and _, e.g. nineveh or iraqi_army)",
              f + "3:13: start_date: '2019-02-30' is not a valid date (expected YYYY-MM-DD "
                  "between 1900 and 2999, e.g. 2019-02-01)",
              f + "4:15: horizon_days: 0 is below 1 (allowed: 1 to 36500, whole numbers)",
              f + "5:15: replications: expected a whole number (allowed: 1 to 1000000, whole "
                  "numbers), got 'many'",
              f + "6:1: colour: unknown key 'colour' (allowed: " + root_keys() + ")",
              f + "11:17: regions[0].legitimacy: 1.4 is above 1 (allowed: 0 to 1)",
              f + "12:14: regions[0].terrain: 'jungle' is not one of: urban, rural, desert, "
                  "rugged, riverine",
              f + "13:5: regions[1]: missing required key 'population' (a number, allowed: more "
                  "than 0, up to 10000000000 persons)",
              f + "15:5: regions[1].legitimcy: unknown key 'legitimcy'; did you mean "
                  "'legitimacy'? (allowed: id, country, population, terrain, "
                  "policing_difficulty, authority, legitimacy, hardship, grid)",
              f + "17:25: edges[0].to: no region 'ninevah'; did you mean 'nineveh'? (regions: "
                  "nineveh, anbar)",
              f + "20:25: forces[0].strength.nineveh: -5 is below 0 (allowed: 0 to 10000000 "
                  "personnel)",
              f + "20:29: forces[0].strength.basra: no region 'basra' (regions: nineveh, anbar)",
              f + "21:17: forces[0].allocation: the shares sum to 0.9 (they must sum to 1: "
                  "patrol + border + guard + front + reserve)",
              f + "22:10: forces[0].isr: -2 is below 0 (allowed: 0 to 100)",
              f + "24:14: fighters[0].region: no region 'basra' (regions: nineveh, anbar)",
              f + "24:28: fighters[0].count: 0 is not above 0 (allowed: more than 0, up to "
                  "10000000 fighters)",
              f + "26:11: events[0].kind: unknown event kind 'prison_break' (kinds: " +
                  event_kind_names() + ")",
              f + "29:15: parameters.civilians.kk: unknown parameter 'civilians.kk'; did you "
                  "mean 'k'? (civilians parameters: " + parameter_names("civilians") + ")",
              f + "29:33: parameters.civilians.threshold: 2 is above 1 (allowed: 0 to 1)",
              f + "30:3: parameters.weather: unknown parameter group 'weather' (groups: " +
                  parameter_groups() + "; `resurgence params` lists every parameter)",
          });
}

TEST_CASE("duplicate keys are errors, with the first position", "[scenario][loader][yaml]") {
    CHECK(file_problems("bad/duplicate_key.yaml") ==
          Strings{"bad/duplicate_key.yaml:8:5: regions[0].population: duplicate key "
                  "'population' (first at line 7)",
                  "bad/duplicate_key.yaml:9:1: horizon_days: duplicate key 'horizon_days' "
                  "(first at line 3)"});
    CHECK(text_problems(kBase + "outputs: {timeseries: true, timeseries: false}\n") ==
          Strings{"t.yaml:8:29: outputs.timeseries: duplicate key 'timeseries' (first at line 8)"});
    // A duplicate does not hide the other problems of the file: the first value is kept and the
    // schema is checked as well.
    CHECK(text_problems(kBase + "seed: 1\nseed: 2\nreplications: 0\n") ==
          Strings{"t.yaml:9:1: seed: duplicate key 'seed' (first at line 8)",
                  "t.yaml:10:15: replications: 0 is below 1 (allowed: 1 to 1000000, whole numbers)"});
}

TEST_CASE("an unterminated quote is caught", "[scenario][loader][yaml]") {
    CHECK(file_problems("bad/unterminated_quote.yaml") ==
          Strings{"bad/unterminated_quote.yaml:2:14: description: the quoted text starting "
                  "here is never closed: add the closing \" (without it the rest of the file "
                  "is read as text)"});
    // Closed by the next quote further down: the swallowed `key:` line gives it away.
    CHECK(text_problems(kBase + "description: \"never closed\nquestion: \"why\"\nseed: 3\n") ==
          Strings{"t.yaml:8:14: description: the quoted text starting here runs on to line 9 "
                  "and takes in 'question: ' as text; is its closing \" missing? (write text of "
                  "several lines as a block: key: |)",
                  "t.yaml:9:12: YAML syntax error: end of map not found"});
    // A legitimate multi-line quoted string is fine.
    CHECK(text_problems(kBase + "description: \"one\n  two, three\"\n").empty());
    CHECK(text_problems(kBase + "description: 'it''s fine'\nquestion: \"a \\\" b\"\n").empty());
}

TEST_CASE("YAML syntax errors carry 1-based positions and a hint", "[scenario][loader][yaml]") {
    CHECK(file_problems("bad/tabs.yaml") ==
          Strings{"bad/tabs.yaml:5:2: YAML syntax error: illegal block entry (a tab is used for "
                  "indentation here; YAML indents with spaces only)"});
    CHECK(file_problems("bad/unclosed_flow.yaml") ==
          Strings{"bad/unclosed_flow.yaml:5:1: YAML syntax error: end of sequence flow not "
                  "found; the '[' at line 4, column 10 is never closed"});
    CHECK(text_problems("a: 1\n b: 2\n") ==
          Strings{"t.yaml:2:3: YAML syntax error: illegal map value"});
    CHECK(text_problems("a: *nowhere\n") ==
          Strings{"t.yaml:1:4: YAML syntax error: the referenced anchor is not defined"});
}

TEST_CASE("one document per file", "[scenario][loader][yaml]") {
    CHECK(file_problems("bad/two_documents.yaml") ==
          Strings{"bad/two_documents.yaml:5:1: a second YAML document starts here: a scenario "
                  "file holds one document (remove the '---' line, or split the file and use "
                  "include:)"});
    CHECK(text_problems("---\n" + kBase + "...\n").empty());  // explicit markers are fine
}

TEST_CASE("alias bombs, deep nesting and recursive aliases fail cleanly", "[scenario][loader][yaml]") {
    CHECK(file_problems("bad/alias_bomb.yaml") ==
          Strings{"bad/alias_bomb.yaml:7:40: the document is too large: more than 1000000 "
                  "nodes after expanding aliases (aliases nested inside aliases multiply)"});
    CHECK(file_problems("bad/deep_nesting.yaml") ==
          Strings{"bad/deep_nesting.yaml:2:206: nesting deeper than 200 levels"});
    // Deeper than yaml-cpp's own guard, whose message would be the misleading "bad file".
    // (yaml-cpp reports an unclosed "[[" as a list holding a map, so the column varies.)
    const auto deeper = text_problems(std::string(2000, '['));
    REQUIRE(deeper.size() == 1);
    CHECK_THAT(deeper[0], Catch::Matches("t\\.yaml:1:[0-9]+: nesting deeper than 200 levels"));
    CHECK(text_problems("&a [*a]\n") ==
          Strings{"t.yaml:1:5: the alias *a refers to a node that contains it (a recursive "
                  "alias cannot be expanded)"});
    // An alias that would nest too deep once expanded.
    std::string deep = "x: &x " + std::string(150, '[') + std::string(150, ']') + "\ny: " +
                       std::string(100, '[') + "*x" + std::string(100, ']') + "\n";
    CHECK(text_problems(deep) ==
          Strings{"t.yaml:2:104: nesting deeper than 200 levels (after expanding the alias *x)"});
}

TEST_CASE("map keys must be scalars", "[scenario][loader][yaml]") {
    CHECK(text_problems("? [a, b]\n: 1\n") ==
          Strings{"t.yaml:1:3: a map key must be a plain name, not a list"});
    CHECK(text_problems("a: 1\n: 2\n") == Strings{"t.yaml:2:1: a map key must be a plain name, not empty"});
}

TEST_CASE("the document must be a map", "[scenario][loader]") {
    CHECK(text_problems("") == Strings{"t.yaml:1:1: the scenario is empty: it needs at least "
                                       "name, start_date, horizon_days and regions"});
    CHECK(text_problems("- a\n- b\n") ==
          Strings{"t.yaml:1:1: expected a map of sections (name: …, regions: …), got a list"});
}

TEST_CASE("missing required keys name the parent's position", "[scenario][loader]") {
    CHECK(text_problems("regions: [{id: x, country: y, population: 1}]\n") ==
          Strings{"t.yaml:1:1: name: missing required key 'name' (text)",
                  "t.yaml:1:1: start_date: missing required key 'start_date' (text)",
                  "t.yaml:1:1: horizon_days: missing required key 'horizon_days' (a whole number, allowed: 1 "
                  "to 36500, whole numbers)"});
    CHECK(text_problems("name: x\nstart_date: 2019-02-01\nhorizon_days: 5\n") ==
          Strings{"t.yaml:1:1: regions: missing required key 'regions' (a list of '- ' items)"});
}

TEST_CASE("wrong types say what was expected and what was found", "[scenario][loader]") {
    CHECK(text_problems(kBase + "seed: [1]\nchecks: 1\nreplications: \"4\"\n") ==
          Strings{"t.yaml:8:7: seed: expected a whole number (allowed: 0 or more, whole "
                  "numbers), got a list",
                  "t.yaml:9:9: checks: expected true or false, got '1'",
                  "t.yaml:10:15: replications: expected a whole number (allowed: 1 to 1000000, "
                  "whole numbers), got the quoted text \"4\" (remove the quotes)"});
    CHECK(text_problems(kBase + "civilians: [grid]\n") ==
          Strings{"t.yaml:8:12: civilians: expected a map of key: value lines, got a list"});
}

TEST_CASE("include: files merge under the including one", "[scenario][loader][include]") {
    const ScenarioSpec s = load_scenario(data_path("good/with_include.yaml"));
    CHECK(s.name == "with_include");
    CHECK(s.horizon_days == 180);  // the second include wins over the first
    CHECK(s.regions.size() == 2);
    CHECK(s.regions[0].loc.file == data_path("good/include/theatre.yaml"));
    CHECK(s.forces.size() == 1);
    CHECK(s.params[P::civ_k] == 2.0);             // from the include
    CHECK(s.params[P::civ_threshold] == 0.15);    // the including file wins
    CHECK(s.outputs.regions);                     // maps merge key by key
    CHECK(s.outputs.plots);
    CHECK(s.resurgence.attacks_per_30_days == 50);  // from the include
    CHECK(s.resurgence.from_day == 35);  // from_date here replaces the include's from_day
    // The hash covers every file read, in reading order.
    std::string bytes;
    for (const char* f : {"good/with_include.yaml", "good/include/theatre.yaml",
                          "good/include/calendar.yaml"}) {
        std::ifstream in(data_path(f), std::ios::binary);
        bytes += std::string((std::istreambuf_iterator<char>(in)), {});
    }
    CHECK(s.file_hash == fnv1a_hex(bytes));
}

TEST_CASE("include: cycles and missing files are problems", "[scenario][loader][include]") {
    CHECK(file_problems("bad/include_cycle.yaml") ==
          Strings{"bad/include/cycle_b.yaml:1:10: include: include cycle: bad/include_cycle.yaml "
                  "-> bad/include/cycle_b.yaml -> bad/include_cycle.yaml"});
    CHECK(file_problems("bad/include_missing.yaml") ==
          Strings{"bad/include_missing.yaml:1:10: include: cannot read the included file "
                  "'bad/include/no_such_file.yaml': no such file"});
    CHECK(text_problems(kBase + "include: {a: b}\n") ==
          Strings{"t.yaml:8:10: include: expected a file path or a list of file paths, got a map"});
}

TEST_CASE("file hash is FNV-1a 64 of the bytes read", "[scenario][loader]") {
    CHECK(fnv1a_hex("") == "cbf29ce484222325");  // the published FNV-1a 64 test vectors
    CHECK(fnv1a_hex("a") == "af63dc4c8601ec8c");
    const ScenarioSpec a = load_scenario_text(kBase, "a.yaml");
    CHECK(a.file_hash == fnv1a_hex(kBase));
    CHECK(a.file_hash == load_scenario_text(kBase, "other.yaml").file_hash);
    CHECK(a.file_hash != load_scenario_text(kBase + "# comment\n", "a.yaml").file_hash);
    std::ifstream in(data_path("good/minimal.yaml"), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    CHECK(load_scenario(data_path("good/minimal.yaml")).file_hash == fnv1a_hex(bytes));
}

TEST_CASE("the example in docs/scenario-schema.md loads", "[scenario][loader][docs]") {
    std::ifstream in(std::string(RESURGENCE_SOURCE_DIR) + "/docs/scenario-schema.md");
    REQUIRE(in);
    const std::string doc((std::istreambuf_iterator<char>(in)), {});
    const std::size_t begin = doc.find("```yaml\n");
    REQUIRE(begin != std::string::npos);
    const std::size_t end = doc.find("```\n", begin + 8);
    std::string text = doc.substr(begin + 8, end - begin - 8);
    // The example includes a shared file that is only illustrative.
    const std::size_t inc = text.find("include:");
    REQUIRE(inc != std::string::npos);
    text.erase(inc, text.find('\n', inc) + 1 - inc);
    INFO(text);
    std::vector<std::string> problems;
    try {
        const ScenarioSpec s = load_scenario_text(text, "example.yaml");
        CHECK(s.name == "us_withdrawal_anbar");
        CHECK(s.regions.size() == 3);
        CHECK(s.events.size() == 2);
    } catch (const InputError& e) {
        FAIL(e.what());
    }
}
