#!/usr/bin/env bash
# Installs the Debian 12 packages advect builds with, and any named as arguments, if any is
# missing (needs root for apt-get).
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config ccache
  libopen3d-dev libvtk9-dev libeigen3-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev libspdlog-dev
  libzip-dev libcairo2-dev libpng-dev libjpeg62-turbo-dev fonts-dejavu-core libfftw3-dev zlib1g-dev
  googletest libgtest-dev libbenchmark-dev
  pybind11-dev python3-dev python3-numpy python3-pytest python3-open3d
  "$@"
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "advect: installing ${#missing[@]} missing Debian packages: ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  echo "advect: run as root (or install them with sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
