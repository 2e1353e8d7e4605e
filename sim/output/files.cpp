#include "resurgence/output/files.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <vector>

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
    if (f_ != nullptr) std::fclose(f_);
    if (f_ != nullptr || synced_) {
        std::error_code ec;
        std::filesystem::remove(tmp_, ec);
    }
}

void AtomicFile::write(std::string_view bytes) {
    if (bytes.empty()) return;
    if (f_ == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), f_) != bytes.size())
        throw RuntimeFailure(fmt::format("write to {} failed: {}", tmp_.string(), std::strerror(errno)));
}

void AtomicFile::sync() {
    if (f_ == nullptr) return;
    if (std::fflush(f_) != 0 || ::fsync(::fileno(f_)) != 0) {
        const int err = errno;
        throw RuntimeFailure(fmt::format("flush of {} failed: {}", tmp_.string(), std::strerror(err)));
    }
    const int rc = std::fclose(f_);
    f_ = nullptr;
    synced_ = true;
    if (rc != 0) {
        const int err = errno;
        throw RuntimeFailure(fmt::format("close of {} failed: {}", tmp_.string(), std::strerror(err)));
    }
}

void AtomicFile::publish() {
    if (!synced_) sync();
    std::error_code ec;
    std::filesystem::rename(tmp_, final_, ec);
    if (ec) {
        const std::string why = ec.message();  // before the clean-up reuses an error code
        std::error_code ignored;
        std::filesystem::remove(tmp_, ignored);
        synced_ = false;
        throw RuntimeFailure(
            fmt::format("cannot rename {} to {}: {}", tmp_.string(), final_.string(), why));
    }
    synced_ = false;
}

void AtomicFile::commit() {
    sync();
    publish();
}

void commit_together(std::initializer_list<AtomicFile*> files) {
    for (AtomicFile* f : files)
        if (f != nullptr) f->sync();
    std::vector<const AtomicFile*> done;
    done.reserve(files.size());
    try {
        for (AtomicFile* f : files) {
            if (f == nullptr) continue;
            f->publish();
            done.push_back(f);
        }
    } catch (...) {
        for (const AtomicFile* f : done) {
            std::error_code ec;
            std::filesystem::remove(f->path(), ec);
        }
        throw;  // the temporaries not yet renamed are removed by their destructors
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
