<#
.SYNOPSIS
    Removes the XenBus driver package (@ARCH@, version @VERSION@) from the driver store.

.DESCRIPTION
    Finds every published copy (oemNN.inf) of this package's xenbus.inf in the
    driver store, uninstalls it from the devices that use it and deletes it with
    pnputil. Run from an elevated PowerShell:

        powershell -ExecutionPolicy Bypass -File .\uninstall.ps1 [-RemoveCertificate] [-DisableTestSigning]

    Warning: xenbus is a boot-start bus driver. PV storage and network drivers
    (xenvbd, xenvif, ...) stop working without it; if the system disk is a PV
    disk, remove those drivers first or Windows may not boot.

.PARAMETER RemoveCertificate
    Also delete the package's test certificate (xenbus-test.cer) from the
    local machine's Root and TrustedPublisher stores.

.PARAMETER DisableTestSigning
    Also run "bcdedit /set testsigning off" (takes effect at the next boot).
#>
[CmdletBinding()]
param(
    [switch]$RemoveCertificate,
    [switch]$DisableTestSigning
)

$ErrorActionPreference = 'Stop'
$here = Split-Path -Parent $MyInvocation.MyCommand.Definition

function Fail([string]$Message) {
    Write-Host "uninstall.ps1: $Message" -ForegroundColor Red
    exit 1
}

$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    Fail 'run this script from an elevated (Administrator) PowerShell.'
}

# The published name is oemNN.inf; find ours by its catalog and provider, which
# works with every pnputil version (old ones do not print the original name).
$provider = 'XenBus clean-room'
$published = @(Get-ChildItem (Join-Path $env:windir 'INF') -Filter 'oem*.inf' | Where-Object {
    $text = Get-Content $_.FullName -ErrorAction SilentlyContinue | Out-String
    ($text -match '(?im)^\s*CatalogFile\s*=\s*xenbus\.cat\s*$') -and ($text -match [regex]::Escape("`"$provider`""))
})
if ($published.Count -eq 0) {
    Write-Host 'No XenBus package from this project is in the driver store.'
}
# pnputil's /delete-driver syntax exists from Windows 10 1607 (build 14393).
$os = [Environment]::OSVersion.Version
$modern = $os.Major -ge 10 -and $os.Build -ge 14393
foreach ($p in $published) {
    if ($modern) {
        & pnputil /delete-driver $p.Name /uninstall /force
    } else {
        & pnputil -f -d $p.Name
    }
    if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 3010) {
        Fail "pnputil could not delete $($p.Name) (exit code $LASTEXITCODE)."
    }
    Write-Host "Deleted $($p.Name) from the driver store."
}

if ($RemoveCertificate) {
    $cer = Join-Path $here 'xenbus-test.cer'
    if (-not (Test-Path $cer)) { Fail "$cer is missing: cannot tell which certificate to remove." }
    $cert = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2($cer)
    foreach ($store in @('Root', 'TrustedPublisher')) {
        & certutil -delstore $store $cert.Thumbprint | Out-Null
        Write-Host "Removed the test certificate from LocalMachine\$store."
    }
}

if ($DisableTestSigning) {
    & bcdedit /set testsigning off
    if ($LASTEXITCODE -ne 0) { Fail 'bcdedit /set testsigning off failed.' }
    Write-Host 'Test signing will be off after the next reboot.'
}
Write-Host 'Reboot to finish removing the drivers.' -ForegroundColor Yellow
exit 0
