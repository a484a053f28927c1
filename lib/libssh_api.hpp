// libssh, opened at first use (see shared_library.hpp): only exec, cp, run, the health probe
// and key generation speak SSH.
#pragma once

#include "shared_library.hpp"

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/sftp.h>

// Every libssh function holos calls.
#define HOLOS_LIBSSH_FUNCTIONS(X)                                                                  \
    X(ssh_new)                                                                                     \
    X(ssh_free)                                                                                    \
    X(ssh_options_set)                                                                             \
    X(ssh_connect)                                                                                 \
    X(ssh_disconnect)                                                                              \
    X(ssh_get_error)                                                                               \
    X(ssh_get_fd)                                                                                  \
    X(ssh_get_server_publickey)                                                                    \
    X(ssh_userauth_publickey)                                                                      \
    X(ssh_key_free)                                                                                \
    X(ssh_key_type)                                                                                \
    X(ssh_key_type_to_char)                                                                        \
    X(ssh_pki_generate)                                                                            \
    X(ssh_pki_import_privkey_file)                                                                 \
    X(ssh_pki_export_privkey_base64)                                                               \
    X(ssh_pki_export_pubkey_base64)                                                                \
    X(ssh_string_free_char)                                                                        \
    X(ssh_set_channel_callbacks)                                                                   \
    X(ssh_channel_new)                                                                             \
    X(ssh_channel_free)                                                                            \
    X(ssh_channel_open_session)                                                                    \
    X(ssh_channel_request_exec)                                                                    \
    X(ssh_channel_request_shell)                                                                   \
    X(ssh_channel_request_pty_size)                                                                \
    X(ssh_channel_change_pty_size)                                                                 \
    X(ssh_channel_write)                                                                           \
    X(ssh_channel_read_nonblocking)                                                                \
    X(ssh_channel_poll)                                                                            \
    X(ssh_channel_send_eof)                                                                        \
    X(ssh_channel_is_eof)                                                                          \
    X(ssh_channel_is_closed)                                                                       \
    X(ssh_channel_close)                                                                           \
    X(ssh_channel_get_exit_status)                                                                 \
    X(sftp_new)                                                                                    \
    X(sftp_init)                                                                                   \
    X(sftp_free)                                                                                   \
    X(sftp_get_error)                                                                              \
    X(sftp_stat)                                                                                   \
    X(sftp_fstat)                                                                                  \
    X(sftp_attributes_free)                                                                        \
    X(sftp_open)                                                                                   \
    X(sftp_read)                                                                                   \
    X(sftp_write)                                                                                  \
    X(sftp_close)

namespace holos {

struct LibSsh {
    HOLOS_LIBSSH_FUNCTIONS(HOLOS_DECLARE_FUNCTION)
};

// The library, opened on the first call. Throws Error when it is missing.
const LibSsh& libssh();

} // namespace holos
