#include "firmware.hpp"

#include "atomic_file.hpp"
#include "error.hpp"
#include "holos_build_config.hpp"
#include "qemu_args.hpp"

namespace holos {

Firmware configured_firmware() {
    return {HOLOS_OVMF_CODE, HOLOS_OVMF_VARS};
}

std::vector<std::string> firmware_args(const Service& service, const InstanceFiles& files,
                                       const Firmware& firmware) {
    if (!service.vm.uefi) {
        return {};
    }
    return {
        "-drive",
        "if=pflash,unit=0,format=raw,readonly=on,file=" + qemu_escape(firmware.code.string()),
        "-drive",
        "if=pflash,unit=1,format=raw,file=" + qemu_escape(files.efi_vars.string()),
    };
}

std::string prepare_firmware(const Service& service, const InstanceFiles& files,
                             const Firmware& firmware) {
    if (!service.vm.uefi) {
        return "";
    }
    std::error_code ec;
    if (!std::filesystem::exists(firmware.code, ec)) {
        throw Error("UEFI firmware " + firmware.code.string() +
                    " is missing; install it (Debian package ovmf)");
    }
    if (std::filesystem::exists(files.efi_vars, ec)) {
        return "";
    }
    std::string vars;
    try {
        vars = read_file(firmware.vars_template);
    } catch (const Error& e) {
        throw Error(std::string("the UEFI variable store template is missing; install it "
                                "(Debian package ovmf): ") +
                    e.what());
    }
    write_file_atomic(files.efi_vars, vars, 0600);
    return "created UEFI variables " + files.efi_vars.string() + " from " +
           firmware.vars_template.string();
}

} // namespace holos
