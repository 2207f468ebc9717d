<#
.SYNOPSIS
    Installs the XenBus driver package (@ARCH@, version @VERSION@) from this directory.

.DESCRIPTION
    The package is signed with a test certificate that the build generated
    (xenbus-test.cer, next to this script). Windows loads such drivers only when:

      1. test signing is on:      bcdedit /set testsigning on   (then reboot;
         Secure Boot must be off in the VM firmware, or bcdedit refuses), and
      2. the test certificate is trusted: imported into the local machine's
         "Root" (Trusted Root Certification Authorities) and "TrustedPublisher"
         stores, so that Windows neither rejects nor asks about the publisher.

    This script checks (1) and, with -EnableTestSigning, turns it on; it does
    (2) unless -SkipCertificate is given; then it adds and installs the
    package with pnputil. Run it from an elevated PowerShell:

        powershell -ExecutionPolicy Bypass -File .\install.ps1 [-EnableTestSigning]

.PARAMETER EnableTestSigning
    Run "bcdedit /set testsigning on" if test signing is off. A reboot is needed
    before the drivers can load; run this script again afterwards.

.PARAMETER SkipCertificate
    Do not import xenbus-test.cer (it was imported before, or the package was
    re-signed with a trusted certificate).
#>
[CmdletBinding()]
param(
    [switch]$EnableTestSigning,
    [switch]$SkipCertificate
)

$ErrorActionPreference = 'Stop'
$PackageArch = '@ARCH@'
$here = Split-Path -Parent $MyInvocation.MyCommand.Definition
$inf = Join-Path $here 'xenbus.inf'
$cer = Join-Path $here 'xenbus-test.cer'

function Fail([string]$Message) {
    Write-Host "install.ps1: $Message" -ForegroundColor Red
    exit 1
}

# Administrator rights are needed for bcdedit, the machine stores and pnputil.
$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    Fail 'run this script from an elevated (Administrator) PowerShell.'
}

# The package must match the OS: x64 drivers for 64-bit Windows, x86 for 32-bit.
$osArch = $env:PROCESSOR_ARCHITECTURE
if ($env:PROCESSOR_ARCHITEW6432) { $osArch = $env:PROCESSOR_ARCHITEW6432 }
$wanted = @{ 'AMD64' = 'x64'; 'x86' = 'x86' }[$osArch]
if (-not $wanted) {
    Fail "Windows on ${osArch} is not supported: the package has x64 and x86 drivers only."
}
if ($wanted -ne $PackageArch) {
    Fail "this is the $PackageArch package but Windows is ${osArch}: use the $wanted directory."
}
foreach ($f in @($inf, (Join-Path $here 'xenbus.cat'))) {
    if (-not (Test-Path $f)) { Fail "$f is missing: copy the whole package directory." }
}

# 1. Test signing. What counts is the running system: the loader records
# TESTSIGNING in SystemStartOptions when the boot had it (bcdedit's own output
# is localized, so it is not parsed).
$options = (Get-ItemProperty 'HKLM:\SYSTEM\CurrentControlSet\Control' -Name SystemStartOptions).SystemStartOptions
if ($options -notmatch 'TESTSIGNING') {
    if (-not $EnableTestSigning) {
        Fail ("this boot does not have test signing on. Run 'bcdedit /set testsigning on' (or this " +
              "script with -EnableTestSigning), reboot, then run this script again.")
    }
    & bcdedit /set testsigning on
    if ($LASTEXITCODE -ne 0) {
        Fail 'bcdedit /set testsigning on failed (is Secure Boot on? Turn it off in the VM firmware).'
    }
    Write-Host 'Test signing is set for the next boot. Reboot, then run this script again.' -ForegroundColor Yellow
    exit 0
}

# 2. Trust the test certificate (certutil works on every supported Windows).
if (-not $SkipCertificate) {
    if (-not (Test-Path $cer)) { Fail "$cer is missing." }
    foreach ($store in @('Root', 'TrustedPublisher')) {
        & certutil -f -addstore $store $cer | Out-Null
        if ($LASTEXITCODE -ne 0) { Fail "certutil -addstore $store failed." }
        Write-Host "Imported xenbus-test.cer into LocalMachine\$store."
    }
}

# 3. Add the package to the driver store and install it on matching devices.
# pnputil's /add-driver syntax exists from Windows 10 1607 (build 14393).
$os = [Environment]::OSVersion.Version
if ($os.Major -ge 10 -and $os.Build -ge 14393) {
    & pnputil /add-driver $inf /install
} else {
    & pnputil -i -a $inf
}
$rc = $LASTEXITCODE
switch ($rc) {
    0 { Write-Host 'XenBus package installed.' -ForegroundColor Green }
    3010 { Write-Host 'XenBus package installed; reboot to finish.' -ForegroundColor Yellow }
    # ERROR_NO_MORE_ITEMS: staged, but no device here matches the package.
    259 { Write-Host 'XenBus package added to the driver store; no device in this machine uses it.' -ForegroundColor Yellow }
    default { Fail "pnputil failed with exit code $rc (see C:\Windows\INF\setupapi.dev.log)." }
}
exit 0
