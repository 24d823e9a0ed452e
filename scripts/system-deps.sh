#!/usr/bin/env bash
# Install the Debian packages ITA Workbench needs, if any is missing. Idempotent and quiet
# when everything is there. Runs apt-get as root, or through sudo when available.
set -euo pipefail

packages=(
  gettext                   # msgfmt: compiling translations (make messages)
  chromium                  # browser tests (Playwright drives Debian's Chromium)
  libpango-1.0-0            # WeasyPrint: text layout, Thai shaping and line breaking
  libpangoft2-1.0-0
  libharfbuzz-subset0       # WeasyPrint: font subsetting
  poppler-utils             # tests: pdftotext, pdffonts, pdftoppm
  fonts-thai-tlwg           # LibreOffice check of generated DOCX (Laksaman stands in for TH Sarabun)
  libreoffice-writer-nogui  # tests: generated DOCX must open and convert in LibreOffice
  gcc                       # gunicorn_h1c (gunicorn's C HTTP parser) is published as source only
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "system-deps: missing ${missing[*]} and no apt-get here; install them by hand." >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "system-deps: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "system-deps: installing ${missing[*]}"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
