// Fighters: column storage with O(1) status lists and counts (model/fighters.hpp).
#include "resurgence/model/fighters.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "resurgence/core/error.hpp"

namespace resurgence {

namespace {
constexpr std::size_t st(FighterStatus s) { return static_cast<std::size_t>(s); }
constexpr int kGlobalLists = 3;  // in_transit, detained, disengaged
}  // namespace

void Fighters::init(int regions, std::size_t capacity) {
    regions_ = regions;
    lists_.assign(static_cast<std::size_t>(2 * regions + kGlobalLists), {});
    by_status_.fill(0);
    by_region_.assign(static_cast<std::size_t>(regions) * kFighterStatuses, 0);
    recount_.assign(by_region_.size(), 0);
    origin_.clear();
    status_.clear();
    region_.clear();
    cell_.clear();
    experience_.clear();
    leader_.clear();
    funds_.clear();
    site_.clear();
    destination_.clear();
    arrival_day_.clear();
    history_.clear();
    next_.clear();
    prev_.clear();
    pos_.clear();
    reserve(capacity);
}

void Fighters::reserve(std::size_t capacity) {
    origin_.reserve(capacity);
    status_.reserve(capacity);
    region_.reserve(capacity);
    cell_.reserve(capacity);
    experience_.reserve(capacity);
    leader_.reserve(capacity);
    funds_.reserve(capacity);
    site_.reserve(capacity);
    destination_.reserve(capacity);
    arrival_day_.reserve(capacity);
    history_.reserve(capacity);
    next_.reserve(capacity);
    prev_.reserve(capacity);
    pos_.reserve(capacity);
    // Any list may come to hold every fighter (all of them could gather in one region), so
    // each gets the full capacity: 4 bytes x lists x capacity, a few MB for a theatre.
    for (auto& l : lists_) l.reserve(capacity);
}

int Fighters::list_of(FighterStatus s, int region) const noexcept {
    switch (s) {
        case FighterStatus::active: return 2 * region;
        case FighterStatus::sleeper: return 2 * region + 1;
        case FighterStatus::in_transit: return 2 * regions_;
        case FighterStatus::detained: return 2 * regions_ + 1;
        case FighterStatus::disengaged: return 2 * regions_ + 2;
        case FighterStatus::dead: return -1;
    }
    return -1;
}

void Fighters::list_insert(FighterId i, int list) {
    if (list < 0) {
        pos_[at(i)] = -1;
        return;
    }
    auto& l = lists_[static_cast<std::size_t>(list)];
    pos_[at(i)] = static_cast<std::int32_t>(l.size());
    l.push_back(i);
}

void Fighters::list_remove(FighterId i) {
    const int list = list_of(status_[at(i)], region_[at(i)]);
    if (list < 0) return;
    auto& l = lists_[static_cast<std::size_t>(list)];
    const auto p = static_cast<std::size_t>(pos_[at(i)]);
    const FighterId last = l.back();
    l[p] = last;
    pos_[at(last)] = static_cast<std::int32_t>(p);
    l.pop_back();
    pos_[at(i)] = -1;
}

FighterId Fighters::add(const NewFighter& f) {
    if (f.region < 0 || f.region >= regions_)
        throw InvariantViolation(fmt::format("fighters: new fighter in region {} (have {})",
                                             f.region, regions_));
    const auto id = static_cast<FighterId>(status_.size());
    origin_.push_back(f.origin);
    status_.push_back(f.status);
    region_.push_back(f.region);
    cell_.push_back(-1);
    experience_.push_back(f.experience);
    leader_.push_back(f.leader ? 1 : 0);
    funds_.push_back(f.funds);
    site_.push_back(-1);
    destination_.push_back(-1);
    arrival_day_.push_back(-1);
    history_.push_back(DetentionHistory::none);
    next_.push_back(kNoFighter);
    prev_.push_back(kNoFighter);
    pos_.push_back(-1);
    list_insert(id, list_of(f.status, f.region));
    ++by_status_[st(f.status)];
    ++by_region_[static_cast<std::size_t>(f.region) * kFighterStatuses + st(f.status)];
    return id;
}

void Fighters::move(FighterId i, FighterStatus s, int region) {
    const FighterStatus old = status_[at(i)];
    const int old_region = region_[at(i)];
    if (old == s && old_region == region) return;
    list_remove(i);
    --by_status_[st(old)];
    --by_region_[static_cast<std::size_t>(old_region) * kFighterStatuses + st(old)];
    status_[at(i)] = s;
    region_[at(i)] = region;
    ++by_status_[st(s)];
    ++by_region_[static_cast<std::size_t>(region) * kFighterStatuses + st(s)];
    list_insert(i, list_of(s, region));
}

void Fighters::set_status(FighterId i, FighterStatus s) {
    if (s == FighterStatus::active || s == FighterStatus::sleeper)
        throw InvariantViolation(fmt::format(
            "fighters: fighter {} made {} directly; active and sleeper fighters are cell members "
            "(use Cells::found or Cells::join)",
            i, name_of(s)));
    if (cell_[at(i)] >= 0)
        throw InvariantViolation(fmt::format(
            "fighters: fighter {} is still in cell {}; take it out with Cells::leave", i,
            cell_[at(i)]));
    move(i, s, region_[at(i)]);
}

void Fighters::set_region(FighterId i, int region) {
    if (region < 0 || region >= regions_)
        throw InvariantViolation(fmt::format("fighters: fighter {} moved to region {} (have {})",
                                             i, region, regions_));
    if (cell_[at(i)] >= 0)
        throw InvariantViolation(fmt::format(
            "fighters: fighter {} is in cell {}: a cell member changes region by leaving its "
            "cell first (Cells::leave)",
            i, cell_[at(i)]));
    move(i, status_[at(i)], region);
}

void Fighters::set_experience(FighterId i, float e) {
    if (cell_[at(i)] >= 0)
        throw InvariantViolation(fmt::format(
            "fighters: fighter {} is in a cell; change its experience with Cells::add_experience",
            i));
    experience_[at(i)] = e;
}

void Fighters::set_leader(FighterId i, bool leader) {
    if (cell_[at(i)] >= 0)
        throw InvariantViolation(fmt::format(
            "fighters: fighter {} is in a cell; change its leader flag with Cells::set_leader", i));
    leader_[at(i)] = leader ? 1 : 0;
}

std::span<const FighterId> Fighters::roster(int region, FighterStatus s) const {
    const int list = list_of(s, region);
    if (list < 0 || list >= 2 * regions_) return {};
    return lists_[static_cast<std::size_t>(list)];
}

std::span<const FighterId> Fighters::listed(FighterStatus s) const {
    const int list = list_of(s, 0);
    if (list < 2 * regions_) return {};
    return lists_[static_cast<std::size_t>(list)];
}

FighterId Fighters::random_at_large(int region, Rng& rng) const {
    const auto& a = lists_[static_cast<std::size_t>(2 * region)];
    const auto& s = lists_[static_cast<std::size_t>(2 * region + 1)];
    const std::size_t n = a.size() + s.size();
    if (n == 0) return kNoFighter;
    const auto k = static_cast<std::size_t>(rng.below(n));
    return k < a.size() ? a[k] : s[k - a.size()];
}

FighterId Fighters::random_in(int region, FighterStatus s, Rng& rng) const {
    const auto r = roster(region, s);
    if (r.empty()) return kNoFighter;
    return r[static_cast<std::size_t>(rng.below(r.size()))];
}

void Fighters::check_invariants() const {
    const auto fail = [](const std::string& what) { throw InvariantViolation("fighters: " + what); };
    std::array<std::int64_t, kFighterStatuses> recount{};
    // A buffer sized at init: the daily check must not allocate.
    auto& by_region = recount_;
    std::fill(by_region.begin(), by_region.end(), 0);
    for (std::size_t i = 0; i < status_.size(); ++i) {
        const auto s = st(status_[i]);
        if (s >= static_cast<std::size_t>(kFighterStatuses))
            fail(fmt::format("fighter {} has an invalid status {}", i, s));
        if (region_[i] < 0 || region_[i] >= regions_)
            fail(fmt::format("fighter {} is in region {} (have {})", i, region_[i], regions_));
        ++recount[s];
        ++by_region[static_cast<std::size_t>(region_[i]) * kFighterStatuses + s];
        const bool member = status_[i] == FighterStatus::active || status_[i] == FighterStatus::sleeper;
        if (member != (cell_[i] >= 0))
            fail(fmt::format("fighter {} is {} but its cell is {}", i, name_of(status_[i]), cell_[i]));
        const int list = list_of(status_[i], region_[i]);
        if (list < 0) {
            if (pos_[i] != -1) fail(fmt::format("dead fighter {} is still listed", i));
            continue;
        }
        const auto& l = lists_[static_cast<std::size_t>(list)];
        if (pos_[i] < 0 || static_cast<std::size_t>(pos_[i]) >= l.size() ||
            l[static_cast<std::size_t>(pos_[i])] != static_cast<FighterId>(i))
            fail(fmt::format("fighter {} ({}, region {}) is not where its list says", i,
                             name_of(status_[i]), region_[i]));
        if (experience_[i] < 0.0f || experience_[i] > 1.0f)
            fail(fmt::format("fighter {} has experience {} (not in [0,1])", i, experience_[i]));
    }
    std::int64_t total = 0;
    for (std::size_t s = 0; s < recount.size(); ++s) {
        total += by_status_[s];
        if (recount[s] != by_status_[s])
            fail(fmt::format("{} fighters counted {} but the columns say {}",
                             name_of(static_cast<FighterStatus>(s)), by_status_[s], recount[s]));
    }
    // Conservation: fighters by status add up to the fighters ever created.
    if (total != static_cast<std::int64_t>(status_.size()))
        fail(fmt::format("fighters by status add up to {}, but {} were created", total,
                         status_.size()));
    if (by_region != by_region_) fail("counts by (region, status) differ from the columns");
    std::size_t listed = 0;
    for (const auto& l : lists_) listed += l.size();
    if (listed != status_.size() - static_cast<std::size_t>(by_status_[st(FighterStatus::dead)]))
        fail(fmt::format("{} fighters listed, {} alive", listed,
                         status_.size() - static_cast<std::size_t>(by_status_[st(FighterStatus::dead)])));
}

}  // namespace resurgence
