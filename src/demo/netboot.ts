/** Where Debian's debian-installer-12-netboot-amd64 package puts the installer kernel and initrd. */
export const NETBOOT_PACKAGE = 'debian-installer-12-netboot-amd64';
/** The package's image root (a netboot_dir for a debian image). */
export const NETBOOT_DIR = '/usr/lib/debian-installer/images/12';
export const NETBOOT_AMD64_DIR = `${NETBOOT_DIR}/amd64/text/debian-installer/amd64`;
export const NETBOOT_KERNEL = `${NETBOOT_AMD64_DIR}/linux`;
export const NETBOOT_INITRD = `${NETBOOT_AMD64_DIR}/initrd.gz`;
