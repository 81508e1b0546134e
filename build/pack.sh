#!/usr/bin/env bash
# Packs what users and plugin authors install into one folder feed:
#   Conduit.Cli (the conduit .NET tool, with the small plugins), Conduit.Abstractions (what plugins build against),
#   Conduit.Templates (dotnet new conduit-plugin).
#   build/pack.sh OUT [VERSION]
#   dotnet tool install --global Conduit.Cli --add-source OUT        # then: conduit doctor
set -euo pipefail
out="$(mkdir -p "${1:?usage: build/pack.sh OUT [VERSION]}" && cd "$1" && pwd)"
version="${2:-}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
props=(-c Release -o "$out" -nologo -v quiet "-clp:ErrorsOnly;NoSummary")
[ -n "$version" ] && props+=("-p:PackageVersion=$version")
# The host build lays out every plugin in artifacts/plugins; the tool package takes the small ones from there.
dotnet build "$root/src/Host/Conduit.Host.csproj" -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary"
dotnet pack "$root/src/Host/Conduit.Host.csproj" "${props[@]}" -p:ConduitPackTool=true
dotnet pack "$root/src/Abstractions/Conduit.Abstractions.csproj" "${props[@]}"
dotnet pack "$root/templates/Conduit.Templates.csproj" "${props[@]}"
ls -1 "$out"/*.nupkg
