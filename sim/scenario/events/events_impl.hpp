#pragma once
// Parsers of the event kinds, one per file in this folder; listed in sim/scenario/events.cpp.
#include <memory>

#include "resurgence/scenario/events.hpp"

namespace resurgence::events {

std::shared_ptr<const Event> parse_legitimacy_shock(doc::MapReader&, const ScenarioSpec&, int, SourceLoc);
std::shared_ptr<const Event> parse_force_change(doc::MapReader&, const ScenarioSpec&, int, SourceLoc);

}  // namespace resurgence::events
