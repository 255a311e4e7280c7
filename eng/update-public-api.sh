#!/usr/bin/env bash
# Adds every public symbol the build reports as undeclared (RS0016) to PublicAPI.Unshipped.txt of
# the given project, keeping the file sorted. Review the diff: it is the change to the public API.
# Usage: eng/update-public-api.sh src/ProcessKit
set -euo pipefail
project=${1:?usage: eng/update-public-api.sh PROJECT_DIR}
file="$project/PublicAPI.Unshipped.txt"
new=$(dotnet build "$project" 2>&1 | grep -oE "RS0016: Symbol '[^']*' is not part" | sed "s/RS0016: Symbol '//; s/' is not part//" | sort -u || true)
[ -n "$new" ] || { echo "public API files are up to date"; exit 0; }
{ head -n 1 "$file"; { tail -n +2 "$file"; printf '%s\n' "$new"; } | sort -u; } > "$file.tmp"
mv "$file.tmp" "$file"
echo "added $(printf '%s\n' "$new" | wc -l) symbol(s) to $file"
