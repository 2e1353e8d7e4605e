// fighters: blocks of fighters placed in regions at the start and partitioned into cells
// (model-spec §3, §5.2–5.4; F01–F04). Gated: schema_root.cpp rejects the section until fighters
// and cells are built (issue #3).
#include <fmt/format.h>

#include "schema.hpp"

namespace resurgence::schema {

void read_fighters(doc::MapReader& root, ScenarioSpec& spec) {
    const doc::Node* list = root.sequence("fighters", false);
    if (list == nullptr) return;
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const doc::Node& item = list->items[i];
        const std::string path = index_path("fighters", i);
        if (!item.is_map()) {
            root.problems().add(item.mark, path,
                                fmt::format("expected a map {{region: …, count: …}}, got {}",
                                            describe(item)));
            continue;
        }
        doc::MapReader f(item, path, root.problems());
        f.allow({"region", "count", "origin", "active_share", "mean_cell_size", "experience",
                 "funds", "leader_share"});
        FighterGroupSpec g;
        g.loc = loc_of(item);
        g.region = region_ref(f, "region", spec, true);
        if (auto c = positive(f, "count", 1e7, "fighters", true)) g.count = *c;
        if (f.has("origin")) {
            if (auto o = shares(f, "origin", kOriginNames)) g.origin_share = *o;
        }
        if (auto v = f.number("active_share", 0, 1, "", false, 0.5)) g.active_share = *v;
        if (auto v = f.number("mean_cell_size", 1, 10000, "fighters", false, 5.0)) g.mean_cell_size = *v;
        if (auto v = f.number("experience", 0, 1, "", false, 0.3)) g.experience = *v;
        if (auto v = f.number("funds", 0, 1e9, "USD per fighter", false, 0.0)) g.funds = *v;
        if (auto v = f.number("leader_share", 0, 1, "", false, 0.05)) g.leader_share = *v;
        spec.fighters.push_back(g);
    }
}

}  // namespace resurgence::schema
