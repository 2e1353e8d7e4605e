#pragma once
// Attacks by active cells (model-spec §5.6). Implementation: sim/model/attacks.cpp; equations
// in docs/model-fighters.md.
//
// Each active cell attacks a Poisson number of times a day at rate
//   lambda = lambda0 (1 + a_f phi) (1 + a_s supporter share) (1 + a_e e) exp(-a_p pi)
//            season(day) complacency(region) size^beta,
// picks a type by weights that follow its needs and targets, and causes a Poisson severity of
// mean (type severity) x size x (0.5 + e). With beta = 0 (the default) the attacking cell is
// picked regardless of size, so severities inherit the cell-size tail exponent 2.5
// (Bohorquez et al. 2009); in general the severity tail exponent is 2.5 - beta.
#include <array>
#include <cstdint>
#include <vector>

#include "resurgence/core/calendar.hpp"
#include "resurgence/core/rng.hpp"
#include "resurgence/model/cells.hpp"
#include "resurgence/params/parameters.hpp"

namespace resurgence {

struct SimState;

enum class AttackType : std::uint8_t { kidnap_extortion, assassination, ambush, bombing };
inline constexpr int kAttackTypes = 4;
const char* name_of(AttackType t) noexcept;
// "attack_kidnap_extortion", ... : the event type in events.csv.
const char* event_name(AttackType t) noexcept;

struct AttackOutcome {
    AttackType type = AttackType::kidnap_extortion;
    double severity = 0;       // persons: hostages or killed
    int attackers = 0;         // cell size at the attack
    int attackers_killed = 0;  // by return fire (ambush)
};

class Attacks {
public:
    void init(const SimState& state);
    // Phase 6: every active cell of every region.
    void step(SimState& state);
    // One attack by cell c of its region, with its effects and its events.csv row. Public so
    // that tests (and a later prison-raid mechanism) can trigger one.
    AttackOutcome attack(SimState& state, CellId c, Rng& rng);

    // Expected attacks per day of cell c if it is active (the rate above).
    [[nodiscard]] double rate(const SimState& state, CellId c) const;
    // The seasonal factor 1 + A cos(2 pi (day of year - peak) / 365.25) (F11).
    [[nodiscard]] static double season(const ParamSet& p, const Date& date) noexcept;
    // Complacency factor of region r: 1 + c max(0, 1 - pi / pi_memory) (D4).
    [[nodiscard]] static double complacency(const SimState& state, int r) noexcept;

    // Today's counts (as of the last step).
    [[nodiscard]] std::int64_t today(int r) const { return today_[static_cast<std::size_t>(r)]; }
    [[nodiscard]] std::int64_t today(AttackType t) const { return by_type_[static_cast<std::size_t>(t)]; }

    // Phase 10 part.
    void record(SimState& state) const;

private:
    void begin_day(int day);
    // rate = region_factor x cell_factor: the first holds everything that is the same for
    // every cell of the region on the day.
    [[nodiscard]] static double region_factor(const SimState& state, int r);
    [[nodiscard]] static double cell_factor(const SimState& state, CellId c);

    std::vector<std::int64_t> today_;  // attacks per region today
    std::array<std::int64_t, kAttackTypes> by_type_{};
    double hostages_ = 0, killed_civilians_ = 0, killed_informants_ = 0, killed_security_ = 0;
    double killed_attackers_ = 0, severity_max_ = 0;
    int day_ = -1;
};

}  // namespace resurgence
