#pragma once
// Movement of fighters and cells along region edges (model-spec §5.5). Implementation:
// sim/model/movement.cpp; equations in docs/model-detention.md.
//
//  - The region graph: edges with travel time (spec.edges). An edge between two countries is
//    usable only through a crossing on it (spec.crossings); shortest routes by travel time
//    (Floyd-Warshall at init) give the next hop toward any region.
//  - A trip is one edge at a time: the fighter is in_transit with Fighters::set_transit(next
//    hop, arrival day), arrival day = departure day + max(1, ceil(travel days)). On a border
//    edge it picks a crossing at departure and meets the guards on arrival (border.hpp).
//  - Cells relocate as a whole toward more attractive neighbours (lower pressure, their own
//    strength, home country; movement.def); the members re-form one cell on arrival.
//  - Escapees and releasees are sent toward a target region (escapees head for the border,
//    C06); on arrival each joins a cell with its own probability (radicalisation, C10) or
//    disengages (history released/escaped: cells.rejoin_rate_released).
//
// Contract: a fighter made in_transit by anyone must get a destination through set_transit;
// one found without a destination settles where it is in the next movement phase.
#include <array>
#include <cstdint>
#include <vector>

#include "resurgence/core/rng.hpp"
#include "resurgence/model/fighters.hpp"
#include "resurgence/scenario/spec.hpp"

namespace resurgence {

struct SimState;

// Why a fighter is travelling (what it does on arrival).
enum class TripKind : std::uint8_t {
    none,        // not travelling for this module
    relocation,  // a cell on the move: members re-form one cell at the destination
    settle,      // an escapee or releasee: joins a cell with its own probability, else disengages
};

// What sends an escapee or releasee off (the choice of target, docs/model-detention.md).
enum class Departure : std::uint8_t { escape, release };

class Movement {
  public:
    // Builds the graph and the shortest routes; reserves the per-fighter trip columns for the
    // fighters' capacity.
    void init(SimState& state);
    // Reserves the trip columns for `fighters` fighters (the fighters' capacity).
    void reserve(std::size_t fighters);
    // Phase 5: crossings' guards for the day, arrivals (border crossings, settling), then the
    // cells' relocation decisions.
    void step(SimState& state);

    // Sends a fighter that is outside any cell (status detained or disengaged, say) toward
    // `target`; it becomes in_transit (or settles at once when target is its region). On
    // arrival it joins a cell with probability `join_probability`, else disengages.
    void send(SimState& state, FighterId f, int target, float join_probability);
    // Target region of an escapee or releasee of origin `o` leaving region `from`
    // (home country first, escapees head for a border with movement.escapee_border_share).
    [[nodiscard]] int choose_target(const SimState& state, int from, Origin o, Departure why,
                                    Rng& rng);

    // ---- the graph
    [[nodiscard]] int regions() const noexcept { return regions_; }
    // Shortest travel time in days (infinity when unreachable).
    [[nodiscard]] double distance(int a, int b) const { return dist_[idx(a, b)]; }
    [[nodiscard]] int next_hop(int a, int b) const { return next_[idx(a, b)]; }
    [[nodiscard]] bool reachable(int a, int b) const { return next_[idx(a, b)] >= 0 || a == b; }
    // Travel days of the direct edge a-b (0 when there is none).
    [[nodiscard]] double edge_days(int a, int b) const { return edge_days_[idx(a, b)]; }
    // Whole days a trip over an edge takes: max(1, ceil(travel_days)).
    [[nodiscard]] static int trip_days(double travel_days) noexcept;
    // Index of the home country of an origin in spec.countries (-1 when not in the theatre):
    // the country whose name contains "iraq" for Iraqis and "syria" for Syrians.
    [[nodiscard]] int home_country(Origin o) const { return home_[static_cast<std::size_t>(o)]; }

    // ---- the rules as functions of the state (tests, docs)
    // Attractiveness A_j of region j for a fighter of origin o.
    [[nodiscard]] double attractiveness(const SimState& state, int j, Origin o) const;
    // Daily relocation hazard of a cell of origin o in region r (sum over its neighbours).
    [[nodiscard]] double relocation_hazard(const SimState& state, int r, Origin o) const;

    // ---- per-fighter trip state
    [[nodiscard]] TripKind trip(FighterId f) const;
    [[nodiscard]] int target(FighterId f) const;

    // Today's counts.
    [[nodiscard]] std::int64_t relocated_today() const noexcept { return relocated_; }
    [[nodiscard]] std::int64_t arrived_today() const noexcept { return arrived_; }
    [[nodiscard]] std::int64_t rejoined_today() const noexcept { return rejoined_; }

    void record(SimState& state) const;
    // Every fighter in transit has a destination reachable by an edge, a future arrival day,
    // and trip state; O(fighters in transit).
    void check_invariants(const SimState& state) const;

  private:
    [[nodiscard]] std::size_t idx(int a, int b) const {
        return static_cast<std::size_t>(a) * static_cast<std::size_t>(regions_) +
               static_cast<std::size_t>(b);
    }
    void begin_day(int day);
    void ensure_columns(std::size_t n);
    // Starts the hop from the fighter's region toward its target (picks the crossing).
    void depart(SimState& state, FighterId f, Rng& rng);
    void arrive(SimState& state, FighterId f);
    void settle(SimState& state, FighterId f);
    void relocate(SimState& state, int r);
    [[nodiscard]] int pick_crossing(const SimState& state, int a, int b, Rng& rng) const;

    int regions_ = 0;
    std::vector<double> dist_;       // [a * R + b] shortest travel days
    std::vector<int> next_;          // [a * R + b] next hop on a shortest route, -1 = none
    std::vector<double> edge_days_;  // [a * R + b] direct edge travel days, 0 = no edge
    std::vector<std::vector<int>> neighbours_;      // usable edges per region
    std::vector<std::vector<int>> edge_crossings_;  // [a * R + b] crossings on the edge
    std::array<int, kOrigins> home_{};
    // Per-region, per-origin daily relocation hazards and attractiveness (buffers).
    std::vector<double> attract_;  // [r * kOrigins + o]
    std::vector<double> weights_;  // scratch, size R

    // Per-fighter trip columns (index = fighter id), grown within the fighters' capacity.
    std::vector<TripKind> trip_;
    std::vector<std::int32_t> target_;
    std::vector<std::int32_t> group_;       // relocation: id of the trip's first member
    std::vector<std::uint8_t> was_active_;  // relocation: the cell's mode
    std::vector<float> join_;               // settle: probability of joining a cell
    std::vector<std::int32_t> crossing_;    // crossing of the current hop, -1 = none
    std::vector<std::int32_t> group_cell_;  // cell re-formed by the group (keyed by group)
    std::vector<std::int32_t> group_cell_day_;

    std::int64_t relocated_ = 0, arrived_ = 0, rejoined_ = 0;
    int day_ = -1;
};

}  // namespace resurgence
