// build_spec and the top-level keys: which sections exist, in which order they are read, and
// which are rejected because their mechanism is not built yet.
#include <fmt/format.h>

#include <limits>

#include "resurgence/scenario/loader.hpp"
#include "schema.hpp"

namespace resurgence {
namespace schema {
namespace {

constexpr std::string_view kHeaderKeys[] = {"name",         "description", "question",
                                            "start_date",   "horizon_days", "seed",
                                            "replications", "checks"};
constexpr std::string_view kRegionKeys[] = {"regions", "edges"};
constexpr std::string_view kForceKeys[] = {"forces"};
constexpr std::string_view kCrossingKeys[] = {"crossings"};
constexpr std::string_view kSiteKeys[] = {"detention_sites"};
constexpr std::string_view kFighterKeys[] = {"fighters"};
constexpr std::string_view kCivilianKeys[] = {"civilians"};
constexpr std::string_view kParameterKeys[] = {"parameters"};
constexpr std::string_view kResurgenceKeys[] = {"resurgence"};
constexpr std::string_view kOutputKeys[] = {"outputs"};
constexpr std::string_view kTimelineKeys[] = {"events"};

// Reading order matters: crossings and sites name forces, events name everything.
// To enable a section whose mechanism has landed, empty its `not_built` text (one line).
constexpr Section kSections[] = {
    {kHeaderKeys, read_header, {}},
    {kRegionKeys, read_regions, {}},
    {kForceKeys, read_forces, {}},
    {kCrossingKeys, read_crossings, {}},
    {kSiteKeys, read_sites, {}},
    {kFighterKeys, read_fighters, {}},
    {kCivilianKeys, read_civilians, {}},
    {kParameterKeys, read_parameters, {}},
    {kResurgenceKeys, read_resurgence, {}},
    {kOutputKeys, read_outputs, {}},
    {kTimelineKeys, read_timeline, {}},
};

}  // namespace

std::span<const Section> sections() noexcept { return kSections; }

void read_header(doc::MapReader& root, ScenarioSpec& spec) {
    if (auto name = identifier(root, "name", true)) spec.name = *name;
    spec.description = root.string("description", false, "").value_or("");
    spec.question = root.string("question", false, "").value_or("");
    if (auto text = root.string("start_date", true)) {
        if (auto date = Date::parse(*text)) spec.start = *date;
        else
            root.problem("start_date",
                         fmt::format("'{}' is not a valid date (expected YYYY-MM-DD between 1900 "
                                     "and 2999, e.g. 2019-02-01)",
                                     *text));
    }
    if (auto h = root.integer("horizon_days", 1, 36500, true)) spec.horizon_days = static_cast<int>(*h);
    if (auto s = root.integer("seed", 0, std::numeric_limits<long long>::max(), false, 1))
        spec.seed = static_cast<std::uint64_t>(*s);
    if (auto r = root.integer("replications", 1, 1'000'000, false, 1))
        spec.replications = static_cast<int>(*r);
    if (auto c = root.boolean("checks", false, true)) spec.checks = *c;
}

}  // namespace schema

ScenarioSpec build_spec(const doc::Node& root, const std::string& file, const std::string& hash) {
    doc::Problems problems;
    ScenarioSpec spec;
    spec.file = file;
    spec.file_hash = hash;
    if (!root.is_map()) {
        problems.add(root.mark, "",
                     root.is_null()
                         ? std::string("the scenario is empty: it needs at least name, "
                                       "start_date, horizon_days and regions")
                         : fmt::format("expected a map of sections (name: …, regions: …), got {}",
                                       schema::describe(root)));
        problems.finish();
    }
    std::vector<std::string_view> allowed;
    std::vector<std::pair<std::string_view, std::string_view>> unbuilt;
    for (const auto& s : schema::sections())
        for (const auto key : s.keys) {
            if (s.not_built.empty()) allowed.push_back(key);
            else unbuilt.emplace_back(key, s.not_built);
        }
    // The loader resolves include: in files; one that reaches here came from an override.
    unbuilt.emplace_back("include", "can only be used in a scenario file, not in an override");
    schema::check_keys(root, "", problems, allowed, unbuilt);

    doc::MapReader reader(root, "", problems);
    for (const auto& s : schema::sections())
        if (s.not_built.empty()) s.read(reader, spec);
    problems.finish();
    return spec;
}

}  // namespace resurgence
