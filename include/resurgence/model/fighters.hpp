#pragma once
// Fighters (model-spec §3): one array per field, index = stable id (ids are never reused; the
// dead and disengaged keep theirs). Implementation: sim/model/fighters.cpp.
//
// Every fighter sits in exactly one *list* chosen by its status (and region for those at
// large), so that
//  - counts per status and per (region, status) are O(1) and always current, and the daily
//    conservation check (fighters by status add up to fighters ever created) costs nothing;
//  - a uniformly random at-large fighter of a region is O(1) (the size-proportional cell
//    sampler of coalescence-fragmentation, raids, recruitment networks);
//  - the fighters in transit, in detention or disengaged can be scanned without visiting the
//    others (movement, detention and rejoining).
// Lists: active and sleeper fighters per region (the rosters); in_transit, detained and
// disengaged fighters over all regions; the dead are only counted.
//
// Status changes go through set_status() / set_region(), which keep lists and counts current
// in O(1). Membership of cells (the cell column, member links, the active/sleeper status that
// mirrors the cell's mode) is managed by Cells (model/cells.hpp): a fighter is active or
// sleeper iff it is a member of a cell. To take a fighter out of its cell use
// Cells::leave(fighters, id, new_status); to put one back, Cells::found() or Cells::join().
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "resurgence/core/rng.hpp"
#include "resurgence/scenario/spec.hpp"

namespace resurgence {

using FighterId = std::int32_t;
inline constexpr FighterId kNoFighter = -1;

// Whether a fighter has been held and let go: released and escaped detainees rejoin at the
// higher rate cells.rejoin_rate_released (C10).
enum class DetentionHistory : std::uint8_t { none, released, escaped };

// The attributes of a fighter being created.
struct NewFighter {
    Origin origin = Origin::iraqi;
    FighterStatus status = FighterStatus::sleeper;  // active/sleeper only through Cells
    int region = 0;
    float experience = 0;
    bool leader = false;
    float funds = 0;  // USD carried
};

class Fighters {
public:
    // Sizes the per-region lists and reserves room for `capacity` fighters (so that creating
    // up to that many does not allocate). Exceeding it only costs an amortised reallocation.
    void init(int regions, std::size_t capacity);
    void reserve(std::size_t capacity);

    // Creates a fighter; O(1). Use status in_transit, detained, disengaged or dead here; active
    // and sleeper fighters are created by Cells (which gives them a cell).
    FighterId add(const NewFighter& f);

    [[nodiscard]] std::size_t size() const noexcept { return status_.size(); }  // ever created
    [[nodiscard]] std::size_t capacity() const noexcept { return status_.capacity(); }
    [[nodiscard]] int regions() const noexcept { return regions_; }

    // ---- columns
    [[nodiscard]] Origin origin(FighterId i) const { return origin_[at(i)]; }
    [[nodiscard]] FighterStatus status(FighterId i) const { return status_[at(i)]; }
    [[nodiscard]] int region(FighterId i) const { return region_[at(i)]; }
    [[nodiscard]] int cell(FighterId i) const { return cell_[at(i)]; }  // -1 = none
    [[nodiscard]] float experience(FighterId i) const { return experience_[at(i)]; }
    [[nodiscard]] bool leader(FighterId i) const { return leader_[at(i)] != 0; }
    [[nodiscard]] float funds(FighterId i) const { return funds_[at(i)]; }
    // Detention site index (issue 4), -1 = none or not yet assigned.
    [[nodiscard]] int site(FighterId i) const { return site_[at(i)]; }
    // Transit: destination region and the day of arrival (-1 when not in transit).
    [[nodiscard]] int destination(FighterId i) const { return destination_[at(i)]; }
    [[nodiscard]] int arrival_day(FighterId i) const { return arrival_day_[at(i)]; }
    [[nodiscard]] DetentionHistory history(FighterId i) const { return history_[at(i)]; }

    // Setters of plain attributes. Experience and leadership of a cell member go through
    // Cells (which keeps per-cell sums); these are for fighters outside cells.
    void set_funds(FighterId i, float usd) { funds_[at(i)] = usd; }
    void set_site(FighterId i, int site) { site_[at(i)] = site; }
    void set_transit(FighterId i, int destination, int arrival_day) {
        destination_[at(i)] = destination;
        arrival_day_[at(i)] = arrival_day;
    }
    void set_history(FighterId i, DetentionHistory h) { history_[at(i)] = h; }
    void set_experience(FighterId i, float e);  // throws if the fighter is in a cell
    void set_leader(FighterId i, bool leader);   // throws if the fighter is in a cell

    // ---- status and region (O(1); lists and counts follow)
    // For fighters outside cells: in_transit, detained, disengaged, dead. Throws
    // InvariantViolation for active/sleeper (use Cells) or for a fighter still in a cell.
    void set_status(FighterId i, FighterStatus s);
    // Moves a fighter that is not in a cell to another region (arrival, transfer).
    void set_region(FighterId i, int region);

    // ---- counts and lists
    [[nodiscard]] std::int64_t count(FighterStatus s) const noexcept {
        return by_status_[static_cast<std::size_t>(s)];
    }
    [[nodiscard]] std::int64_t count(int region, FighterStatus s) const noexcept {
        return by_region_[static_cast<std::size_t>(region) * kFighterStatuses +
                          static_cast<std::size_t>(s)];
    }
    // Active + sleeper in the region (members of its cells).
    [[nodiscard]] std::int64_t at_large(int region) const noexcept {
        return count(region, FighterStatus::active) + count(region, FighterStatus::sleeper);
    }
    // Active or sleeper fighters of a region (the rosters), in no particular order.
    [[nodiscard]] std::span<const FighterId> roster(int region, FighterStatus s) const;
    // In-transit, detained or disengaged fighters (all regions), in no particular order. The
    // list changes when a status changes: to change statuses while scanning, walk it from the
    // back (a removal swaps the last entry into the hole).
    [[nodiscard]] std::span<const FighterId> listed(FighterStatus s) const;
    // A uniformly random active or sleeper fighter of the region; kNoFighter when none.
    [[nodiscard]] FighterId random_at_large(int region, Rng& rng) const;
    // A uniformly random fighter of one roster; kNoFighter when empty.
    [[nodiscard]] FighterId random_in(int region, FighterStatus s, Rng& rng) const;

    // Recounts every list and status from the columns. Throws InvariantViolation naming the
    // first mismatch. O(fighters).
    void check_invariants() const;

private:
    friend class Cells;  // cell membership: cell column, member links, active <-> sleeper

    [[nodiscard]] static std::size_t at(FighterId i) { return static_cast<std::size_t>(i); }
    [[nodiscard]] int list_of(FighterStatus s, int region) const noexcept;
    void list_insert(FighterId i, int list);
    void list_remove(FighterId i);
    // Status change without the cell checks (Cells uses it).
    void move(FighterId i, FighterStatus s, int region);

    int regions_ = 0;
    // Columns (index = id).
    std::vector<Origin> origin_;
    std::vector<FighterStatus> status_;
    std::vector<std::int32_t> region_;
    std::vector<std::int32_t> cell_;
    std::vector<float> experience_;
    std::vector<std::uint8_t> leader_;
    std::vector<float> funds_;
    std::vector<std::int32_t> site_;
    std::vector<std::int32_t> destination_;
    std::vector<std::int32_t> arrival_day_;
    std::vector<DetentionHistory> history_;
    std::vector<FighterId> next_;  // member links of the fighter's cell (Cells)
    std::vector<FighterId> prev_;
    std::vector<std::int32_t> pos_;  // position in its list, -1 for the dead

    // Lists: [2 r] active of region r, [2 r + 1] sleeper of region r, then in_transit,
    // detained, disengaged.
    std::vector<std::vector<FighterId>> lists_;
    std::array<std::int64_t, kFighterStatuses> by_status_{};
    std::vector<std::int64_t> by_region_;  // [region * statuses + status]
    mutable std::vector<std::int64_t> recount_;  // check_invariants' buffer
};

}  // namespace resurgence
