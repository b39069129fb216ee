#!/usr/bin/env bash
# Installs the Debian packages BareFlow needs to build, run and test.
# A no-op (one dpkg query) when everything is present; never prompts.
set -euo pipefail
pkgs=(
  make gcc gcc-i686-linux-gnu binutils-i686-linux-gnu libc6-dev-i386-cross nasm
  clang-19 llvm-19 lld-19 libclang-rt-19-dev
  grub-pc-bin grub-common xorriso mtools dosfstools
  qemu-system-x86 qemu-user
  libcriterion-dev libunicorn-dev libcapstone-dev pkg-config
  csmith gnuplot-nox gdb
  python3
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
