#include "resurgence/core/error.hpp"

namespace resurgence {

std::string Problem::str() const {
    std::string out = file.empty() ? std::string("<input>") : file;
    if (line > 0) {
        out += ':' + std::to_string(line);
        if (column > 0) out += ':' + std::to_string(column);
    }
    out += ": ";
    if (!path.empty()) out += path + ": ";
    out += message;
    return out;
}

namespace {
std::string join(const std::vector<Problem>& problems) {
    std::string out;
    for (const auto& p : problems) {
        if (!out.empty()) out += '\n';
        out += p.str();
    }
    return out;
}
}  // namespace

InputError::InputError(std::vector<Problem> problems)
    : Error(join(problems)), problems_(std::move(problems)) {}

InputError::InputError(const std::string& message)
    : Error(message), problems_{Problem{{}, 0, 0, {}, message}} {}

}  // namespace resurgence
