#include "resurgence/output/files.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "resurgence/core/error.hpp"

namespace resurgence {
namespace {
std::atomic<unsigned> g_tmp_counter{0};  // uniqueness of temporary names within a process
}

AtomicFile::AtomicFile(std::filesystem::path final_path) : final_(std::move(final_path)) {
    tmp_ = final_;
    tmp_ += fmt::format(".tmp-{}-{}", ::getpid(), g_tmp_counter.fetch_add(1));
    f_ = std::fopen(tmp_.c_str(), "wb");
    if (f_ == nullptr)
        throw RuntimeFailure(fmt::format("cannot write {}: {}", tmp_.string(), std::strerror(errno)));
}

AtomicFile::~AtomicFile() {
    if (f_ != nullptr) {
        std::fclose(f_);
        std::error_code ec;
        std::filesystem::remove(tmp_, ec);
    }
}

void AtomicFile::write(std::string_view bytes) {
    if (bytes.empty()) return;
    if (std::fwrite(bytes.data(), 1, bytes.size(), f_) != bytes.size())
        throw RuntimeFailure(fmt::format("write to {} failed: {}", tmp_.string(), std::strerror(errno)));
}

void AtomicFile::commit() {
    if (std::fflush(f_) != 0 || ::fsync(::fileno(f_)) != 0)
        throw RuntimeFailure(fmt::format("flush of {} failed: {}", tmp_.string(), std::strerror(errno)));
    std::fclose(f_);
    f_ = nullptr;
    std::error_code ec;
    std::filesystem::rename(tmp_, final_, ec);
    if (ec) {
        std::filesystem::remove(tmp_, ec);
        throw RuntimeFailure(fmt::format("cannot rename {} to {}: {}", tmp_.string(),
                                         final_.string(), ec.message()));
    }
}

void write_file_atomic(const std::filesystem::path& path, std::string_view bytes) {
    AtomicFile f(path);
    f.write(bytes);
    f.commit();
}

std::string json_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20)
                    out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
                else
                    out += c;
        }
    }
    return out;
}

}  // namespace resurgence
