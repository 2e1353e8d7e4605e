#pragma once
// Scenario timeline events (model-spec §6): each kind is one small class with a parser (from
// the doc tree, at load time, with positions) and an apply() on the run state. The kind table
// in sim/scenario/events.cpp lists every kind; kinds whose mechanism is not built yet are
// rejected at load time with a message saying so.
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "resurgence/scenario/doc.hpp"
#include "resurgence/scenario/spec.hpp"

namespace resurgence {

struct SimState;

class Event {
public:
    Event(std::string_view kind, int day, SourceLoc loc) : kind_(kind), day_(day), loc_(std::move(loc)) {}
    virtual ~Event() = default;
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;

    [[nodiscard]] std::string_view kind() const noexcept { return kind_; }
    [[nodiscard]] int day() const noexcept { return day_; }  // 0-based step it fires on
    [[nodiscard]] const SourceLoc& loc() const noexcept { return loc_; }
    // Phase 1 of the day it falls on.
    virtual void apply(SimState& state) const = 0;
    // One line for run.json and the report, e.g. "us_coalition to 0% in 2 regions over 30 days".
    [[nodiscard]] virtual std::string summary(const ScenarioSpec& spec) const = 0;

private:
    std::string_view kind_;
    int day_;
    SourceLoc loc_;
};

// Parses the kind-specific keys of one event map. The reader has already consumed `kind`,
// `day`/`date` and `note`; the parser declares its own keys with reader.allow(...) (including
// those), and returns nullptr after recording problems. `spec` has regions, forces, sites and
// crossings resolved.
using EventParser = std::shared_ptr<const Event> (*)(doc::MapReader& reader,
                                                       const ScenarioSpec& spec, int day,
                                                       SourceLoc loc);

struct EventKind {
    std::string_view name;
    EventParser parse;            // nullptr = not built yet
    std::string_view not_built;   // why, when parse is nullptr
};

std::span<const EventKind> event_kinds() noexcept;

}  // namespace resurgence
