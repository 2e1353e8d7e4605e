#pragma once
// Whole-or-nothing output files. A file is written under a temporary name in the target folder
// and renamed over its final name only when complete, so a crash or a failed run never leaves
// a file that looks complete.
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace resurgence {

class AtomicFile {
public:
    explicit AtomicFile(std::filesystem::path final_path);
    ~AtomicFile();  // removes the temporary if commit() was not reached
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    void write(std::string_view bytes);
    // Flushes, syncs and renames onto the final path. Throws RuntimeFailure on I/O errors.
    void commit();
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return final_; }

private:
    std::filesystem::path final_;
    std::filesystem::path tmp_;
    std::FILE* f_ = nullptr;
};

// Writes a whole file atomically in one call.
void write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

// Minimal JSON string escaping (for run.json and friends).
std::string json_escape(std::string_view s);

}  // namespace resurgence
