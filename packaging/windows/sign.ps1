# Sign files with Authenticode when a certificate is configured; otherwise say so and skip.
#
#   pwsh packaging/windows/sign.ps1 FILE [FILE ...]
#
# The certificate comes from two repository secrets, passed in as environment variables
# by .github/workflows/windows.yml:
#   WINDOWS_SIGNING_CERT      the .pfx file, base64-encoded
#   WINDOWS_SIGNING_PASSWORD  its password
# Signatures are SHA-256 with an RFC 3161 timestamp, so they stay valid after the
# certificate expires.
param([Parameter(Mandatory = $true, ValueFromRemainingArguments = $true)][string[]] $Files)
$ErrorActionPreference = 'Stop'

if (-not $env:WINDOWS_SIGNING_CERT) {
    Write-Output "::notice::No signing certificate (secret WINDOWS_SIGNING_CERT): not signing $($Files -join ', ')"
    exit 0
}

$signtool = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" |
    Sort-Object FullName -Descending | Select-Object -First 1
if (-not $signtool) { throw 'signtool.exe not found (Windows 10 SDK)' }

$pfx = Join-Path $env:RUNNER_TEMP 'signing.pfx'
[IO.File]::WriteAllBytes($pfx, [Convert]::FromBase64String($env:WINDOWS_SIGNING_CERT))
try {
    & $signtool.FullName sign /fd SHA256 /f $pfx /p $env:WINDOWS_SIGNING_PASSWORD `
        /tr 'http://timestamp.digicert.com' /td SHA256 /d 'Perioperative Pathway Designer' @Files
    if ($LASTEXITCODE -ne 0) { throw "signtool sign failed ($LASTEXITCODE)" }
    & $signtool.FullName verify /pa /v @Files
    if ($LASTEXITCODE -ne 0) { throw "signtool verify failed ($LASTEXITCODE)" }
}
finally {
    Remove-Item $pfx -Force -ErrorAction SilentlyContinue
}
