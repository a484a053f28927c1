// HTTP(S) transfers with libcurl: small files (checksum lists) into memory, images into a
// partial file that a later attempt continues. Redirects are followed (mirrors redirect), an
// https URL never leads to plain http, and a transfer that stalls is aborted rather than
// waited on forever. Proxies come from the usual environment variables.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace holos {

inline constexpr int kDefaultConnectTimeoutS = 30;
inline constexpr int kDefaultStallTimeoutS = 60;
// A transfer slower than this for the whole stall timeout counts as stalled.
inline constexpr long kStallBytesPerSecond = 1024;

struct TransferOptions {
    int connect_timeout_s = kDefaultConnectTimeoutS;
    int stall_timeout_s = kDefaultStallTimeoutS;
};

struct TransferProgress {
    std::uint64_t done_bytes = 0;  // of the whole file, a resumed part included
    std::uint64_t total_bytes = 0; // 0 while the size is unknown
};

using ProgressCallback = std::function<void(const TransferProgress&)>;

// The body of `url`, at most `max_bytes` long. Throws Error ("fetching URL: HTTP 404").
std::string fetch_text(const std::string& url, const TransferOptions& options,
                       std::size_t max_bytes);

struct DownloadResult {
    std::uint64_t resumed_from = 0; // bytes the partial file already had and kept
    std::uint64_t size_bytes = 0;   // of the finished file
};

// Downloads `url` into `partial`, continuing after the bytes it already holds when the
// server accepts a range request, and starting over when it does not. The file is flushed
// to disk before this returns. Throws Error naming the URL and the cause; whatever arrived
// stays in `partial` for the next attempt.
DownloadResult download_file(const std::string& url, const std::filesystem::path& partial,
                             const TransferOptions& options, const ProgressCallback& progress);

} // namespace holos
