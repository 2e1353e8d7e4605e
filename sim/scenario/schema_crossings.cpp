// crossings: border crossings on edges between countries (model-spec §2 and §5.5;
// docs/model-detention.md). An edge between two countries with no crossing is closed.
//
//   crossings:
//     - id: al_qaim
//       from: deir_ez_zor
//       to: anbar                  # an edge of another country
//       kind: smuggling_route      # official | open_desert (default) | tunnel | smuggling_route
//       frontier_km: 300           # frontier it covers (B02)
//       base_detection: 0.05       # per attempt with no guards
//       smuggler_fee: 2000         # USD per person (B04)
//       guard_force: iraqi_army    # its border task guards the crossing
#include <fmt/format.h>

#include <unordered_map>

#include "schema.hpp"

namespace resurgence::schema {

void read_crossings(doc::MapReader& root, ScenarioSpec& spec) {
    const doc::Node* list = root.sequence("crossings", false);
    if (list == nullptr) return;
    std::unordered_map<std::string, doc::Mark> seen;
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const doc::Node& item = list->items[i];
        const std::string path = index_path("crossings", i);
        if (!item.is_map()) {
            root.problems().add(item.mark, path,
                                fmt::format("expected a map {{id: …, from: …, to: …}}, got {}",
                                            describe(item)));
            continue;
        }
        doc::MapReader c(item, path, root.problems());
        c.allow({"id", "from", "to", "kind", "frontier_km", "base_detection", "smuggler_fee",
                 "guard_force"});
        CrossingSpec x;
        x.loc = loc_of(item);
        if (auto id = identifier(c, "id", true)) {
            x.id = *id;
            const auto [it, inserted] = seen.try_emplace(*id, c.get("id")->mark);
            if (!inserted)
                c.problem("id", fmt::format("duplicate crossing id '{}' (first at {})", *id,
                                            where(it->second, c.get("id")->mark)));
        }
        x.from = region_ref(c, "from", spec, true);
        x.to = region_ref(c, "to", spec, true);
        if (x.from >= 0 && x.to >= 0) {
            const auto& a = spec.regions[static_cast<std::size_t>(x.from)];
            const auto& b = spec.regions[static_cast<std::size_t>(x.to)];
            bool joined = false;
            for (const auto& e : spec.edges)
                joined = joined || (e.from == x.from && e.to == x.to) || (e.from == x.to && e.to == x.from);
            if (a.country_index == b.country_index)
                c.problem("to", fmt::format("'{}' and '{}' are both in {}: a crossing joins regions "
                                            "of two countries",
                                            a.id, b.id, a.country));
            else if (!joined)
                c.problem("to", fmt::format("there is no edge between '{}' and '{}' (a crossing "
                                            "sits on an edge; add it to edges:)",
                                            a.id, b.id));
        }
        if (auto k = c.choice("kind", {"official", "open_desert", "tunnel", "smuggling_route"},
                              false, static_cast<int>(CrossingKind::open_desert)))
            x.kind = static_cast<CrossingKind>(*k);
        if (auto v = c.number("frontier_km", 0, 10000, "km", true)) x.frontier_km = *v;
        if (auto v = c.number("base_detection", 0, 1, "probability per attempt", false, 0.0))
            x.base_detection = *v;
        if (auto v = c.number("smuggler_fee", 0, 1e7, "USD per person", false, 0.0))
            x.smuggler_fee = *v;
        if (auto f = c.string("guard_force", false)) {
            x.guard_force = spec.force_index(*f);
            if (x.guard_force < 0) {
                std::vector<std::string> known;
                for (const auto& force : spec.forces) known.push_back(force.faction);
                c.problem("guard_force", unknown_ref("force", "forces", *f, known));
            }
        }
        spec.crossings.push_back(std::move(x));
    }
}

}  // namespace resurgence::schema
