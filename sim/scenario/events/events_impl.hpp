#pragma once
// Parsers of the event kinds, one per file in this folder; listed in sim/scenario/events.cpp.
#include <memory>
#include <string>
#include <vector>

#include "resurgence/scenario/events.hpp"

namespace resurgence::events {

std::shared_ptr<const Event> parse_legitimacy_shock(doc::MapReader&, const ScenarioSpec&, int, SourceLoc);
std::shared_ptr<const Event> parse_force_change(doc::MapReader&, const ScenarioSpec&, int, SourceLoc);
std::shared_ptr<const Event> parse_decapitation(doc::MapReader&, const ScenarioSpec&, int, SourceLoc);
// Detention, borders and the theatre (issue 4).
std::shared_ptr<const Event> parse_reallocate(doc::MapReader&, const ScenarioSpec&, int, SourceLoc);
std::shared_ptr<const Event> parse_breakout(doc::MapReader&, const ScenarioSpec&, int, SourceLoc);
std::shared_ptr<const Event> parse_release(doc::MapReader&, const ScenarioSpec&, int, SourceLoc);
std::shared_ptr<const Event> parse_repatriation(doc::MapReader&, const ScenarioSpec&, int, SourceLoc);
std::shared_ptr<const Event> parse_authority_change(doc::MapReader&, const ScenarioSpec&, int, SourceLoc);
std::shared_ptr<const Event> parse_border_reinforcement(doc::MapReader&, const ScenarioSpec&, int, SourceLoc);
std::shared_ptr<const Event> parse_refugee_flow(doc::MapReader&, const ScenarioSpec&, int, SourceLoc);
// Shared by the border kinds (border_reinforcement.cpp): `crossings` as a list of crossing ids
// or all, with problems naming the known crossings; and a short description for summaries.
std::vector<int> read_crossings(doc::MapReader& reader, const ScenarioSpec& spec);
std::string describe_crossings(const std::vector<int>& crossings, const ScenarioSpec& spec);

}  // namespace resurgence::events
