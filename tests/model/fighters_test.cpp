// Fighters: column storage, status lists and O(1) counts (model/fighters.hpp).
#include <catch2/catch.hpp>

#include "resurgence/core/error.hpp"
#include "resurgence/model/fighters.hpp"

using namespace resurgence;

namespace {
NewFighter fighter(int region, FighterStatus s = FighterStatus::disengaged) {
    NewFighter f;
    f.region = region;
    f.status = s;
    f.experience = 0.5f;
    return f;
}
}  // namespace

TEST_CASE("fighters get stable ids and keep counts by status and region", "[fighters]") {
    Fighters fs;
    fs.init(3, 16);
    const auto a = fs.add(fighter(0, FighterStatus::in_transit));
    const auto b = fs.add(fighter(1, FighterStatus::detained));
    const auto c = fs.add(fighter(2, FighterStatus::disengaged));
    CHECK(a == 0);
    CHECK(b == 1);
    CHECK(c == 2);
    CHECK(fs.size() == 3);
    CHECK(fs.count(FighterStatus::in_transit) == 1);
    CHECK(fs.count(1, FighterStatus::detained) == 1);
    CHECK(fs.listed(FighterStatus::disengaged).size() == 1);

    fs.set_status(a, FighterStatus::dead);
    CHECK(fs.count(FighterStatus::dead) == 1);
    CHECK(fs.count(FighterStatus::in_transit) == 0);
    CHECK(fs.listed(FighterStatus::in_transit).empty());
    fs.set_region(b, 2);
    CHECK(fs.count(2, FighterStatus::detained) == 1);
    CHECK(fs.count(1, FighterStatus::detained) == 0);
    // Ids are never reused: the dead keep theirs.
    const auto d = fs.add(fighter(0));
    CHECK(d == 3);
    CHECK(fs.status(a) == FighterStatus::dead);
    fs.check_invariants();
}

TEST_CASE("fighters refuse transitions that belong to cells", "[fighters]") {
    Fighters fs;
    fs.init(1, 4);
    const auto a = fs.add(fighter(0));
    CHECK_THROWS_AS(fs.set_status(a, FighterStatus::active), InvariantViolation);
    CHECK_THROWS_AS(fs.set_region(a, 5), InvariantViolation);
}

TEST_CASE("the detention and transit fields issue 4 needs", "[fighters]") {
    Fighters fs;
    fs.init(2, 4);
    const auto a = fs.add(fighter(0, FighterStatus::detained));
    CHECK(fs.site(a) == -1);
    CHECK(fs.destination(a) == -1);
    CHECK(fs.history(a) == DetentionHistory::none);
    fs.set_site(a, 3);
    fs.set_status(a, FighterStatus::in_transit);
    fs.set_transit(a, 1, 40);
    fs.set_history(a, DetentionHistory::escaped);
    CHECK(fs.site(a) == 3);
    CHECK(fs.destination(a) == 1);
    CHECK(fs.arrival_day(a) == 40);
    CHECK(fs.history(a) == DetentionHistory::escaped);
    fs.set_region(a, 1);
    fs.set_status(a, FighterStatus::disengaged);
    CHECK(fs.count(1, FighterStatus::disengaged) == 1);
    fs.check_invariants();
}

TEST_CASE("fighters outside cells can be scanned by status from the back", "[fighters]") {
    Fighters fs;
    fs.init(2, 8);
    for (int i = 0; i < 6; ++i) fs.add(fighter(i % 2, FighterStatus::disengaged));
    // Kill every other one while walking the list from the back (removal swaps the last in).
    int killed = 0;
    for (std::size_t k = fs.listed(FighterStatus::disengaged).size(); k-- > 0;) {
        const FighterId f = fs.listed(FighterStatus::disengaged)[k];
        if (f % 2 == 0) {
            fs.set_status(f, FighterStatus::dead);
            ++killed;
        }
    }
    CHECK(killed == 3);
    CHECK(fs.count(FighterStatus::disengaged) == 3);
    CHECK(fs.count(FighterStatus::dead) == 3);
    fs.check_invariants();
    Rng rng(1);
    CHECK(fs.random_at_large(0, rng) == kNoFighter);  // nobody is in a cell
}
