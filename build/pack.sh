#!/usr/bin/env bash
# Packs what users and plugin authors install into one folder feed:
#   Conduit.Cli (the conduit .NET tool, with the small plugins), Conduit.Plugins.<id> (every plugin of the
#   repository, type ConduitPlugin), Conduit.Abstractions (what plugins build against), Conduit.Templates.
#   build/pack.sh OUT [VERSION]            (VERSION: of the tool and the plugins; the contract keeps its own)
#   dotnet tool install --global Conduit.Cli --add-source OUT && conduit plugins install torchsharp --source OUT
set -euo pipefail
out="$(mkdir -p "${1:?usage: build/pack.sh OUT [VERSION]}" && cd "$1" && pwd)"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
quiet=(-nologo -v quiet "-clp:ErrorsOnly;NoSummary")
release=(-p:Configuration=Release "${quiet[@]}" -p:ConduitPluginPack=true)
[ -n "${2:-}" ] && release+=("-p:ConduitVersion=$2")
# The host build lays out every plugin in artifacts/plugins; the plugin packages and the tool take them from there.
dotnet build "$root/src/Host/Conduit.Host.csproj" "${release[@]}"
dotnet msbuild "$root/build/PackPlugins.proj" -t:Pack "${release[@]}" "-p:PackageOutputPath=$out/"
dotnet pack "$root/src/Host/Conduit.Host.csproj" "${release[@]}" -o "$out" -p:ConduitPackTool=true
dotnet pack "$root/src/Abstractions/Conduit.Abstractions.csproj" -c Release "${quiet[@]}" -o "$out"
dotnet pack "$root/templates/Conduit.Templates.csproj" "${release[@]}" -o "$out"
ls -1 "$out"/*.nupkg
