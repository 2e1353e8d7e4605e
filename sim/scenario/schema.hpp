#pragma once
// Internal to sim/scenario: the scenario schema checker (docs/scenario-schema.md).
//
// build_spec (schema_root.cpp) walks the table returned by sections(): each top-level section
// has one reader in its own schema_<section>.cpp, which reads its keys from the root map into
// the spec and records every problem it finds (never throws). A section whose mechanism is not
// built yet keeps its reader but carries a `not_built` reason in the table, and the file is
// rejected with that reason: enabling it is a one-line change in schema_root.cpp.
//
// The helpers below are the vocabulary the readers share with doc.cpp and the loader, so that
// every message has the same shape: what was written, what is allowed, and a "did you mean".
#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "resurgence/scenario/doc.hpp"
#include "resurgence/scenario/spec.hpp"

namespace resurgence::schema {

// ---- text (schema_common.cpp)

// 1.4 -> "1.4", 36500 -> "36500", 1e6 -> "1000000": no exponent for whole numbers people type.
std::string format_number(double v);
// "a, b, c"; long lists are cut to `max_items` and end with "… (N in all)".
std::string join(const std::vector<std::string>& items, std::size_t max_items = 24);
template <class Range>
std::vector<std::string> to_strings(const Range& names) {
    std::vector<std::string> out;
    for (const auto& n : names) out.emplace_back(n);
    return out;
}
// The candidate nearest to `word` by edit distance, when it is close enough to be a typo.
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates);
// "; did you mean 'x'?" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
// How a node reads in a message: "'text'", "a map", "a list", "nothing".
std::string describe(const doc::Node& node);
// "line 12" (or "a.yaml line 12" when `at` is in another file than `from`).
std::string where(const doc::Mark& at, const doc::Mark& from);
// [a-z0-9_]+ : ids, countries, factions and scenario names.
bool is_identifier(std::string_view text) noexcept;
// "regions" + 3 -> "regions[3]"; "" + "name" -> "name"; "civilians" + "mode" -> "civilians.mode".
std::string index_path(const std::string& base, std::size_t i);
std::string key_path(const std::string& base, std::string_view key);
SourceLoc loc_of(const doc::Node& node);

// Unknown-key check behind MapReader::allow, usable with key lists built at run time.
// `unbuilt` pairs a key with the predicate of the message "'key' <reason>", e.g.
// {"isr", "belongs to counter-insurgency (model-spec §5.7), not built yet"}.
void check_keys(const doc::Node& map, const std::string& path, doc::Problems& problems,
                std::span<const std::string_view> allowed,
                std::span<const std::pair<std::string_view, std::string_view>> unbuilt = {});

// ---- typed readers beyond doc::MapReader (schema_common.cpp)

// A number strictly above 0 (and at most `hi`): populations, travel times.
std::optional<double> positive(doc::MapReader& reader, std::string_view key, double hi,
                               std::string_view unit, bool required,
                               std::optional<double> fallback = std::nullopt);
// A string matching [a-z0-9_]+.
std::optional<std::string> identifier(doc::MapReader& reader, std::string_view key, bool required);
// A region id that must name a region of spec.regions; returns its index or -1 (problem
// recorded, listing the regions).
int region_ref(doc::MapReader& reader, std::string_view key, const ScenarioSpec& spec,
               bool required);
// The same for a node that is itself the id (a map key, a list item).
int region_ref_at(const doc::Node& node, const std::string& path, const ScenarioSpec& spec,
                  doc::Problems& problems);
// "no region 'ninevah'; did you mean 'nineveh'? (regions: nineveh, anbar)"
std::string unknown_ref(std::string_view what, std::string_view plural, std::string_view name,
                        const std::vector<std::string>& known);
// A map of shares {name: fraction in [0,1]} over `names` (absent names are 0) that must sum to
// 1 within 1e-6. nullopt when anything is wrong (problems recorded).
template <std::size_t N>
std::optional<std::array<double, N>> shares(doc::MapReader& reader, std::string_view key,
                                            const std::array<std::string_view, N>& names);
std::optional<std::vector<double>> shares_dynamic(doc::MapReader& reader, std::string_view key,
                                                  std::span<const std::string_view> names);

template <std::size_t N>
std::optional<std::array<double, N>> shares(doc::MapReader& reader, std::string_view key,
                                            const std::array<std::string_view, N>& names) {
    auto v = shares_dynamic(reader, key, names);
    if (!v) return std::nullopt;
    std::array<double, N> out{};
    for (std::size_t i = 0; i < N; ++i) out[i] = (*v)[i];
    return out;
}

// Word lists in enum order (the spelling of spec.cpp's name_of).
inline constexpr std::array<std::string_view, kTerrains> kTerrainNames{"urban", "rural", "desert",
                                                                       "rugged", "riverine"};
inline constexpr std::array<std::string_view, kOrigins> kOriginNames{
    "iraqi", "syrian", "foreign_european", "foreign_other"};
inline constexpr std::array<std::string_view, kTasks> kTaskNames{"patrol", "border", "guard",
                                                                 "front", "reserve"};

// ---- days of the run (schema_timeline.cpp)

// Whether the header's start_date / horizon_days parsed: when not, the header reader has
// reported it and days of the run skip their range checks.
bool header_ok(const doc::MapReader& root, std::string_view key);

// A day of the run given either as a 0-based day index under `day_key` or as a calendar date
// under `date_key` (never both), checked to lie within the run; nullopt with a problem recorded,
// or nullopt without one when neither key is there and it is not `required`.
std::optional<int> day_in_run(doc::MapReader& r, const ScenarioSpec& spec, bool start_ok,
                              bool horizon_ok, std::string_view day_key,
                              std::string_view date_key, bool required);

// ---- sections

using SectionReader = void (*)(doc::MapReader& root, ScenarioSpec& spec);

struct Section {
    std::span<const std::string_view> keys;  // the top-level keys this section owns
    SectionReader read;
    // Empty: built. Otherwise the predicate of "'key' <not_built>", and the section is
    // rejected without being read.
    std::string_view not_built;
};

// Every section in reading order: later readers may use what earlier ones resolved (events
// come last and see regions, forces, sites and crossings).
std::span<const Section> sections() noexcept;

void read_header(doc::MapReader& root, ScenarioSpec& spec);       // schema_root.cpp
void read_regions(doc::MapReader& root, ScenarioSpec& spec);      // schema_regions.cpp (+ edges)
void read_forces(doc::MapReader& root, ScenarioSpec& spec);       // schema_forces.cpp
void read_crossings(doc::MapReader& root, ScenarioSpec& spec);    // schema_crossings.cpp
void read_sites(doc::MapReader& root, ScenarioSpec& spec);        // schema_sites.cpp
void read_fighters(doc::MapReader& root, ScenarioSpec& spec);     // schema_fighters.cpp
void read_civilians(doc::MapReader& root, ScenarioSpec& spec);    // schema_civilians.cpp
void read_parameters(doc::MapReader& root, ScenarioSpec& spec);   // schema_parameters.cpp
void read_resurgence(doc::MapReader& root, ScenarioSpec& spec);   // schema_outputs.cpp
void read_outputs(doc::MapReader& root, ScenarioSpec& spec);      // schema_outputs.cpp
void read_timeline(doc::MapReader& root, ScenarioSpec& spec);     // schema_timeline.cpp

}  // namespace resurgence::schema
