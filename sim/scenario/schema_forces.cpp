// forces: the security forces (model-spec §3): strength per region, allocation across tasks,
// intelligence, and the counter-insurgency capacities ISR and air strikes (§5.7).
#include <fmt/format.h>

#include <unordered_map>

#include "schema.hpp"

namespace resurgence::schema {
namespace {

void read_strength(doc::MapReader& f, ScenarioSpec& spec, ForceSpec& force) {
    force.strength.assign(spec.regions.size(), 0.0);
    const doc::Node* node = f.map("strength", false);
    if (node == nullptr) return;
    doc::MapReader s(*node, f.path_of("strength"), f.problems());
    for (const auto& [key, value] : node->entries) {
        (void)value;
        const int r = region_ref_at(key, s.path_of(key.scalar), spec, f.problems());
        const auto personnel = s.number(key.scalar, 0, 1e7, "personnel", true);
        if (r < 0 || !personnel) continue;
        force.strength[static_cast<std::size_t>(r)] = *personnel;
    }
}

}  // namespace

void read_forces(doc::MapReader& root, ScenarioSpec& spec) {
    const doc::Node* list = root.sequence("forces", false);
    if (list == nullptr) return;
    std::unordered_map<std::string, doc::Mark> seen;
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const doc::Node& item = list->items[i];
        const std::string path = index_path("forces", i);
        if (!item.is_map()) {
            root.problems().add(item.mark, path,
                                fmt::format("expected a map {{faction: …, strength: …}}, got {}",
                                            describe(item)));
            continue;
        }
        doc::MapReader f(item, path, root.problems());
        f.allow({"faction", "strength", "allocation", "intelligence", "replenish_per_day", "isr",
                 "air_strikes_per_day"});
        ForceSpec force;
        force.loc = loc_of(item);
        if (auto faction = identifier(f, "faction", true)) {
            force.faction = *faction;
            const auto [it, inserted] = seen.try_emplace(*faction, f.get("faction")->mark);
            if (!inserted)
                f.problem("faction", fmt::format("duplicate faction '{}' (first at {}); give one "
                                                 "entry per faction with its strength per region",
                                                 *faction, where(it->second, f.get("faction")->mark)));
        }
        read_strength(f, spec, force);
        if (f.has("allocation")) {
            if (auto a = shares(f, "allocation", kTaskNames)) force.allocation = *a;
        }
        if (auto x = f.number("intelligence", 0, 1, "", false, 0.5)) force.intelligence = *x;
        if (auto x = f.number("replenish_per_day", 0, 1, "of the deficit per day", false, 0.0))
            force.replenish_per_day = *x;
        if (auto x = f.number("isr", 0, 100, "", false, 0.0)) force.isr = *x;  // §5.7
        if (auto x = f.number("air_strikes_per_day", 0, 1000, "strikes/day", false, 0.0))
            force.air_strikes_per_day = *x;
        spec.forces.push_back(std::move(force));
    }
}

}  // namespace resurgence::schema
