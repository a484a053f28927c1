// holosctl image import | build: adding images that are not downloaded. import files a local
// qcow2 or raw file; build makes one from distribution packages with the recipe the tests
// use (build-guest-image.sh, installed beside holos-instance), then imports the result.

#include "verbs.hpp"

#include "image_options.hpp"

#include "error.hpp"
#include "holos_build_config.hpp"
#include "image_catalogue.hpp"
#include "image_import.hpp"
#include "instance_status.hpp"
#include "process.hpp"

#include <CLI/CLI.hpp>
#include <array>
#include <iostream>
#include <memory>
#include <unistd.h>

namespace holos::ctl {
namespace {

// Images `image build` can make; the script caches its result below kBuildCacheDir and
// rebuilds only when the script changes.
struct BuildRecipe {
    const char* image;  // canonical reference
    const char* script; // in the libexec directory
    const char* cache;  // below kBuildCacheDir
};

constexpr const char* kBuildCacheDir = "/var/cache/holos/build";
constexpr std::array kBuildRecipes = {
    BuildRecipe{"debian:12", "build-guest-image.sh", "debian-12"},
};

struct ImageVerbOptions {
    std::string file;
    std::string name;
    std::string format;
    std::string image;
};

void print_stored(const ImageStore& store, const StoredImage& image) {
    std::cout << "stored " << image.reference.str() << " (" << format_bytes(image.size_bytes)
              << ", " << image.format << "): " << store.blob_path(image.sha256).string() << "\n";
}

int run_import(const ImageVerbOptions& options, const GlobalOptions& global) {
    ImageStore store = store_for(global);
    ImportRequest request{
        options.file,         reference_argument(options.name), options.format, "import", "",
        HOLOS_QEMU_IMG_BINARY};
    print_stored(store, import_image(store, request));
    return kExitOk;
}

const BuildRecipe& recipe_for(const ImageReference& reference) {
    std::string wanted = canonical_reference(reference).str();
    for (const BuildRecipe& recipe : kBuildRecipes) {
        if (recipe.image == wanted) {
            return recipe;
        }
    }
    std::string known;
    for (const BuildRecipe& recipe : kBuildRecipes) {
        known += (known.empty() ? "" : ", ") + std::string(recipe.image);
    }
    throw Failure("image build knows how to build " + known + ", not " + reference.str(),
                  kExitUsage);
}

int run_build(const ImageVerbOptions& options, const GlobalOptions& global) {
    const BuildRecipe& recipe = recipe_for(reference_argument(options.image));
    if (::geteuid() != 0) {
        throw Failure("image build needs root: the recipe bootstraps a root filesystem and "
                      "loop-mounts the disk it makes");
    }
    std::filesystem::path script = std::filesystem::path(HOLOS_LIBEXEC_DIR) / recipe.script;
    std::filesystem::path cache = std::filesystem::path(kBuildCacheDir) / recipe.cache;
    std::cout << "building " << recipe.image << " with " << script.string() << " (cached in "
              << cache.string() << ")" << std::endl;
    int status = run_command_attached({script.string(), cache.string()});
    if (status != 0) {
        throw Failure("building " + std::string(recipe.image) + ": " + script.string() +
                      " exited with status " + std::to_string(status));
    }
    ImageStore store = store_for(global);
    ImportRequest request{
        cache / "base.qcow2", reference_argument(recipe.image), "qcow2", "build", script.string(),
        HOLOS_QEMU_IMG_BINARY};
    print_stored(store, import_image(store, request));
    return kExitOk;
}

} // namespace

VerbRun setup_image(CLI::App& command, const GlobalOptions& global) {
    auto options = std::make_shared<ImageVerbOptions>();
    command.require_subcommand(1);
    // The global flags live on "image" itself; fallthrough lets them follow the sub-verb.
    CLI::App* import = command.add_subcommand("import", "add a local qcow2 or raw file");
    import->fallthrough();
    import->add_option("file", options->file, "the image file")->required();
    import->add_option("--name", options->name, "NAME[:TAG] to file it under")->required();
    import->add_option("--format", options->format, "qcow2 or raw (default: as detected)")
        ->check(CLI::IsMember({"qcow2", "raw"}));
    CLI::App* build = command.add_subcommand("build", "build an image from distribution packages");
    build->fallthrough();
    build->add_option("image", options->image, "the image to build (debian:12)")->required();
    return [options, import, &global] {
        return import->parsed() ? run_import(*options, global) : run_build(*options, global);
    };
}

} // namespace holos::ctl
