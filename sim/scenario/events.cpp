#include "resurgence/scenario/events.hpp"

#include "events/events_impl.hpp"

namespace resurgence {
namespace {

constexpr std::string_view kDetention =
    "is part of the detention model (model-spec §5.8, issue #4), not built yet";

constexpr EventKind kKinds[] = {
    {"force_change", &events::parse_force_change, {}},
    {"legitimacy_shock", &events::parse_legitimacy_shock, {}},
    {"reallocate", nullptr,
     "is part of the detention and border model (model-spec §6, issue #4), not built yet"},
    {"breakout", nullptr, kDetention},
    {"release", nullptr, kDetention},
    {"repatriation", nullptr, kDetention},
    {"authority_change", nullptr,
     "is part of the legitimacy model of the theatre (model-spec §5.9, issue #4), not built yet"},
    {"border_reinforcement", nullptr,
     "is part of the border model (model-spec §5.5, issue #4), not built yet"},
    {"decapitation", nullptr,
     "is part of the cells model (model-spec §5.2, issue #3), not built yet"},
};

}  // namespace

std::span<const EventKind> event_kinds() noexcept { return kKinds; }

}  // namespace resurgence
