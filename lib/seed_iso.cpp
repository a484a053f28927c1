// Builds NoCloud seed images in memory with libisofs. Every input to the image that could vary
// between runs is pinned: timestamps come from one fixed date, owners and modes are replaced,
// and the local charset is fixed, so the same files always give the same bytes. That keeps a
// regenerated seed from looking changed and makes the images easy to compare in tests.
#include "seed_iso.hpp"

#include "atomic_file.hpp"
#include "error.hpp"
#include "shared_library.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

// The burn_source struct is declared by libburn; libisofs carries a copy for programs that
// read the image themselves instead of handing it to libburn.
#define LIBISOFS_WITHOUT_LIBBURN 1
#include <libisofs/libisofs.h>

// Every libisofs function holos calls; the library is opened at first use (see
// shared_library.hpp), as only an instance's start builds a seed.
#define HOLOS_LIBISOFS_FUNCTIONS(X)                                                                \
    X(iso_error_to_msg)                                                                            \
    X(iso_image_add_new_file)                                                                      \
    X(iso_image_create_burn_source)                                                                \
    X(iso_image_get_root)                                                                          \
    X(iso_image_new)                                                                               \
    X(iso_image_unref)                                                                             \
    X(iso_init_with_flag)                                                                          \
    X(iso_memory_stream_new)                                                                       \
    X(iso_set_local_charset)                                                                       \
    X(iso_set_msgs_severities)                                                                     \
    X(iso_stream_unref)                                                                            \
    X(iso_write_opts_free)                                                                         \
    X(iso_write_opts_new)                                                                          \
    X(iso_write_opts_set_always_gmt)                                                               \
    X(iso_write_opts_set_default_dir_mode)                                                         \
    X(iso_write_opts_set_default_file_mode)                                                        \
    X(iso_write_opts_set_default_gid)                                                              \
    X(iso_write_opts_set_default_timestamp)                                                        \
    X(iso_write_opts_set_default_uid)                                                              \
    X(iso_write_opts_set_dir_rec_mtime)                                                            \
    X(iso_write_opts_set_fifo_size)                                                                \
    X(iso_write_opts_set_iso_level)                                                                \
    X(iso_write_opts_set_joliet)                                                                   \
    X(iso_write_opts_set_pvd_times)                                                                \
    X(iso_write_opts_set_relaxed_vol_atts)                                                         \
    X(iso_write_opts_set_replace_mode)                                                             \
    X(iso_write_opts_set_replace_timestamps)                                                       \
    X(iso_write_opts_set_rockridge)

namespace holos {
namespace {

struct LibIsofs {
    HOLOS_LIBISOFS_FUNCTIONS(HOLOS_DECLARE_FUNCTION)
};

LibIsofs open_libisofs() {
    const char* soname = "libisofs.so.6";
    void* library = open_shared_library(soname, "libisofs6", "building a cloud-init seed");
    LibIsofs api;
    HOLOS_LIBISOFS_FUNCTIONS(HOLOS_BIND_FUNCTION)
    return api;
}

const LibIsofs& libisofs() {
    static const LibIsofs api = open_libisofs();
    return api;
}

// 2000-01-01 00:00:00 UTC, used for every timestamp in the image.
constexpr time_t kFixedTime = 946684800;
// The same moment as an ECMA-119 volume time "YYYYMMDDhhmmsscc"; libisofs derives its idea of
// "now" (directory records, volume descriptors) from it instead of the clock.
constexpr char kFixedVolumeTime[] = "2000010100000000";
constexpr int kBlockSize = 2048;
// The ring buffer between libisofs's writer thread and the reader. Its default, 2 MiB, is a
// mapping of its own, faulted in and unmapped again by a prepare process that builds one seed
// of some 70 KiB; 32 blocks is the least libisofs takes, and stays under malloc's threshold
// for a mapping.
constexpr size_t kFifoBlocks = 32;

struct ImageUnref {
    void operator()(IsoImage* image) const { libisofs().iso_image_unref(image); }
};
struct WriteOptsFree {
    void operator()(IsoWriteOpts* opts) const { libisofs().iso_write_opts_free(opts); }
};
struct StreamUnref {
    void operator()(IsoStream* stream) const { libisofs().iso_stream_unref(stream); }
};
struct BurnSourceFree {
    // free_data stops and joins the generator thread; the struct itself is plain malloc'd.
    void operator()(burn_source* source) const {
        source->free_data(source);
        std::free(source);
    }
};
struct MallocFree {
    void operator()(unsigned char* buffer) const { std::free(buffer); }
};

using ImagePtr = std::unique_ptr<IsoImage, ImageUnref>;
using WriteOptsPtr = std::unique_ptr<IsoWriteOpts, WriteOptsFree>;
using StreamPtr = std::unique_ptr<IsoStream, StreamUnref>;
using BurnSourcePtr = std::unique_ptr<burn_source, BurnSourceFree>;

class Builder {
public:
    explicit Builder(const std::filesystem::path& path) : path_(path) {}

    // Throws Error("building seed image PATH: STEP: libisofs message") when `status` < 0.
    void check(int status, const char* step) const {
        if (status < 0) {
            throw Error("building seed image " + path_.string() + ": " + step + ": " +
                        libisofs().iso_error_to_msg(status));
        }
    }

    [[noreturn]] void fail(const std::string& cause) const {
        throw Error("building seed image " + path_.string() + ": " + cause);
    }

private:
    std::filesystem::path path_;
};

int init_libisofs() {
    // Flag 1: leave the process locale alone; the charset is pinned below instead.
    int status = libisofs().iso_init_with_flag(1);
    if (status < 0) {
        return status;
    }
    // lib/ never prints: libisofs would otherwise write FATAL messages to stderr.
    static char never[] = "NEVER";
    static char no_prefix[] = "";
    static char utf8[] = "UTF-8";
    if (libisofs().iso_set_msgs_severities(never, never, no_prefix) <= 0 ||
        libisofs().iso_set_local_charset(utf8, 0) <= 0) {
        return static_cast<int>(ISO_ERROR);
    }
    return ISO_SUCCESS;
}

void init_libisofs_once(const Builder& builder) {
    static std::once_flag once;
    static int status = 0;
    std::call_once(once, [] { status = init_libisofs(); });
    builder.check(status, "initializing libisofs");
}

void add_file(const Builder& builder, IsoImage* image, const SeedFile& file) {
    if (file.name.empty() || file.name.find('/') != std::string::npos) {
        builder.fail("invalid file name \"" + file.name + "\"");
    }

    // The memory stream takes ownership of a malloc'd buffer; malloc(0) may give NULL.
    std::unique_ptr<unsigned char, MallocFree> buffer(
        static_cast<unsigned char*>(std::malloc(file.content.size() + 1)));
    if (!buffer) {
        builder.fail("out of memory");
    }
    std::memcpy(buffer.get(), file.content.data(), file.content.size());

    IsoStream* raw_stream = nullptr;
    builder.check(libisofs().iso_memory_stream_new(buffer.get(), file.content.size(), &raw_stream),
                  file.name.c_str());
    buffer.release();
    StreamPtr stream(raw_stream);

    // Owner, mode (0444) and timestamps are replaced at write time, see make_write_opts().
    builder.check(libisofs().iso_image_add_new_file(image, libisofs().iso_image_get_root(image),
                                                    file.name.c_str(), stream.get(), nullptr),
                  file.name.c_str());
    stream.release(); // now owned by the file node
}

WriteOptsPtr make_write_opts(const Builder& builder) {
    IsoWriteOpts* raw = nullptr;
    builder.check(libisofs().iso_write_opts_new(&raw, 2), "creating write options");
    WriteOptsPtr opts(raw);

    IsoWriteOpts* o = opts.get();
    std::string volume_time = kFixedVolumeTime; // libisofs wants a mutable char*
    builder.check(libisofs().iso_write_opts_set_iso_level(o, 3), "setting the ISO level");
    builder.check(libisofs().iso_write_opts_set_rockridge(o, 1), "enabling Rock Ridge");
    builder.check(libisofs().iso_write_opts_set_joliet(o, 1), "enabling Joliet");
    // Keep the volume id lowercase, as genisoimage does: older cloud-init and udev's by-label
    // links look for "cidata" exactly, while strict ISO 9660 would upper-case it.
    builder.check(libisofs().iso_write_opts_set_relaxed_vol_atts(o, 1), "relaxing the volume id");
    builder.check(libisofs().iso_write_opts_set_replace_mode(o, 2, 2, 2, 2),
                  "setting replace modes");
    builder.check(libisofs().iso_write_opts_set_default_dir_mode(o, 0555),
                  "setting the directory mode");
    builder.check(libisofs().iso_write_opts_set_default_file_mode(o, 0444),
                  "setting the file mode");
    builder.check(libisofs().iso_write_opts_set_default_uid(o, 0), "setting the owner");
    builder.check(libisofs().iso_write_opts_set_default_gid(o, 0), "setting the group");
    builder.check(libisofs().iso_write_opts_set_replace_timestamps(o, 2), "replacing timestamps");
    builder.check(libisofs().iso_write_opts_set_default_timestamp(o, kFixedTime),
                  "setting timestamps");
    builder.check(libisofs().iso_write_opts_set_dir_rec_mtime(o, 1), "setting record timestamps");
    builder.check(libisofs().iso_write_opts_set_always_gmt(o, 1), "setting GMT timestamps");
    builder.check(libisofs().iso_write_opts_set_pvd_times(o, kFixedTime, kFixedTime, 0, 0,
                                                          volume_time.data()),
                  "setting volume times");
    builder.check(libisofs().iso_write_opts_set_fifo_size(o, kFifoBlocks), "setting the FIFO size");
    return opts;
}

std::string read_image(const Builder& builder, IsoImage* image, IsoWriteOpts* opts) {
    burn_source* raw = nullptr;
    builder.check(libisofs().iso_image_create_burn_source(image, opts, &raw),
                  "starting the writer");
    BurnSourcePtr source(raw);

    std::string data;
    if (off_t size = source->get_size(source.get()); size > 0) {
        data.reserve(static_cast<size_t>(size)); // no copy as the image grows
    }
    unsigned char block[kBlockSize];
    for (;;) {
        int n = source->read_xt(source.get(), block, kBlockSize);
        if (n < 0) {
            builder.fail("the image writer failed");
        }
        if (n == 0) {
            return data;
        }
        data.append(reinterpret_cast<const char*>(block), static_cast<size_t>(n));
    }
}

std::string build_image(const std::filesystem::path& path, const std::vector<SeedFile>& files) {
    Builder builder(path);
    init_libisofs_once(builder);

    // The image name becomes the volume id, which is how cloud-init finds the seed.
    IsoImage* raw = nullptr;
    builder.check(libisofs().iso_image_new("cidata", &raw), "creating the image");
    ImagePtr image(raw);

    for (const SeedFile& file : files) {
        add_file(builder, image.get(), file);
    }
    WriteOptsPtr opts = make_write_opts(builder);
    return read_image(builder, image.get(), opts.get());
}

} // namespace

void write_seed_iso(const std::filesystem::path& path, const std::vector<SeedFile>& files) {
    // 0600: the seed carries the SSH public key and the user's cloud-init configuration.
    // prepare writes it before every start of QEMU, so a crash cannot leave one to be read.
    write_file_atomic(path, build_image(path, files), 0600, Durability::rewritten_before_use);
}

} // namespace holos
