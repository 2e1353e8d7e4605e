#pragma once
// Calendar dates for day-stepped runs: a scenario starts on a date, step d is start + d days.
#include <optional>
#include <string>
#include <string_view>

namespace resurgence {

struct Date {
    int year = 1970;
    int month = 1;  // 1..12
    int day = 1;    // 1..31

    // Days since 1970-01-01 (proleptic Gregorian; Hinnant's days_from_civil).
    [[nodiscard]] long serial() const noexcept;
    static Date from_serial(long days) noexcept;
    [[nodiscard]] Date plus_days(long days) const noexcept { return from_serial(serial() + days); }
    [[nodiscard]] std::string iso() const;  // YYYY-MM-DD
    // Parses strict YYYY-MM-DD; nullopt on any malformed or impossible date.
    static std::optional<Date> parse(std::string_view text);
    friend bool operator==(const Date&, const Date&) = default;
};

// Writes the ISO date into buf[0..10) without allocating (for the output hot path).
void format_iso(const Date& d, char* buf) noexcept;

}  // namespace resurgence
