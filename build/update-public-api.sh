#!/usr/bin/env bash
# Adds every public symbol the PublicApiAnalyzers report as undeclared (RS0016) to PublicAPI.Unshipped.txt,
# and drops declared symbols that no longer exist (RS0017). Review the diff: it is the API change.
set -euo pipefail
project_dir="${1:-src/Abstractions}"
unshipped="$project_dir/PublicAPI.Unshipped.txt"
log=$(mktemp)
dotnet build "$project_dir" --no-incremental -p:TreatWarningsAsErrors=false -v q -clp:NoSummary > "$log" 2>&1 || true
added=$(grep -oE "RS0016: Symbol '.*' is not part of the declared public API" "$log" | sed -E "s/RS0016: Symbol '(.*)' is not part of the declared public API/\1/" | sort -u || true)
removed=$(grep -oE "RS0017: Symbol '.*' is part of the declared API, but is either not public or could not be found" "$log" | sed -E "s/RS0017: Symbol '(.*)' is part of the declared API.*/\1/" | sort -u || true)
{
  echo '#nullable enable'
  { grep -v '^#nullable' "$unshipped" || true; [ -n "$added" ] && printf '%s\n' "$added"; } \
    | grep -vxF -f <(printf '%s\n' "$removed" | grep . || echo '__none__') | grep . | LC_ALL=C sort -u
} > "$unshipped.new"
mv "$unshipped.new" "$unshipped"
rm -f "$log"
echo "added $(printf '%s' "$added" | grep -c . || true), removed $(printf '%s' "$removed" | grep -c . || true) symbols in $unshipped"
