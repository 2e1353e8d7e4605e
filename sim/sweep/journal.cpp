#include "resurgence/sweep/journal.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iterator>

#include "resurgence/core/error.hpp"

namespace resurgence::sweep {
namespace fs = std::filesystem;

namespace {

constexpr std::array<std::uint32_t, 256> make_crc_table() {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int b = 0; b < 8; ++b) c = (c & 1) ? 0xEDB88320U ^ (c >> 1) : c >> 1;
        t[i] = c;
    }
    return t;
}
constexpr auto kCrcTable = make_crc_table();
constexpr std::size_t kMaxOpen = 32;

bool parse_u64(std::string_view s, std::uint64_t& out) {
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc{} && r.ptr == s.data() + s.size() && !s.empty();
}

bool parse_double(std::string_view s, double& out) {
    if (s == "nan") {
        out = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc{} && r.ptr == s.data() + s.size() && !s.empty();
}

std::string_view next_token(std::string_view& s) {
    const std::size_t sp = s.find(' ');
    const std::string_view tok = s.substr(0, sp);
    s = sp == std::string_view::npos ? std::string_view{} : s.substr(sp + 1);
    return tok;
}

void write_all(int fd, std::string_view bytes, const fs::path& path) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw RuntimeFailure(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

void sync_dir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

std::optional<JournalHeader> parse_header(std::string_view line) {
    std::string_view s = line;
    if (next_token(s) != "#" || next_token(s) != "resurgence-sweep-journal" || next_token(s) != "1")
        return std::nullopt;
    JournalHeader h;
    bool fp = false, plans = false, outs = false;
    while (!s.empty()) {
        const std::string_view tok = next_token(s);
        const std::size_t eq = tok.find('=');
        if (eq == std::string_view::npos) return std::nullopt;
        const std::string_view key = tok.substr(0, eq), value = tok.substr(eq + 1);
        std::uint64_t n = 0;
        if (key == "fingerprint") h.fingerprint = value, fp = true;
        else if (key == "plans" && parse_u64(value, n)) h.plans = n, plans = true;
        else if (key == "outcomes" && parse_u64(value, n)) h.outcomes = n, outs = true;
        else if (key == "version") h.version = value;
    }
    if (!fp || !plans || !outs) return std::nullopt;
    return h;
}

}  // namespace

std::uint32_t crc32(std::string_view bytes) noexcept {
    std::uint32_t c = 0xFFFFFFFFU;
    for (char ch : bytes) c = kCrcTable[(c ^ static_cast<unsigned char>(ch)) & 0xFFU] ^ (c >> 8);
    return c ^ 0xFFFFFFFFU;
}

std::string format_record(const Record& r) {
    std::string line;
    auto it = std::back_inserter(line);
    fmt::format_to(it, "{} {} {}", r.plan, r.seed, r.ok ? "ok" : "fail");
    if (r.ok) {
        for (double v : r.values) {
            // Shortest round-trip form: the merged statistics see exactly the simulated doubles.
            if (std::isnan(v)) line += " nan";
            else fmt::format_to(it, " {}", v);
        }
    } else {
        std::string msg = r.error;
        std::replace(msg.begin(), msg.end(), '\n', ' ');
        std::replace(msg.begin(), msg.end(), '\r', ' ');
        line += ' ';
        line += msg.empty() ? std::string("(no message)") : msg;
    }
    fmt::format_to(it, " *{:08x}\n", crc32(line));
    return line;
}

std::optional<Record> parse_record(std::string_view line, std::size_t outcomes) {
    const std::size_t star = line.rfind(" *");
    if (star == std::string_view::npos || line.size() != star + 10) return std::nullopt;
    std::uint32_t sum = 0;
    const std::string_view hex = line.substr(star + 2);
    const auto res = std::from_chars(hex.data(), hex.data() + hex.size(), sum, 16);
    if (res.ec != std::errc{} || res.ptr != hex.data() + hex.size()) return std::nullopt;
    std::string_view body = line.substr(0, star);
    if (crc32(body) != sum) return std::nullopt;
    Record r;
    if (!parse_u64(next_token(body), r.plan) || !parse_u64(next_token(body), r.seed)) return std::nullopt;
    const std::string_view status = next_token(body);
    if (status == "ok") {
        r.ok = true;
        while (!body.empty()) {
            double v = 0;
            if (!parse_double(next_token(body), v)) return std::nullopt;
            r.values.push_back(v);
        }
        if (r.values.size() != outcomes) return std::nullopt;
    } else if (status == "fail") {
        r.ok = false;
        r.error = std::string(body);
        r.values.assign(outcomes, std::numeric_limits<double>::quiet_NaN());
    } else {
        return std::nullopt;
    }
    return r;
}

std::string format_header(const JournalHeader& h) {
    return fmt::format("# resurgence-sweep-journal 1 fingerprint={} plans={} outcomes={} version={}\n",
                       h.fingerprint, h.plans, h.outcomes, h.version.empty() ? "unknown" : h.version);
}

// ---- writer

JournalWriter::JournalWriter(const fs::path& journal_dir, const std::string& tag,
                             const JournalHeader& header) {
    std::error_code ec;
    fs::create_directories(journal_dir, ec);
    if (ec)
        throw RuntimeFailure(fmt::format("cannot create {}: {}", journal_dir.string(), ec.message()));
    for (int n = 1; fd_ < 0; ++n) {
        path_ = journal_dir / fmt::format("{}-{:04}.log", tag, n);
        fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
        if (fd_ < 0 && errno != EEXIST)
            throw RuntimeFailure(fmt::format("cannot create {}: {}", path_.string(), std::strerror(errno)));
    }
    write_all(fd_, format_header(header), path_);
    if (::fdatasync(fd_) != 0)
        throw RuntimeFailure(fmt::format("cannot sync {}: {}", path_.string(), std::strerror(errno)));
    sync_dir(journal_dir);  // the new name itself survives a power cut
    thread_ = std::thread([this] { run(); });
}

JournalWriter::~JournalWriter() {
    try {
        close();
    } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw
    }
}

void JournalWriter::append(std::string line) {
    std::lock_guard lock(mutex_);
    if (!error_.empty()) throw RuntimeFailure(error_);
    queue_.push_back(std::move(line));
    cv_.notify_one();
}

void JournalWriter::run() {
    std::vector<std::string> batch;
    std::string bytes;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [&] { return closing_ || !queue_.empty(); });
            if (queue_.empty() && closing_) return;
            batch.swap(queue_);
        }
        bytes.clear();
        for (const auto& l : batch) bytes += l;
        batch.clear();
        try {
            write_all(fd_, bytes, path_);
            // One sync for the whole group: workers never wait for the disk.
            if (::fdatasync(fd_) != 0)
                throw RuntimeFailure(fmt::format("cannot sync {}: {}", path_.string(), std::strerror(errno)));
        } catch (const std::exception& e) {
            std::lock_guard lock(mutex_);
            if (error_.empty()) error_ = e.what();
        }
    }
}

void JournalWriter::close() {
    if (!thread_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
    }
    cv_.notify_one();
    thread_.join();
    if (fd_ >= 0 && ::close(fd_) != 0 && error_.empty())
        error_ = fmt::format("cannot close {}: {}", path_.string(), std::strerror(errno));
    fd_ = -1;
    if (!error_.empty()) throw RuntimeFailure(error_);
}

// ---- index

JournalIndex::JournalIndex(JournalHeader expected) : expected_(std::move(expected)) {
    locs_.resize(expected_.plans);
}

JournalIndex::~JournalIndex() {
    for (auto& [seg, fd] : open_) ::close(fd);
}

int JournalIndex::fd_of(std::uint32_t segment) const {
    for (auto it = open_.begin(); it != open_.end(); ++it)
        if (it->first == segment) {
            open_.splice(open_.begin(), open_, it);
            return it->second;
        }
    if (open_.size() >= kMaxOpen) {
        ::close(open_.back().second);
        open_.pop_back();
    }
    const fs::path& p = files_[segment];
    const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw RuntimeFailure(fmt::format("cannot read {}: {}", p.string(), std::strerror(errno)));
    open_.emplace_front(segment, fd);
    return fd;
}

std::string JournalIndex::read_line(const Loc& loc) const {
    std::string line(loc.length, '\0');
    const int fd = fd_of(loc.segment);
    std::size_t got = 0;
    while (got < line.size()) {
        const ssize_t n = ::pread(fd, line.data() + got, line.size() - got,
                                  static_cast<off_t>(loc.offset + got));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            throw RuntimeFailure(fmt::format("cannot read {}: {}", files_[loc.segment].string(),
                                             n == 0 ? "file shrank" : std::strerror(errno)));
        got += static_cast<std::size_t>(n);
    }
    return line;
}

bool JournalIndex::done(std::uint64_t plan) const noexcept {
    return plan < locs_.size() && locs_[plan].segment != UINT32_MAX;
}

Record JournalIndex::read(std::uint64_t plan) const {
    const Loc& loc = locs_.at(plan);
    const std::string line = read_line(loc);
    auto r = parse_record(line, expected_.outcomes);
    if (!r || r->plan != plan)
        throw RuntimeFailure(fmt::format("record of plan {} in {} changed since it was indexed", plan,
                                         files_[loc.segment].string()));
    return std::move(*r);
}

void JournalIndex::scan(const fs::path& journal_dir) {
    std::error_code ec;
    if (!fs::is_directory(journal_dir, ec)) return;
    std::vector<fs::path> found;
    for (const auto& e : fs::directory_iterator(journal_dir, ec))
        if (e.path().extension() == ".log") found.push_back(e.path());
    std::sort(found.begin(), found.end());

    for (const auto& path : found) {
        std::FILE* f = std::fopen(path.c_str(), "rb");
        if (f == nullptr)
            throw RuntimeFailure(fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
        const auto segment = static_cast<std::uint32_t>(files_.size());
        files_.push_back(path);
        char* buf = nullptr;
        std::size_t cap = 0;
        std::uint64_t offset = 0;
        bool header_ok = false;
        for (;;) {
            const ssize_t n = ::getline(&buf, &cap, f);
            if (n <= 0) break;
            const auto len = static_cast<std::size_t>(n);
            const std::uint64_t at = offset;
            offset += len;
            const bool complete = buf[len - 1] == '\n';
            const std::string_view line(buf, complete ? len - 1 : len);
            if (!header_ok) {
                const auto h = complete ? parse_header(line) : std::nullopt;
                if (!h) {  // killed while creating the segment: nothing in it
                    ++torn_;
                    break;
                }
                if (h->fingerprint != expected_.fingerprint || h->plans != expected_.plans ||
                    h->outcomes != expected_.outcomes) {
                    std::free(buf);
                    std::fclose(f);
                    throw InputError(std::vector<Problem>{Problem{
                        path.string(), 1, 1, {},
                        fmt::format("this journal belongs to another sweep (fingerprint {}, {} plans, "
                                    "{} outcomes; this sweep: {}, {}, {}): the sweep file, its base "
                                    "scenario or the program changed. Use another output folder, or "
                                    "delete this one to start over",
                                    h->fingerprint, h->plans, h->outcomes, expected_.fingerprint,
                                    expected_.plans, expected_.outcomes)}});
                }
                if (std::find(versions_.begin(), versions_.end(), h->version) == versions_.end())
                    versions_.push_back(h->version);
                header_ok = true;
                continue;
            }
            if (!complete) {
                ++torn_;
                break;
            }
            const auto rec = parse_record(line, expected_.outcomes);
            if (!rec || rec->plan >= expected_.plans) {
                ++corrupt_;
                continue;
            }
            Loc& loc = locs_[rec->plan];
            if (loc.segment == UINT32_MAX) {
                loc = Loc{at, segment, static_cast<std::uint32_t>(line.size())};
                ++done_;
            } else {
                ++duplicates_;
                if (read_line(loc) != line) ++conflicts_;
            }
        }
        std::free(buf);
        std::fclose(f);
    }
}

}  // namespace resurgence::sweep
