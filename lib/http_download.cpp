#include "http_download.hpp"

#include "error.hpp"
#include "holos_build_config.hpp"
#include "shared_library.hpp"
#include "unique_fd.hpp"

#include <cerrno>
#include <curl/curl.h>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>

namespace holos {
namespace {

// libcurl is opened the first time something is downloaded (see shared_library.hpp): only
// pulls use it.
// 7.85: CURLOPT_PROTOCOLS_STR, which keeps a redirect from leaving HTTP(S) or dropping TLS;
// an older library would ignore it without a word.
constexpr unsigned kCurlMinimumVersion = 0x075500;

#define HOLOS_LIBCURL_FUNCTIONS(X)                                                                 \
    X(curl_version_info)                                                                           \
    X(curl_global_init)                                                                            \
    X(curl_easy_init)                                                                              \
    X(curl_easy_setopt)                                                                            \
    X(curl_easy_perform)                                                                           \
    X(curl_easy_getinfo)                                                                           \
    X(curl_easy_strerror)                                                                          \
    X(curl_easy_cleanup)

struct LibCurl {
    HOLOS_LIBCURL_FUNCTIONS(HOLOS_DECLARE_FUNCTION)
};

LibCurl open_curl() {
    const char* soname = "libcurl.so.4";
    void* library = open_shared_library(soname, "libcurl4", "downloading");
    LibCurl api;
    HOLOS_LIBCURL_FUNCTIONS(HOLOS_BIND_FUNCTION)
    const curl_version_info_data* version = api.curl_version_info(CURLVERSION_NOW);
    if (version->version_num < kCurlMinimumVersion) {
        throw Error(std::string("downloading needs libcurl 7.85 or later, found ") +
                    version->version);
    }
    api.curl_global_init(CURL_GLOBAL_DEFAULT);
    return api;
}

const LibCurl& curl_api() {
    static const LibCurl api = open_curl();
    return api;
}

struct CurlDeleter {
    void operator()(CURL* curl) const { curl_api().curl_easy_cleanup(curl); }
};
using Curl = std::unique_ptr<CURL, CurlDeleter>;

// Settings every transfer shares; `error_buffer` receives libcurl's own message.
Curl new_transfer(const std::string& url, const TransferOptions& options, char* error_buffer) {
    const LibCurl& api = curl_api();
    Curl curl(api.curl_easy_init());
    if (!curl) {
        throw Error("fetching " + url + ": libcurl could not start a transfer");
    }
    CURL* c = curl.get();
    api.curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    api.curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
    api.curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    api.curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    api.curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    api.curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
    api.curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    // The checksum is what proves an image, and it comes over the same connection: a
    // redirect must not drop TLS.
    api.curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR,
                         url.starts_with("https:") ? "https" : "http,https");
    api.curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options.connect_timeout_s));
    api.curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, kStallBytesPerSecond);
    api.curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options.stall_timeout_s));
    api.curl_easy_setopt(c, CURLOPT_USERAGENT, "holos/" HOLOS_VERSION);
    return curl;
}

std::string describe_failure(CURL* curl, CURLcode code, const TransferOptions& options,
                             const char* error_buffer) {
    const LibCurl& api = curl_api();
    long status = 0;
    api.curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    switch (code) {
    case CURLE_HTTP_RETURNED_ERROR:
        return "HTTP " + std::to_string(status);
    case CURLE_OPERATION_TIMEDOUT:
        if (status == 0) {
            return "no answer within " + std::to_string(options.connect_timeout_s) + " s";
        }
        return "the transfer stalled (less than " + std::to_string(kStallBytesPerSecond) +
               " bytes/s for " + std::to_string(options.stall_timeout_s) + " s)";
    case CURLE_PARTIAL_FILE:
        return "the server closed the connection before the end of the file";
    default:
        break;
    }
    return error_buffer[0] != '\0' ? error_buffer : api.curl_easy_strerror(code);
}

struct TextSink {
    std::string text;
    std::size_t max_bytes = 0;
};

size_t append_text(char* data, size_t size, size_t count, void* user) {
    auto* sink = static_cast<TextSink*>(user);
    size_t bytes = size * count;
    if (sink->text.size() + bytes > sink->max_bytes) {
        return 0; // aborts the transfer with CURLE_WRITE_ERROR
    }
    sink->text.append(data, bytes);
    return bytes;
}

struct FileSink {
    int fd = -1;
    int error = 0; // errno of a failed write
    std::uint64_t offset = 0;
    const ProgressCallback* progress = nullptr;
};

size_t write_file(char* data, size_t size, size_t count, void* user) {
    auto* sink = static_cast<FileSink*>(user);
    size_t bytes = size * count;
    size_t done = 0;
    while (done < bytes) {
        ssize_t n = ::write(sink->fd, data + done, bytes - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            sink->error = errno;
            return 0;
        }
        done += static_cast<size_t>(n);
    }
    return bytes;
}

int report_progress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
    auto* sink = static_cast<FileSink*>(user);
    if (sink->progress != nullptr && *sink->progress) {
        TransferProgress progress{sink->offset + static_cast<std::uint64_t>(now),
                                  total > 0 ? sink->offset + static_cast<std::uint64_t>(total) : 0};
        (*sink->progress)(progress);
    }
    return 0;
}

std::uint64_t file_size(int fd, const std::filesystem::path& path) {
    struct stat st {};
    if (::fstat(fd, &st) < 0) {
        throw system_error("reading " + path.string(), errno);
    }
    return static_cast<std::uint64_t>(st.st_size);
}

// One attempt from the partial file's current end. Returns libcurl's result.
CURLcode transfer_once(CURL* curl, FileSink& sink) {
    const LibCurl& api = curl_api();
    api.curl_easy_setopt(curl, CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(sink.offset));
    return api.curl_easy_perform(curl);
}

void start_over(int fd, const std::filesystem::path& partial, FileSink& sink) {
    if (::ftruncate(fd, 0) < 0 || ::lseek(fd, 0, SEEK_SET) < 0) {
        throw system_error("emptying " + partial.string(), errno);
    }
    sink.offset = 0;
}

} // namespace

std::string fetch_text(const std::string& url, const TransferOptions& options,
                       std::size_t max_bytes) {
    char error_buffer[CURL_ERROR_SIZE] = {};
    Curl curl = new_transfer(url, options, error_buffer);
    TextSink sink{{}, max_bytes};
    const LibCurl& api = curl_api();
    api.curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append_text);
    api.curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &sink);
    CURLcode code = api.curl_easy_perform(curl.get());
    if (code == CURLE_WRITE_ERROR) {
        throw Error("fetching " + url + ": larger than " + std::to_string(max_bytes) + " bytes");
    }
    if (code != CURLE_OK) {
        throw Error("fetching " + url + ": " +
                    describe_failure(curl.get(), code, options, error_buffer));
    }
    return std::move(sink.text);
}

DownloadResult download_file(const std::string& url, const std::filesystem::path& partial,
                             const TransferOptions& options, const ProgressCallback& progress) {
    UniqueFd fd(::open(partial.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    if (!fd) {
        throw system_error("opening " + partial.string(), errno);
    }
    char error_buffer[CURL_ERROR_SIZE] = {};
    Curl curl = new_transfer(url, options, error_buffer);
    FileSink sink{fd.get(), 0, file_size(fd.get(), partial), &progress};
    const LibCurl& api = curl_api();
    api.curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, write_file);
    api.curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &sink);
    api.curl_easy_setopt(curl.get(), CURLOPT_XFERINFOFUNCTION, report_progress);
    api.curl_easy_setopt(curl.get(), CURLOPT_XFERINFODATA, &sink);
    api.curl_easy_setopt(curl.get(), CURLOPT_NOPROGRESS, 0L);

    DownloadResult result{sink.offset, 0};
    CURLcode code = transfer_once(curl.get(), sink);
    if (code == CURLE_RANGE_ERROR) {
        // The server sends whole files only: what the partial file holds is of no use.
        start_over(fd.get(), partial, sink);
        result.resumed_from = 0;
        error_buffer[0] = '\0';
        code = transfer_once(curl.get(), sink);
    }
    if (sink.error != 0) {
        throw system_error("writing " + partial.string(), sink.error);
    }
    if (code != CURLE_OK) {
        throw Error("downloading " + url + ": " +
                    describe_failure(curl.get(), code, options, error_buffer));
    }
    if (::fsync(fd.get()) < 0) {
        throw system_error("flushing " + partial.string(), errno);
    }
    result.size_bytes = file_size(fd.get(), partial);
    return result;
}

} // namespace holos
