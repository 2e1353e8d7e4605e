#pragma once
// Shared readers for event parsers (internal to sim/scenario/events).
#include <string>
#include <vector>

#include "resurgence/scenario/doc.hpp"
#include "resurgence/scenario/spec.hpp"

namespace resurgence::events {

// Reads `key` as a list of region ids (or the single word `all`); returns region indices.
// Absent and not required -> every region. Unknown ids are problems naming the known ones.
std::vector<int> read_regions(doc::MapReader& reader, std::string_view key,
                              const ScenarioSpec& spec, bool required);

// Reads `key` as a faction name that must exist in spec.forces; returns its index or -1.
int read_force(doc::MapReader& reader, std::string_view key, const ScenarioSpec& spec);

// "nineveh, anbar" or "3 regions" for summaries.
std::string describe_regions(const std::vector<int>& regions, const ScenarioSpec& spec);

}  // namespace resurgence::events
