#include "resurgence/core/calendar.hpp"

#include <charconv>

namespace resurgence {

long Date::serial() const noexcept {
    const long y = year - (month <= 2 ? 1 : 0);
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long m = month;
    const long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + day - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

Date Date::from_serial(long z) noexcept {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long y = yoe + era * 400;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    const long d = doy - (153 * mp + 2) / 5 + 1;
    const long m = mp < 10 ? mp + 3 : mp - 9;
    return Date{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}

void format_iso(const Date& d, char* buf) noexcept {
    int y = d.year;
    for (int i = 3; i >= 0; --i) {
        buf[i] = static_cast<char>('0' + y % 10);
        y /= 10;
    }
    buf[4] = '-';
    buf[5] = static_cast<char>('0' + d.month / 10);
    buf[6] = static_cast<char>('0' + d.month % 10);
    buf[7] = '-';
    buf[8] = static_cast<char>('0' + d.day / 10);
    buf[9] = static_cast<char>('0' + d.day % 10);
}

std::string Date::iso() const {
    std::string s(10, ' ');
    format_iso(*this, s.data());
    return s;
}

std::optional<Date> Date::parse(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    auto num = [&](std::size_t pos, std::size_t len, int& out) {
        for (std::size_t i = pos; i < pos + len; ++i)
            if (t[i] < '0' || t[i] > '9') return false;
        auto r = std::from_chars(t.data() + pos, t.data() + pos + len, out);
        return r.ec == std::errc{};
    };
    Date d;
    if (!num(0, 4, d.year) || !num(5, 2, d.month) || !num(8, 2, d.day)) return std::nullopt;
    if (d.year < 1900 || d.year > 2999 || d.month < 1 || d.month > 12 || d.day < 1)
        return std::nullopt;
    if (from_serial(d.serial()) != d) return std::nullopt;  // rejects 2019-02-30
    return d;
}

}  // namespace resurgence
