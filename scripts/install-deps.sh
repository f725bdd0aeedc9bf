#!/usr/bin/env bash
# Installs the Debian packages SharpNT's tests use, if they are missing:
#   gcc-mingw-w64-x86-64  (layout conformance tests compile C against the DDK headers)
#   dosfstools, mtools    (FAT images are checked with mkfs.fat, fsck.fat, mcopy, mtype)
#   fdisk, parted         (partitioned disk images are made with sfdisk and parted)
set -euo pipefail

need=()
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need+=(gcc-mingw-w64-x86-64)
command -v mkfs.fat >/dev/null 2>&1 || need+=(dosfstools)
command -v mcopy >/dev/null 2>&1 || need+=(mtools)
command -v sfdisk >/dev/null 2>&1 || [ -x /usr/sbin/sfdisk ] || need+=(fdisk)
command -v parted >/dev/null 2>&1 || [ -x /usr/sbin/parted ] || need+=(parted)
[ ${#need[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
echo "Installing ${need[*]} ..."
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${need[@]}" >/dev/null
