#pragma once
// The benchmark workloads as scenario text (internal to sim/bench; docs/performance.md).
#include <cstdint>
#include <filesystem>
#include <string>

namespace resurgence::bench::detail {

// Epstein's Model I with the parameters of Mesa's epstein_civil_violence example (citizen
// density 0.7, cop density 0.074, vision 7 on a von Neumann diamond, legitimacy 0.8, maximum jail
// term 1000 drawn 0..1000, threshold 0.1, k 2.3, round(C/A), movement on, A = 1 + other actives,
// jailed citizens keep their cell) on a `width` × `height` torus for `steps` days. `blocks` > 0:
// activation by blocks of that side (civilians.activation: blocks) instead of Mesa's
// random-sequential order.
//
// `parts` takes the model apart for the growth series (bench.hpp): without cops, without
// actives (legitimacy 1, so G = H (1 - L) = 0 and no citizen ever turns active) or without
// movement; the default is Mesa's model whole.
struct MesaParts {
    bool cops = true;
    bool actives = true;
    bool movement = true;
};
std::string epstein_mesa_text(int width, int height, int steps, int blocks = 0,
                              const MesaParts& parts = {});
// Agents on a grid of side `side`: citizens + cops at Mesa's densities.
std::int64_t epstein_mesa_agents(int side);
// The side of the square grid holding about `agents` citizens and cops at Mesa's densities.
int epstein_mesa_side(std::int64_t agents);

// `agents` civilians (one agent a person) in mixed mode in one region shaped like the theatre's
// regions (legitimacy 0.45, hardship 0.6, 3 police per 1000 residents on patrol), `days` days.
std::string civilians_mixed_text(std::int64_t agents, int days);

// The small sweep: a Latin hypercube over the Epstein reference grid (40 × 40, NetLogo's
// settings) with `points` points × 1 replication of `days` days. base_file is the path of the
// base scenario as the sweep file names it.
std::string sweep_base_text(int days);
std::string sweep_text(const std::string& base_file, int points);

// The theatre scenario: <dir>/baseline_2019.yaml if it exists, else
// <dir>/examples/iraq_syria_cells.yaml; empty when neither does. `dir` empty: ./scenarios, then
// the source tree's scenarios/.
struct TheatreFile {
    std::filesystem::path path;
    bool fallback = false;
};
TheatreFile find_theatre(const std::filesystem::path& dir);

}  // namespace resurgence::bench::detail
