#!/bin/bash
# metalboot disk image (src/image/disk/assemble.ts runs this): turns an mmdebstrap root into the
# installed system's file systems and GRUB boot blocks; assemble.ts then lays them out on a GPT disk.
# No loop devices or mounts (containers get no partition nodes): mkfs.ext4 -d, mkfs.vfat -C + mtools.
# Usage: assemble.sh <root> <out dir> <shipped rootfs/ dir>
# Writes <out>/root.ext4 (label metalroot), <out>/esp.vfat (EFI/BOOT/BOOTX64.EFI),
# <out>/core.img (i386-pc, for the BIOS boot partition) and <out>/boot.img.
set -euo pipefail
root=$1 out=$2 shipped=$3
ch() { chroot "$root" env PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 "$@"; }
step() { echo "assemble: $*"; }

step "metalboot units and identity"
cp -a "$shipped/." "$root/"
chown -R 0:0 "$root/usr/lib/metalboot"
ch systemctl enable systemd-networkd.service systemd-resolved.service ssh.service metalboot-device.service metalboot-report.service
# On a disk the root is read-only until systemd-remount-fs: apply the device data after it.
mkdir -p "$root/etc/systemd/system/metalboot-device.service.d"
printf '[Unit]\nAfter=systemd-remount-fs.service\n' > "$root/etc/systemd/system/metalboot-device.service.d/disk.conf"
ch systemctl disable getty@tty1.service
ch systemctl mask systemd-logind.service modprobe@drm.service
rm -f "$root"/etc/ssh/ssh_host_*
echo metalboot > "$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n' > "$root/etc/hosts"
: > "$root/etc/machine-id"
ln -sf ../run/systemd/resolve/stub-resolv.conf "$root/etc/resolv.conf"
echo 'LABEL=metalroot / ext4 defaults,errors=remount-ro 0 1' > "$root/etc/fstab"

step "kernel modules no server loads"
kver=$(ls "$root/lib/modules")
for d in drivers/gpu sound drivers/media drivers/net/wireless net/wireless net/mac80211 drivers/infiniband drivers/staging drivers/bluetooth net/bluetooth drivers/iio drivers/hid drivers/input/touchscreen; do
  rm -rf "$root/lib/modules/$kver/kernel/$d"
done
ch depmod -a "$kver"
rm -rf "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/*

step "GRUB (i386-pc and x86_64-efi) on ttyS1"
for platform in i386-pc x86_64-efi; do
  mkdir -p "$root/boot/grub/$platform"
  cp "$root/usr/lib/grub/$platform/"*.mod "$root/usr/lib/grub/$platform/"*.lst "$root/boot/grub/$platform/"
done
# Modules loaded by name: EFI GRUB's command list was read before its embedded config set the prefix.
cat > "$root/boot/grub/grub.cfg" <<CFG
insmod serial
insmod terminal
insmod part_gpt
insmod ext2
insmod linux
serial --unit=1 --speed=115200 --word=8 --parity=no --stop=1
terminal_input serial
terminal_output serial
set timeout=1
menuentry 'Debian (metalboot)' {
  insmod part_gpt
  insmod ext2
  search --no-floppy --label --set=root metalroot
  linux /boot/vmlinuz-$kver root=LABEL=metalroot ro console=tty0 console=ttyS1,115200n8 net.ifnames=0
  initrd /boot/initrd.img-$kver
}
CFG
# EFI GRUB starts on the ESP: it finds the root by its label and reads the same grub.cfg.
cat > "$root/tmp/efi-embed.cfg" <<'CFG'
search --no-floppy --label --set=root metalroot
set prefix=($root)/boot/grub
configfile $prefix/grub.cfg
CFG
ch grub-mkimage -O i386-pc -o /tmp/core.img -p "(hd0,gpt3)/boot/grub" biosdisk part_gpt ext2
ch grub-mkimage -O x86_64-efi -o /tmp/BOOTX64.EFI -c /tmp/efi-embed.cfg -p /boot/grub part_gpt fat ext2 search search_label configfile normal serial terminal linux
mv "$root/tmp/core.img" "$out/core.img"
mv "$root/tmp/BOOTX64.EFI" "$out/BOOTX64.EFI"
rm -f "$root/tmp/efi-embed.cfg"
cp "$root/usr/lib/grub/i386-pc/boot.img" "$out/boot.img"

step "ESP (FAT, 32 MiB)"
rm -f "$out/esp.vfat"
mkfs.vfat -C -n ESP "$out/esp.vfat" 32768 >/dev/null
mmd -i "$out/esp.vfat" ::/EFI ::/EFI/BOOT
mcopy -i "$out/esp.vfat" "$out/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
rm -f "$out/BOOTX64.EFI"

step "root file system (ext4, label metalroot)"
used=$(du -sm "$root" | cut -f1)
size=$(( used * 13 / 10 + 200 ))
rm -f "$out/root.ext4"
mkfs.ext4 -q -L metalroot -d "$root" "$out/root.ext4" "${size}M"
echo "assemble: kernel $kver, root ${used} MiB in a ${size} MiB file system"
