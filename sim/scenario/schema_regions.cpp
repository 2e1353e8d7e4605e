// regions: and edges: (model-spec §2): the graph the theatre is built on.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "schema.hpp"

namespace resurgence::schema {
namespace {

void read_one_region(const doc::Node& item, const std::string& path, ScenarioSpec& spec,
                     doc::Problems& problems,
                     std::unordered_map<std::string, doc::Mark>& seen) {
    doc::MapReader r(item, path, problems);
    r.allow({"id", "country", "population", "terrain", "policing_difficulty", "authority",
             "legitimacy", "hardship", "grid"});
    RegionSpec region;
    region.loc = loc_of(item);
    if (auto id = identifier(r, "id", true)) {
        region.id = *id;
        const auto [it, inserted] = seen.try_emplace(*id, r.get("id")->mark);
        if (!inserted)
            r.problem("id", fmt::format("duplicate region id '{}' (first at {})", *id,
                                        where(it->second, r.get("id")->mark)));
    }
    if (auto c = identifier(r, "country", true)) region.country = *c;
    if (auto p = positive(r, "population", 1e10, "persons", true)) region.population = *p;
    if (auto t = r.choice("terrain", {"urban", "rural", "desert", "rugged", "riverine"}, false,
                          static_cast<int>(Terrain::rural)))
        region.terrain = static_cast<Terrain>(*t);
    if (auto d = r.number("policing_difficulty", 0, 1, "", false,
                          default_policing_difficulty(region.terrain)))
        region.policing_difficulty = *d;
    region.authority = r.string("authority", false, region.country + "_government")
                           .value_or(region.country + "_government");
    if (auto l = r.number("legitimacy", 0, 1, "", false, 0.5)) region.legitimacy = *l;
    if (auto h = r.number("hardship", 0, 1, "", false, 0.5)) region.hardship = *h;
    if (const doc::Node* g = r.map("grid", false)) {
        doc::MapReader gr(*g, r.path_of("grid"), problems);
        gr.allow({"width", "height"});
        const auto w = gr.integer("width", 1, 4096, true);
        const auto h = gr.integer("height", 1, 4096, true);
        if (w && h) region.grid = GridSpec{static_cast<int>(*w), static_cast<int>(*h)};
    }
    spec.regions.push_back(std::move(region));
}

void read_edges(doc::MapReader& root, ScenarioSpec& spec) {
    const doc::Node* list = root.sequence("edges", false);
    if (list == nullptr) return;
    std::map<std::pair<int, int>, doc::Mark> seen;  // unordered pair -> first mark
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const doc::Node& item = list->items[i];
        const std::string path = index_path("edges", i);
        if (!item.is_map()) {
            root.problems().add(item.mark, path,
                                fmt::format("expected a map {{from: region, to: region, "
                                            "travel_days: days}}, got {}",
                                            describe(item)));
            continue;
        }
        doc::MapReader e(item, path, root.problems());
        e.allow({"from", "to", "travel_days"});
        EdgeSpec edge;
        edge.from = region_ref(e, "from", spec, true);
        edge.to = region_ref(e, "to", spec, true);
        const auto days = positive(e, "travel_days", 365, "days", false, 1.0);
        if (edge.from < 0 || edge.to < 0 || !days) continue;
        edge.travel_days = *days;
        if (edge.from == edge.to) {
            e.problem("to", fmt::format("an edge from '{}' to itself (edges join two different "
                                        "regions)",
                                        spec.regions[static_cast<std::size_t>(edge.from)].id));
            continue;
        }
        const auto key = std::minmax(edge.from, edge.to);
        const auto [it, inserted] = seen.try_emplace({key.first, key.second}, item.mark);
        if (!inserted) {
            e.problem("to", fmt::format("duplicate edge between '{}' and '{}' (first at {}; an "
                                        "edge is usable both ways)",
                                        spec.regions[static_cast<std::size_t>(edge.from)].id,
                                        spec.regions[static_cast<std::size_t>(edge.to)].id,
                                        where(it->second, item.mark)));
            continue;
        }
        spec.edges.push_back(edge);
    }
}

}  // namespace

void read_regions(doc::MapReader& root, ScenarioSpec& spec) {
    if (const doc::Node* list = root.sequence("regions", true)) {
        if (list->items.empty())
            root.problem("regions", "a scenario needs at least one region");
        std::unordered_map<std::string, doc::Mark> seen;
        for (std::size_t i = 0; i < list->items.size(); ++i) {
            const doc::Node& item = list->items[i];
            const std::string path = index_path("regions", i);
            if (!item.is_map()) {
                root.problems().add(item.mark, path,
                                    fmt::format("expected a map {{id: …, country: …, population: "
                                                "…}}, got {}",
                                                describe(item)));
                continue;
            }
            read_one_region(item, path, spec, root.problems(), seen);
        }
    }
    // Countries in order of first appearance; regions point into the list.
    for (auto& region : spec.regions) {
        auto it = std::find(spec.countries.begin(), spec.countries.end(), region.country);
        if (it == spec.countries.end()) it = spec.countries.insert(it, region.country);
        region.country_index = static_cast<int>(it - spec.countries.begin());
    }
    read_edges(root, spec);
}

}  // namespace resurgence::schema
