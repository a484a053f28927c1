#include "ssh_session.hpp"

#include "atomic_file.hpp"
#include "error.hpp"
#include "libssh_api.hpp"

#include <array>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace holos {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kRetryPause = std::chrono::seconds(1);
constexpr size_t kChunkBytes = 16 * 1024;
constexpr long kSlowStepTimeoutS = 60;

struct KeyFree {
    void operator()(ssh_key key) const { libssh().ssh_key_free(key); }
};
using KeyPtr = std::unique_ptr<ssh_key_struct, KeyFree>;

struct SftpFree {
    void operator()(sftp_session sftp) const { libssh().sftp_free(sftp); }
};
using SftpPtr = std::unique_ptr<sftp_session_struct, SftpFree>;

struct SftpFileClose {
    void operator()(sftp_file file) const { libssh().sftp_close(file); }
};
using SftpFilePtr = std::unique_ptr<sftp_file_struct, SftpFileClose>;

// "ssh-ed25519 AAAA...": the form the pin file holds.
std::string host_key_line(ssh_session session) {
    ssh_key raw = nullptr;
    if (libssh().ssh_get_server_publickey(session, &raw) != SSH_OK) {
        throw SshError(SshError::Kind::other, "the guest sent no host key");
    }
    KeyPtr key(raw);
    char* base64 = nullptr;
    if (libssh().ssh_pki_export_pubkey_base64(key.get(), &base64) != SSH_OK) {
        throw SshError(SshError::Kind::other, "cannot encode the guest's host key");
    }
    std::string line =
        std::string(libssh().ssh_key_type_to_char(libssh().ssh_key_type(key.get()))) + " " + base64;
    libssh().ssh_string_free_char(base64);
    return line;
}

void check_host_key(ssh_session session, const SshTarget& target) {
    std::string seen = host_key_line(session);
    std::error_code ec;
    if (!std::filesystem::exists(target.pinned_host_key, ec)) {
        write_file_atomic(target.pinned_host_key, seen + "\n", 0644);
        return;
    }
    std::string pinned = read_file(target.pinned_host_key);
    if (pinned != seen + "\n") {
        throw SshError(SshError::Kind::host_key_changed,
                       target.label + ": the guest's SSH host key is not the one seen first (" +
                           target.pinned_host_key.string() +
                           "); another machine may answer on its port. If the guest's keys "
                           "were replaced on purpose, remove that file");
    }
}

void set_options(ssh_session session, const SshTarget& target) {
    unsigned int port = target.port;
    long timeout_s = static_cast<long>(target.attempt_timeout.count() / 1000);
    long timeout_usec = static_cast<long>(target.attempt_timeout.count() % 1000) * 1000;
    int no = 0;
    libssh().ssh_options_set(session, SSH_OPTIONS_HOST, "127.0.0.1");
    libssh().ssh_options_set(session, SSH_OPTIONS_PORT, &port);
    libssh().ssh_options_set(session, SSH_OPTIONS_USER, target.user.c_str());
    libssh().ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &timeout_s);
    libssh().ssh_options_set(session, SSH_OPTIONS_TIMEOUT_USEC, &timeout_usec);
    // The user's ~/.ssh/config and known_hosts are about other machines, not holos guests.
    libssh().ssh_options_set(session, SSH_OPTIONS_PROCESS_CONFIG, &no);
    libssh().ssh_options_set(session, SSH_OPTIONS_KNOWNHOSTS, "/dev/null");
}

void authenticate(ssh_session session, const SshTarget& target) {
    ssh_key raw = nullptr;
    if (libssh().ssh_pki_import_privkey_file(target.private_key.c_str(), nullptr, nullptr, nullptr,
                                             &raw) != SSH_OK) {
        throw SshError(SshError::Kind::other,
                       "cannot read the project key " + target.private_key.string());
    }
    KeyPtr key(raw);
    if (libssh().ssh_userauth_publickey(session, nullptr, key.get()) != SSH_AUTH_SUCCESS) {
        throw SshError(SshError::Kind::refused,
                       target.label + ": the guest refused the project key for user " +
                           target.user + " (" + libssh().ssh_get_error(session) + ")");
    }
}

// One attempt. A guest that is still booting drops or refuses the connection, or does not
// know the key yet: those are `unreachable` and `refused`, which the caller retries.
void connect_once(ssh_session session, const SshTarget& target) {
    set_options(session, target);
    if (libssh().ssh_connect(session) != SSH_OK) {
        throw SshError(SshError::Kind::unreachable, target.label + ": no SSH answer on 127.0.0.1:" +
                                                        std::to_string(target.port) + " (" +
                                                        libssh().ssh_get_error(session) + ")");
    }
    check_host_key(session, target);
    authenticate(session, target);
}

std::string sftp_error(const std::string& context, sftp_session sftp, ssh_session session) {
    int code = libssh().sftp_get_error(sftp);
    const char* reason = code == SSH_FX_NO_SUCH_FILE        ? "no such file or directory"
                         : code == SSH_FX_PERMISSION_DENIED ? "permission denied"
                                                            : libssh().ssh_get_error(session);
    return context + ": " + reason;
}

} // namespace

void SshSession::Deleter::operator()(ssh_session_struct* session) const {
    libssh().ssh_disconnect(session);
    libssh().ssh_free(session);
}

SshSession::SshSession(const SshTarget& target, std::chrono::seconds wait,
                       const WaitObserver& on_wait)
    : target_(target) {
    Clock::time_point started = Clock::now();
    Clock::time_point deadline = started + wait;
    while (true) {
        session_.reset(libssh().ssh_new());
        if (!session_) {
            throw SshError(SshError::Kind::other, "cannot create an SSH session");
        }
        try {
            connect_once(session_.get(), target);
            return;
        } catch (const SshError& e) {
            bool retry = e.kind == SshError::Kind::unreachable ||
                         e.kind == SshError::Kind::refused;
            if (!retry || Clock::now() + kRetryPause >= deadline) {
                throw;
            }
        }
        if (on_wait) {
            on_wait(std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started));
        }
        std::this_thread::sleep_for(kRetryPause);
    }
}

SshSession::~SshSession() = default;

void SshSession::allow_slow_steps() {
    long timeout_s = kSlowStepTimeoutS;
    long timeout_usec = 0;
    libssh().ssh_options_set(session_.get(), SSH_OPTIONS_TIMEOUT, &timeout_s);
    libssh().ssh_options_set(session_.get(), SSH_OPTIONS_TIMEOUT_USEC, &timeout_usec);
}

std::string shell_join(const std::vector<std::string>& argv) {
    std::string out;
    for (const std::string& arg : argv) {
        bool plain = !arg.empty() && arg.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789-_./=:,+@%") == std::string::npos;
        std::string quoted = "'";
        for (char c : arg) {
            quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
        }
        out += (out.empty() ? "" : " ") + (plain ? arg : quoted + "'");
    }
    return out;
}

void SshSession::upload(const std::filesystem::path& local, const std::string& remote) {
    allow_slow_steps();
    ssh_session session = session_.get();
    SftpPtr sftp(libssh().sftp_new(session));
    if (!sftp || libssh().sftp_init(sftp.get()) != SSH_OK) {
        throw Error(target_.label + ": the guest offers no SFTP (" +
                    libssh().ssh_get_error(session) + ")");
    }
    std::string destination = remote;
    sftp_attributes existing = libssh().sftp_stat(sftp.get(), remote.c_str());
    if (existing && existing->type == SSH_FILEXFER_TYPE_DIRECTORY) {
        destination = remote + "/" + local.filename().string();
    }
    libssh().sftp_attributes_free(existing);
    int fd = ::open(local.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw system_error("reading " + local.string(), errno);
    }
    struct stat st {};
    fstat(fd, &st);
    SftpFilePtr file(libssh().sftp_open(sftp.get(), destination.c_str(),
                                        O_WRONLY | O_CREAT | O_TRUNC, st.st_mode & 07777));
    if (!file) {
        ::close(fd);
        throw Error(sftp_error(target_.label + ":" + destination, sftp.get(), session));
    }
    std::array<char, kChunkBytes> buffer{};
    ssize_t got = 0;
    while ((got = ::read(fd, buffer.data(), buffer.size())) > 0) {
        if (libssh().sftp_write(file.get(), buffer.data(), static_cast<size_t>(got)) != got) {
            ::close(fd);
            throw Error(sftp_error("writing " + target_.label + ":" + destination, sftp.get(),
                                   session));
        }
    }
    int read_errno = errno;
    ::close(fd);
    if (got < 0) {
        throw system_error("reading " + local.string(), read_errno);
    }
}

void SshSession::download(const std::string& remote, const std::filesystem::path& local) {
    allow_slow_steps();
    ssh_session session = session_.get();
    SftpPtr sftp(libssh().sftp_new(session));
    if (!sftp || libssh().sftp_init(sftp.get()) != SSH_OK) {
        throw Error(target_.label + ": the guest offers no SFTP (" +
                    libssh().ssh_get_error(session) + ")");
    }
    SftpFilePtr file(libssh().sftp_open(sftp.get(), remote.c_str(), O_RDONLY, 0));
    if (!file) {
        throw Error(sftp_error(target_.label + ":" + remote, sftp.get(), session));
    }
    sftp_attributes attributes = libssh().sftp_fstat(file.get());
    mode_t mode = attributes ? attributes->permissions & 07777 : 0644;
    libssh().sftp_attributes_free(attributes);

    AtomicFile out(local, mode);
    std::array<char, kChunkBytes> buffer{};
    ssize_t got = 0;
    while ((got = libssh().sftp_read(file.get(), buffer.data(), buffer.size())) > 0) {
        out.write(std::string_view(buffer.data(), static_cast<size_t>(got)));
    }
    if (got < 0) {
        throw Error(sftp_error("reading " + target_.label + ":" + remote, sftp.get(), session));
    }
    out.commit();
}

} // namespace holos
