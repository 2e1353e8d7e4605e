// civilians: the Epstein-style population (model-spec §5.1), mixed or on per-region grids.
#include <fmt/format.h>

#include <cmath>

#include "schema.hpp"

namespace resurgence::schema {
namespace {

// Grids and civilians.mode must agree, and in grid mode every agent needs a cell of its own.
void check_grids(doc::MapReader& root, const ScenarioSpec& spec) {
    const doc::Node* regions = root.get("regions");
    if (regions == nullptr || !regions->is_sequence()) return;
    const bool grid_mode = spec.civilians.enabled && spec.civilians.mode == CivilianMode::grid;
    for (std::size_t i = 0; i < regions->items.size(); ++i) {
        const doc::Node& item = regions->items[i];
        if (!item.is_map()) continue;
        const std::string path = index_path("regions", i);
        const doc::Node* id = item.find("id");
        const int r = id != nullptr && id->is_scalar() ? spec.region_index(id->scalar) : -1;
        const RegionSpec* region = r >= 0 ? &spec.regions[static_cast<std::size_t>(r)] : nullptr;
        const doc::Node* grid = item.find("grid");
        if (grid_mode && grid == nullptr) {
            root.problems().add(item.mark, path,
                                "civilians.mode is grid, so every region needs a grid: {width: "
                                "…, height: …}");
        } else if (!grid_mode && grid != nullptr) {
            root.problems().add(grid->mark, key_path(path, "grid"),
                                spec.civilians.enabled
                                    ? "a grid is only used when civilians.mode is grid (it is "
                                      "mixed here)"
                                    : "a grid is only used by civilians in grid mode (add "
                                      "civilians: {mode: grid})");
        } else if (grid_mode && region != nullptr && region->grid) {
            const double cells = static_cast<double>(region->grid->width) * region->grid->height;
            // As the engine counts them (docs/epstein.md): round(population / scale) agents.
            const double agents = std::round(region->population / spec.civilians.scale);
            if (agents > cells) {
                const doc::Node* pop = item.find("population");
                root.problems().add(
                    pop != nullptr ? pop->mark : item.mark, key_path(path, "population"),
                    fmt::format("{} persons at {} per agent are {} agents, more than the {} x {} "
                                "grid holds ({} cells; grid mode puts at most one agent in a "
                                "cell): lower the population, raise civilians.scale or enlarge "
                                "the grid",
                                format_number(region->population),
                                format_number(spec.civilians.scale), format_number(agents),
                                region->grid->width, region->grid->height, format_number(cells)));
            }
        }
    }
}

}  // namespace

void read_civilians(doc::MapReader& root, ScenarioSpec& spec) {
    if (root.has("civilians")) {
        if (const doc::Node* node = root.map("civilians", false)) {
            auto& civ = spec.civilians;
            civ.enabled = true;
            doc::MapReader c(*node, "civilians", root.problems());
            c.allow({"mode", "scale", "arrest_ratio", "jail_term", "neighbourhood", "movement",
                     "activation", "activation_block"});
            if (auto m = c.choice("mode", {"mixed", "grid"}, false, 0))
                civ.mode = static_cast<CivilianMode>(*m);
            if (auto s = c.number("scale", 1, 1e9, "persons per agent", false, 1.0)) civ.scale = *s;
            if (auto a = c.choice("arrest_ratio", {"floor", "round", "exact"}, false, 0))
                civ.arrest_ratio = static_cast<ArrestRatio>(*a);
            if (auto j = c.choice("jail_term", {"netlogo", "mesa", "epstein"}, false, 0))
                civ.jail_term = static_cast<JailTermDraw>(*j);
            if (auto n = c.choice("neighbourhood", {"von_neumann", "moore", "disk"}, false, 0))
                civ.neighbourhood = static_cast<Neighbourhood>(*n);
            if (auto mv = c.boolean("movement", false, true)) civ.movement = *mv;
            if (auto a = c.choice("activation", {"random", "blocks"}, false, 0))
                civ.activation = static_cast<Activation>(*a);
            if (auto b = c.integer("activation_block", 1, 65535, false))
                civ.activation_block = static_cast<int>(*b);
        }
    }
    check_grids(root, spec);
}

}  // namespace resurgence::schema
