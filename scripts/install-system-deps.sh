#!/usr/bin/env bash
# System packages basket needs beyond PyPI: Pango for WeasyPrint's PDFs, Graphviz for
# static graph pictures, Chromium + ChromeDriver for the graph viewer's browser tests.
set -euo pipefail
needed=()
command -v dot >/dev/null 2>&1 || needed+=(graphviz)
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
command -v chromedriver >/dev/null 2>&1 || needed+=(chromium-driver)
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || needed+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list >/dev/null 2>&1 && [ -n "$(fc-list 2>/dev/null | head -1)" ] || needed+=(fonts-dejavu-core fontconfig)
if [ ${#needed[@]} -eq 0 ]; then
  exit 0
fi
echo "installing system packages: ${needed[*]}"
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${needed[@]}" >/dev/null
elif command -v sudo >/dev/null 2>&1; then
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${needed[@]}" >/dev/null
else
  echo "please install: ${needed[*]} (needs root)" >&2
  exit 1
fi
