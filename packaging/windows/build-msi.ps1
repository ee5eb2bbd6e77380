# Build target\windows\FuiteCheck-<version>-x64.msi on Windows 10/11 x64.
# Prerequisites (once):
#   winget install Rustlang.Rustup Microsoft.VisualStudio.2022.BuildTools Microsoft.DotNet.SDK.8
#     (Build Tools: the "Desktop development with C++" workload, for the MSVC linker)
#   dotnet tool install --global wix --version 5.0.2
# Run from anywhere:  powershell -ExecutionPolicy Bypass -File packaging\windows\build-msi.ps1
$ErrorActionPreference = "Stop"
$root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $root
$version = (Select-String -Path Cargo.toml -Pattern '^version = "(.*)"' | Select-Object -First 1).Matches[0].Groups[1].Value

cargo build --release --locked --target x86_64-pc-windows-msvc
if ($LASTEXITCODE -ne 0) { throw "cargo build failed" }

$out = Join-Path $root "target\windows"
New-Item -ItemType Directory -Force -Path $out | Out-Null
$msi = Join-Path $out "FuiteCheck-$version-x64.msi"
wix build packaging\windows\fuitecheck.wxs `
    -arch x64 `
    -d "Version=$version" `
    -d "BinDir=$root\target\x86_64-pc-windows-msvc\release\" `
    -bindpath packaging\windows `
    -o $msi
if ($LASTEXITCODE -ne 0) { throw "wix build failed" }
Write-Output $msi
# Signing for distribution (SmartScreen): signtool sign /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 /a $msi
