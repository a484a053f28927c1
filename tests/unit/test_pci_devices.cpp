// PCI passthrough against a fake sysfs tree built by each test: device listing, names from a
// small pci.ids, the IOMMU group rules, the checks holos-instance prepare makes, the QEMU
// arguments and the per-instance UEFI variables.
#include "firmware.hpp"
#include "instance_prep.hpp"
#include "pci_devices.hpp"
#include "pci_ids.hpp"
#include "temp_dir.hpp"

#include "error.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace holos {
namespace {

using testing_support::TempDir;

struct FakeDevice {
    std::string address;
    std::string vendor, device, class_code;
    std::string driver; // empty: none
    int group = -1;     // -1: no IOMMU group
};

class FakeSysfs {
public:
    void add(const FakeDevice& d) const {
        std::filesystem::path dir = root() / "bus/pci/devices" / d.address;
        std::filesystem::create_directories(dir);
        std::ofstream(dir / "vendor") << "0x" << d.vendor << "\n";
        std::ofstream(dir / "device") << "0x" << d.device << "\n";
        std::ofstream(dir / "class") << "0x" << d.class_code << "\n";
        if (!d.driver.empty()) {
            std::filesystem::create_directory_symlink("../../../../bus/pci/drivers/" + d.driver,
                                                      dir / "driver");
        }
        if (d.group >= 0) {
            std::filesystem::create_directory_symlink(
                "../../../../kernel/iommu_groups/" + std::to_string(d.group), dir / "iommu_group");
        }
    }
    std::filesystem::path root() const { return dir_.path(); }

private:
    TempDir dir_;
};

// A GPU and its audio function in group 12, a NIC alone in group 3, a bridge in group 12.
void add_workstation(const FakeSysfs& sysfs, const std::string& gpu_driver,
                     const std::string& audio_driver) {
    sysfs.add({"0000:00:01.0", "8086", "1901", "060400", "pcieport", 12});
    sysfs.add({"0000:01:00.0", "10de", "1b80", "030000", gpu_driver, 12});
    sysfs.add({"0000:01:00.1", "10de", "10f0", "040300", audio_driver, 12});
    sysfs.add({"0000:03:00.0", "8086", "1533", "020000", "igb", 3});
}

const PciDeviceInfo& find(const std::vector<PciDeviceInfo>& all, const std::string& address) {
    for (const PciDeviceInfo& device : all) {
        if (device.address == address) {
            return device;
        }
    }
    throw std::runtime_error("no device " + address);
}

TEST(PciDevices, ReadsVendorDeviceClassDriverAndGroupFromSysfs) {
    FakeSysfs sysfs;
    add_workstation(sysfs, "nvidia", "snd_hda_intel");
    sysfs.add({"0000:04:00.0", "1af4", "1041", "020000", "", -1});
    std::vector<PciDeviceInfo> all = read_pci_devices(sysfs.root());
    ASSERT_EQ(all.size(), 5u);
    const PciDeviceInfo& gpu = find(all, "0000:01:00.0");
    EXPECT_EQ(gpu.vendor_id, 0x10de);
    EXPECT_EQ(gpu.device_id, 0x1b80);
    EXPECT_EQ(gpu.class_code, 0x030000u);
    EXPECT_EQ(gpu.driver, "nvidia");
    EXPECT_EQ(gpu.iommu_group, 12);
    EXPECT_TRUE(is_display_device(gpu));
    const PciDeviceInfo& virtio = find(all, "0000:04:00.0");
    EXPECT_EQ(virtio.driver, "");
    EXPECT_EQ(virtio.iommu_group, std::nullopt);
    EXPECT_EQ(all.front().address, "0000:00:01.0");
}

TEST(PciDevices, AnUnreadableTreeHasNoDevices) {
    EXPECT_TRUE(read_pci_devices("/nonexistent/sysfs").empty());
}

TEST(PciPassthrough, MarksEachDeviceByDriverAndGroup) {
    FakeSysfs sysfs;
    add_workstation(sysfs, "vfio-pci", "snd_hda_intel");
    sysfs.add({"0000:04:00.0", "1af4", "1041", "020000", "", -1});
    std::vector<PciDeviceInfo> all = read_pci_devices(sysfs.root());
    EXPECT_EQ(passthrough_state(find(all, "0000:01:00.0"), all), Passthrough::shared_group);
    EXPECT_EQ(passthrough_state(find(all, "0000:03:00.0"), all), Passthrough::bind);
    EXPECT_EQ(passthrough_state(find(all, "0000:04:00.0"), all), Passthrough::no_iommu);
    std::vector<PciDeviceInfo> peers = blocking_group_peers(find(all, "0000:01:00.0"), all);
    ASSERT_EQ(peers.size(), 1u); // the bridge in group 12 does not count
    EXPECT_EQ(peers[0].address, "0000:01:00.1");
}

TEST(PciPassthrough, AGroupBoundToVfioIsReady) {
    FakeSysfs sysfs;
    add_workstation(sysfs, "vfio-pci", "vfio-pci");
    std::vector<PciDeviceInfo> all = read_pci_devices(sysfs.root());
    EXPECT_EQ(passthrough_state(find(all, "0000:01:00.0"), all), Passthrough::ready);
    EXPECT_EQ(passthrough_state(find(all, "0000:01:00.1"), all), Passthrough::ready);
}

TEST(PciPassthrough, ProblemsSayHowToFixThem) {
    FakeSysfs sysfs;
    add_workstation(sysfs, "nvidia", "snd_hda_intel");
    sysfs.add({"0000:04:00.0", "1af4", "1041", "020000", "", -1});
    std::vector<std::string> problems =
        passthrough_problems(sysfs.root(), {"0000:01:00.0", "0000:05:00.0", "0000:04:00.0"});
    const std::string dir = "/sys/bus/pci/devices/0000:01:00.0";
    EXPECT_EQ(problems,
              (std::vector<std::string>{
                  "PCI device 0000:01:00.0 is bound to nvidia, not vfio-pci; bind it with: "
                  "modprobe vfio-pci; echo vfio-pci > " +
                      dir +
                      "/driver_override; echo "
                      "0000:01:00.0 > " +
                      dir +
                      "/driver/unbind; echo 0000:01:00.0 > "
                      "/sys/bus/pci/drivers_probe",
                  "PCI device 0000:01:00.0 shares IOMMU group 12 with 0000:01:00.1 (bound to "
                  "snd_hda_intel), which must be bound to vfio-pci too: modprobe vfio-pci; echo "
                  "vfio-pci > /sys/bus/pci/devices/0000:01:00.1/driver_override; echo "
                  "0000:01:00.1 > /sys/bus/pci/devices/0000:01:00.1/driver/unbind; echo "
                  "0000:01:00.1 > /sys/bus/pci/drivers_probe",
                  "PCI device 0000:05:00.0 does not exist on this host; holosctl devices lists "
                  "the ones it has",
                  "PCI device 0000:04:00.0 has no IOMMU group: turn the IOMMU on "
                  "(intel_iommu=on or amd_iommu=on on the kernel command line) and reboot"}));
}

TEST(PciPassthrough, PassingTheWholeGroupIsFine) {
    FakeSysfs sysfs;
    add_workstation(sysfs, "vfio-pci", "vfio-pci");
    EXPECT_TRUE(passthrough_problems(sysfs.root(), {"0000:01:00.0", "0000:01:00.1"}).empty());
}

TEST(PciPassthrough, DriverlessDeviceIsBoundWithoutAnUnbind) {
    FakeSysfs sysfs;
    sysfs.add({"0000:03:00.0", "8086", "1533", "020000", "", 3});
    std::vector<std::string> problems = passthrough_problems(sysfs.root(), {"0000:03:00.0"});
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0], "PCI device 0000:03:00.0 is bound to no driver, not vfio-pci; bind "
                           "it with: modprobe vfio-pci; echo vfio-pci > "
                           "/sys/bus/pci/devices/0000:03:00.0/driver_override; echo "
                           "0000:03:00.0 > /sys/bus/pci/drivers_probe");
}

Project passthrough_project(const std::filesystem::path& base, const std::string& address) {
    Project project;
    project.name = "gpu";
    project.base_dir = base;
    Service service;
    service.name = "render";
    service.image = (base / "base.qcow2").string();
    service.vm.uefi = true;
    service.devices.push_back({address, {}});
    project.services.push_back(service);
    return project;
}

TEST(PciPassthrough, PrepareRefusesToStartWithADeviceOnAHostDriver) {
    FakeSysfs sysfs;
    add_workstation(sysfs, "nvidia", "vfio-pci");
    TempDir state;
    Paths paths;
    paths.state_dir = state.path() / "lib";
    paths.runtime_dir = state.path() / "run";
    Project project = passthrough_project(state.path(), "0000:01:00.0");
    PrepareRequest request{
        paths,   project, project.services[0], 0, "ssh-ed25519 AAAA k", "/usr/bin/qemu-img",
        nullptr, sysfs.root()};
    try {
        prepare_instance(request);
        FAIL() << "prepare_instance accepted a device bound to nvidia";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).substr(0, 67),
                  "PCI device 0000:01:00.0 is bound to nvidia, not vfio-pci; bind it w");
    }
    EXPECT_FALSE(std::filesystem::exists(instance_files(paths, "gpu", "render-0").overlay));
}

TEST(PciIds, NamesClassVendorAndDevice) {
    TempDir dir;
    std::ofstream(dir.path() / "pci.ids")
        << "# comment\n10de  NVIDIA Corporation\n\t1b80  GP104 [GeForce GTX 1080]\n"
           "\t\t1043 8591  ROG STRIX\n8086  Intel Corporation\n"
           "C 03  Display controller\n\t00  VGA compatible controller\n\t\t00  VGA controller\n"
           "C 04  Multimedia controller\n";
    PciNames names = PciNames::load(dir.path() / "pci.ids");
    EXPECT_EQ(names.describe({"0000:01:00.0", 0x10de, 0x1b80, 0x030000, "", 1}),
              "VGA compatible controller: NVIDIA Corporation GP104 [GeForce GTX 1080]");
    EXPECT_EQ(names.describe({"0000:01:00.1", 0x10de, 0x10f0, 0x040300, "", 1}),
              "Multimedia controller: NVIDIA Corporation");
    EXPECT_EQ(names.describe({"0000:02:00.0", 0x1234, 0x0001, 0x0c0330, "", 1}), "class 0c03");
    EXPECT_EQ(PciNames::load("/nonexistent").describe({"a", 0x10de, 1, 0x030000, "", 1}),
              "class 0300");
}

TEST(VfioArgs, PassEachDeviceWithItsEscapedRomFile) {
    Service service;
    service.devices = {{"0000:01:00.0", "/srv/roms/gtx,1080.rom"}, {"0000:01:00.1", {}}};
    EXPECT_EQ(vfio_args(service),
              (std::vector<std::string>{
                  "-device", "vfio-pci,host=0000:01:00.0,romfile=/srv/roms/gtx,,1080.rom",
                  "-device", "vfio-pci,host=0000:01:00.1"}));
}

TEST(UefiFirmware, CopiesTheVariablesOncePerInstance) {
    TempDir dir;
    std::ofstream(dir.path() / "CODE.fd") << "code";
    std::ofstream(dir.path() / "VARS.fd") << "template";
    Firmware firmware{dir.path() / "CODE.fd", dir.path() / "VARS.fd"};
    Service service;
    service.vm.uefi = true;
    InstanceFiles files;
    files.efi_vars = dir.path() / "efi-vars.fd";
    EXPECT_EQ(prepare_firmware(service, files, firmware), "created UEFI variables " +
                                                              files.efi_vars.string() + " from " +
                                                              firmware.vars_template.string());
    EXPECT_EQ(testing_support::file_mode(files.efi_vars), 0600u);
    std::ofstream(files.efi_vars) << "written by the guest";
    EXPECT_EQ(prepare_firmware(service, files, firmware), "");
    std::ifstream in(files.efi_vars);
    std::string kept((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(kept, "written by the guest");
    EXPECT_EQ(
        firmware_args(service, files, firmware),
        (std::vector<std::string>{
            "-drive", "if=pflash,unit=0,format=raw,readonly=on,file=" + firmware.code.string(),
            "-drive", "if=pflash,unit=1,format=raw,file=" + files.efi_vars.string()}));
    service.vm.uefi = false;
    EXPECT_TRUE(firmware_args(service, files, firmware).empty());
}

TEST(UefiFirmware, NamesThePackageWhenOvmfIsMissing) {
    Service service;
    service.vm.uefi = true;
    InstanceFiles files;
    try {
        prepare_firmware(service, files, {"/nonexistent/CODE.fd", "/nonexistent/VARS.fd"});
        FAIL() << "no error without firmware";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "UEFI firmware /nonexistent/CODE.fd is missing; install it "
                               "(Debian package ovmf)");
    }
}

} // namespace
} // namespace holos
