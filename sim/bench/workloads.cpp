// The benchmark workloads as scenario text: the bench needs no files but the theatre's.
#include "workloads.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <system_error>
#include <vector>

namespace resurgence::bench::detail {

namespace {
// Mesa's epstein_civil_violence example (mesa/examples/advanced/epstein_civil_violence): each
// cell holds a citizen with probability 0.7, else a cop with probability 0.074. Here the counts
// are the expected ones, rounded (the engine places exact counts).
constexpr double kCitizenDensity = 0.7;
constexpr double kCopDensity = 0.074;
}  // namespace

std::int64_t epstein_mesa_agents(int side) {
    const double cells = static_cast<double>(side) * side;
    return std::llround(kCitizenDensity * cells) + std::llround(kCopDensity * cells);
}

int epstein_mesa_side(std::int64_t agents) {
    const double side = std::sqrt(static_cast<double>(agents) / (kCitizenDensity + kCopDensity));
    return std::max(1, static_cast<int>(std::lround(side)));
}

std::string epstein_mesa_text(int width, int height, int steps, int blocks,
                              const MesaParts& parts) {
    const double cells = static_cast<double>(width) * height;
    const auto citizens = std::llround(kCitizenDensity * cells);
    const auto cops = parts.cops ? std::llround(kCopDensity * cells) : 0;
    // Everything the engine adds to Model I is switched off (intelligence weighting, informants,
    // legitimacy relaxation, indiscriminate arrests), as in scenarios/reference/.
    return fmt::format(R"(name: epstein_mesa_{0}x{1}
description: Epstein (2002) Model I with Mesa's example parameters (bench workload)
start_date: 2002-05-14
horizon_days: {2}
seed: 1
replications: 1
regions:
  - id: torus
    country: lattice
    population: {3}
    terrain: urban
    policing_difficulty: 0
    authority: government
    legitimacy: {6}
    hardship: 0.5
    grid: {{width: {0}, height: {1}}}
forces:
  - faction: police
    strength: {{torus: {4}}}
    allocation: {{patrol: 1.0}}
    intelligence: 1.0
civilians:
  mode: grid
  scale: 1
  arrest_ratio: round
  jail_term: mesa
  neighbourhood: von_neumann
  movement: {7}{5}
parameters:
  civilians:
    k: 2.3
    threshold: 0.1
    vision: 7
    max_jail_term: 1000
    hardship_spread: 0.5
    jail_alpha: 0
    count_self: false
    intel_weight: 0
    informant_rate: 0
  legitimacy:
    relaxation: 0
  security:
    indiscriminate_rate: 0
)",
                       width, height, steps, citizens, cops,
                       blocks > 0 ? fmt::format("\n  activation: blocks\n  activation_block: {}", blocks)
                                  : std::string(),
                       parts.actives ? "0.8" : "1", parts.movement ? "true" : "false");
}

std::string civilians_mixed_text(std::int64_t agents, int days) {
    // One region like the theatre's (Nineveh: L 0.45, H 0.6), policed at 3 per 1000 residents,
    // informants at their defaults. Under floor(C/A) a region this size settles into mass
    // support within the first day (C/A < 1 once supporters outnumber the police), then the
    // daily scans see arrests (3 per 1000 a day), releases and informant churn.
    const auto police = std::max<std::int64_t>(1, agents * 3 / 1000);
    return fmt::format(R"(name: civilians_mixed_{0}
description: mixed-mode civilians, one agent a person (bench workload)
start_date: 2019-02-01
horizon_days: {1}
seed: 1
replications: 1
regions:
  - {{id: city, country: iraq, population: {0}, terrain: urban, legitimacy: 0.45, hardship: 0.6}}
forces:
  - faction: police
    strength: {{city: {2}}}
    allocation: {{patrol: 1.0}}
    intelligence: 0.5
civilians:
  mode: mixed
  scale: 1
)",
                       agents, days, police);
}

std::string sweep_base_text(int days) {
    // The Epstein reference grid (scenarios/reference/epstein_civil_violence.yaml, NetLogo's
    // settings), written out here so that the bench needs no file.
    return fmt::format(R"(name: bench_sweep_base
start_date: 2002-05-14
horizon_days: {0}
seed: 1
replications: 1
regions:
  - id: torus
    country: lattice
    population: 1120
    terrain: urban
    policing_difficulty: 0
    authority: government
    legitimacy: 0.82
    hardship: 0.5
    grid: {{width: 40, height: 40}}
forces:
  - faction: police
    strength: {{torus: 64}}
    allocation: {{patrol: 1.0}}
    intelligence: 1.0
civilians:
  mode: grid
  scale: 1
  arrest_ratio: floor
  jail_term: netlogo
  neighbourhood: disk
  movement: true
parameters:
  civilians:
    vision: 7
    max_jail_term: 30
    count_self: true
    intel_weight: 0
    informant_rate: 0
  legitimacy:
    relaxation: 0
  security:
    indiscriminate_rate: 0
outputs:
  plots: false
)",
                       days);
}

std::string sweep_text(const std::string& base_file, int points) {
    return fmt::format(R"(name: bench_sweep
description: Latin hypercube over the Epstein reference grid (bench workload)
base: {0}
design: lhs
samples: {1}
replications: 1
seed: 20020514
common_random_numbers: false
parameters:
  - {{name: "regions[0].legitimacy", min: 0.6, max: 0.95}}
  - {{name: "forces[0].strength.torus", min: 20, max: 120, integer: true}}
  - {{name: civilians.k, min: 1, max: 4}}
  - {{name: civilians.threshold, min: 0, max: 0.3}}
)",
                       base_file, points);
}

TheatreFile find_theatre(const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    std::vector<fs::path> roots;
    if (!dir.empty()) {
        roots.push_back(dir);
    } else {
        roots.emplace_back("scenarios");
        roots.push_back(fs::path(RESURGENCE_SOURCE_DIR) / "scenarios");
    }
    std::error_code ec;
    for (const auto& root : roots)
        if (fs::exists(root / "baseline_2019.yaml", ec)) return {root / "baseline_2019.yaml", false};
    for (const auto& root : roots)
        if (fs::exists(root / "examples" / "iraq_syria_cells.yaml", ec))
            return {root / "examples" / "iraq_syria_cells.yaml", true};
    return {};
}

}  // namespace resurgence::bench::detail
