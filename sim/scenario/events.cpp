#include "resurgence/scenario/events.hpp"

#include "events/events_impl.hpp"

namespace resurgence {
namespace {

constexpr EventKind kKinds[] = {
    {"force_change", &events::parse_force_change, {}},
    {"legitimacy_shock", &events::parse_legitimacy_shock, {}},
    {"reallocate", &events::parse_reallocate, {}},
    {"breakout", &events::parse_breakout, {}},
    {"release", &events::parse_release, {}},
    {"repatriation", &events::parse_repatriation, {}},
    {"authority_change", &events::parse_authority_change, {}},
    {"border_reinforcement", &events::parse_border_reinforcement, {}},
    {"decapitation", &events::parse_decapitation, {}},
    {"refugee_flow", &events::parse_refugee_flow, {}},
};

}  // namespace

std::span<const EventKind> event_kinds() noexcept { return kKinds; }

}  // namespace resurgence
