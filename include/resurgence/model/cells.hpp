#pragma once
// Cells (model-spec §3, §5.2-5.4): the fighters at large of each region are partitioned into
// cells, sleeper or active. Implementation: sim/model/cells.cpp (store, coalescence and
// fragmentation, sleeper/active switching, the insurgency's set-up, records and checks),
// recruitment.cpp (recruitment, disengagement, rejoining) and funds.cpp (income, spending).
// docs/model-fighters.md gives each rule with its equation.
//
// A cell is a slot of column arrays; a dead cell's slot is reused from a free list (no
// allocation in the daily loop), so a cell is named in outputs by its serial number, which is
// never reused. Members form a doubly linked list through the fighters' link columns: join,
// leave and splice are O(1), a merge relabels the smaller cell only, and a fragmentation
// visits the shattered cell's members once.
//
// Size-proportional sampling (Bohorquez et al. 2009: "a cell picked with probability
// proportional to its size") is the cell of a uniformly random fighter of the region, O(1)
// through the fighters' rosters: no scan of the cells per event.
#include <cstdint>
#include <span>
#include <vector>

#include "resurgence/core/rng.hpp"
#include "resurgence/model/fighters.hpp"
#include "resurgence/scenario/spec.hpp"

namespace resurgence {

struct SimState;

using CellId = std::int32_t;
inline constexpr CellId kNoCell = -1;

enum class CellMode : std::uint8_t { sleeper, active };

// Totals of the day's flows (reset at the start of phase 4; later phases add to them).
struct CellFlows {
    std::int64_t recruits = 0;
    std::int64_t rejoined = 0;
    std::int64_t disengaged = 0;
    std::int64_t fragmentations = 0;
    std::int64_t coalescences = 0;
    double extortion = 0;  // USD
    double ransom = 0;
    double caches = 0;
    double spending = 0;
};

class Cells {
public:
    // Creates the initial fighters of spec.fighters in state.fighters and partitions each
    // group into cells of geometric sizes with the group's mean (docs/model-fighters.md).
    // Sizes the region columns this mechanism owns (pressure, split, caches).
    void init(SimState& state);
    // Phase 4: pressure, funds, coalescence and fragmentation, sleeper/active switching,
    // disengagement, rejoining and recruitment.
    void step(SimState& state);

    // ---- membership (issue 4 moves fighters through these)
    // A fighter outside any cell founds a singleton cell in its region; its status becomes
    // active or sleeper after `mode`.
    CellId found(Fighters& fighters, FighterId id, CellMode mode);
    // Creates a fighter directly into a new singleton cell.
    CellId create(Fighters& fighters, const NewFighter& f, CellMode mode);
    // A fighter outside any cell joins cell `c` (and its region and mode).
    void join(Fighters& fighters, FighterId id, CellId c);
    // Takes a member out of its cell and gives it status `to` (in_transit, detained, dead or
    // disengaged). A cell left empty dies. The fighter keeps its region.
    void leave(Fighters& fighters, FighterId id, FighterStatus to);
    // Merges two cells of one region; the larger survives (a on ties) with its mode. Returns it.
    CellId merge(Fighters& fighters, CellId a, CellId b);
    // Shatters a cell into singletons of the same mode; funds are shared equally.
    void fragment(Fighters& fighters, CellId c);
    void set_mode(Fighters& fighters, CellId c, CellMode mode);
    // Experience and leader flag of a member (keeps the cell's sums).
    void set_experience(Fighters& fighters, FighterId id, float e);
    void set_leader(Fighters& fighters, FighterId id, bool leader);

    // ---- funds (B04 hook: bribes and smuggler fees are paid through spend())
    // Pays up to `usd` from the cell's funds; returns the amount paid (counted as spending).
    double spend(CellId c, double usd);
    void add_funds(CellId c, double usd) { funds_[at(c)] += usd; }
    void add_ransom(CellId c, double usd) {
        funds_[at(c)] += usd;
        flows_.ransom += usd;
    }

    // ---- accessors
    [[nodiscard]] bool alive(CellId c) const {
        return c >= 0 && at(c) < size_.size() && size_[at(c)] > 0;
    }
    [[nodiscard]] int region(CellId c) const { return region_[at(c)]; }
    [[nodiscard]] int size(CellId c) const { return size_[at(c)]; }
    [[nodiscard]] CellMode mode(CellId c) const { return mode_[at(c)]; }
    [[nodiscard]] double funds(CellId c) const { return funds_[at(c)]; }
    [[nodiscard]] int days_since_attack(CellId c) const { return days_since_attack_[at(c)]; }
    void reset_days_since_attack(CellId c) { days_since_attack_[at(c)] = 0; }
    [[nodiscard]] int leaders(CellId c) const { return leaders_[at(c)]; }
    [[nodiscard]] double experience_mean(CellId c) const {
        return size_[at(c)] > 0 ? exp_sum_[at(c)] / size_[at(c)] : 0.0;
    }
    [[nodiscard]] std::uint64_t serial(CellId c) const { return serial_[at(c)]; }
    // Members: for (auto f = first(c); f != kNoFighter; f = next(fighters, f)).
    [[nodiscard]] FighterId first(CellId c) const { return head_[at(c)]; }
    [[nodiscard]] static FighterId next(const Fighters& fighters, FighterId f) {
        return fighters.next_[static_cast<std::size_t>(f)];
    }
    // Live cells of a region, in no particular order (changes as cells die: walk it from the
    // back when cells may die during the walk).
    [[nodiscard]] std::span<const CellId> in_region(int r) const {
        return by_region_[static_cast<std::size_t>(r)];
    }
    [[nodiscard]] std::int64_t count(int r) const {
        return static_cast<std::int64_t>(by_region_[static_cast<std::size_t>(r)].size());
    }
    [[nodiscard]] std::int64_t count_active(int r) const { return active_[static_cast<std::size_t>(r)]; }
    [[nodiscard]] std::int64_t total() const noexcept { return live_; }
    // A cell of region r picked with probability proportional to its size; kNoCell if none.
    [[nodiscard]] CellId random_by_size(const Fighters& fighters, int r, Rng& rng) const;
    // Money in caches still buried in region r (F08).
    [[nodiscard]] double caches(int r) const { return caches_[static_cast<std::size_t>(r)]; }
    [[nodiscard]] const CellFlows& flows() const noexcept { return flows_; }
    // Funds pooled in the cells of region r (scan of its cells).
    [[nodiscard]] double region_funds(int r) const;

    // ---- the rules as functions of their inputs (tests, docs)
    // nu of a cell: nu0 (1 + nu_pressure pi) (1 + nu_split split) (leaderless factor), <= 1.
    [[nodiscard]] static double fragmentation_probability(const ParamSet& p, double pressure,
                                                          double split, bool leaderless) noexcept;
    // Expected recruits per day in region r (phase 4 draws a Poisson number of them).
    [[nodiscard]] double recruitment_rate(const SimState& state, int r) const;
    // The part of recruitment_rate that does not depend on the region's fighters:
    // rho0 * supporters * margin * (1 + funds effect) * (1 + experience effect) without the
    // network term F / (F + K). Used by the mean-field check.
    [[nodiscard]] double recruitment_drive(const SimState& state, int r) const;
    // Local security pressure pi of region r as phase 4 computes it from the day's posture.
    [[nodiscard]] static double pressure(const SimState& state, int r);

    // Checks the cells against the fighters: sizes, member links, modes vs statuses, region
    // lists, sums; throws InvariantViolation. O(fighters + cells), no allocation.
    void check_invariants(const Fighters& fighters) const;

    // Phase 10 part: fighters and cells stocks, the day's flows, regions.csv and
    // cell_sizes.csv rows.
    void record(SimState& state);

private:
    [[nodiscard]] static std::size_t at(CellId c) { return static_cast<std::size_t>(c); }
    CellId new_cell(int region, CellMode mode);
    void kill_cell(CellId c);
    void link_front(Fighters& fighters, FighterId id, CellId c);
    void update_pressure(SimState& state);
    void coalesce_fragment(SimState& state);
    void switch_modes(SimState& state);
    void earn(SimState& state);       // funds.cpp
    void disengage(SimState& state);  // recruitment.cpp
    void rejoin(SimState& state);     // recruitment.cpp
    void recruit(SimState& state);    // recruitment.cpp
    [[nodiscard]] Origin local_origin(int region) const;

    // Cell columns (index = slot).
    std::vector<std::int32_t> region_;
    std::vector<std::int32_t> size_;
    std::vector<FighterId> head_;
    std::vector<CellMode> mode_;
    std::vector<double> funds_;
    std::vector<double> exp_sum_;
    std::vector<std::int32_t> leaders_;
    std::vector<std::int32_t> days_since_attack_;
    std::vector<std::int32_t> slot_;  // position in by_region_[region]
    std::vector<std::uint64_t> serial_;
    std::vector<CellId> free_;
    std::uint64_t next_serial_ = 0;
    std::int64_t live_ = 0;

    std::vector<std::vector<CellId>> by_region_;
    std::vector<std::int64_t> active_;  // active cells per region
    std::vector<double> caches_;        // USD per region
    std::vector<Origin> origin_of_region_;  // origin of local recruits
    std::vector<std::int32_t> sizes_;   // record() buffer (cell_sizes.csv)
    mutable std::vector<std::int64_t> recount_;  // check_invariants() buffer
    CellFlows flows_;
};

// ---- the insurgency as a whole (fighters, cells, attacks, counter-insurgency): the hooks
// Simulation calls. Implemented in cells.cpp.
void init_insurgency(SimState& state);         // after the first security posture
void record_insurgency(SimState& state);       // phase 10
void check_insurgency(const SimState& state);  // conservation and ranges, every day

}  // namespace resurgence
