#!/usr/bin/python3
"""Checks an expanded xenbus.inf against the package contract
(shared/spec/interfaces.md sections 2 and 4).

  infcheck.py INF --files a.sys,b.sys [--vendor-device C000] [--force-activate]

--files lists the package's files besides the INF and catalog. Prints one
line per failed rule on stderr; exit status 0 when every rule holds.
"""
import argparse
import re
import sys

SYSTEM_CLASS = "{4d36e97d-e325-11ce-bfc1-08002be10318}"
HDC_CLASS = "{4d36e96a-e325-11ce-bfc1-08002be10318}"


def parse(path):
    raw = open(path, "rb").read()
    if b"\r\n" not in raw:
        raise SystemExit("infcheck: %s: lines must end in CRLF" % path)
    sections, order, current = {}, [], None
    for line in raw.decode("ascii").splitlines():
        # ';' starts a comment unless it is inside quotes.
        out, quoted = "", False
        for c in line:
            if c == '"':
                quoted = not quoted
            elif c == ";" and not quoted:
                break
            out += c
        line = out.strip()
        if not line:
            continue
        if line.startswith("["):
            current = line[1:line.index("]")].strip().lower()
            if current in sections:
                raise SystemExit("infcheck: section [%s] twice" % current)
            sections[current] = []
            order.append(current)
            continue
        key, eq, value = line.partition("=")
        sections[current].append((key.strip(), value.strip() if eq else None))
    return sections


def fields(value):
    return [f.strip().strip('"') for f in value.split(",")]


class Checker:
    def __init__(self, inf, args):
        self.s = parse(inf)
        self.args = args
        self.errors = []
        self.strings = {k.lower(): v.strip('"') for k, v in self.s.get("strings", [])}

    def fail(self, msg):
        self.errors.append(msg)

    def sec(self, name):
        if name.lower() not in self.s:
            self.fail("missing section [%s]" % name)
            return []
        return self.s[name.lower()]

    def values(self, section, key):
        return [v for k, v in self.sec(section) if k.lower() == key.lower()]

    def one(self, section, key):
        v = self.values(section, key)
        if len(v) != 1:
            self.fail("[%s] %s appears %d times" % (section, key, len(v)))
            return None
        return self.subst(v[0])

    def subst(self, text):
        def repl(m):
            name = m.group(1)
            if name.isdigit():
                return "%" + name + "%"
            if name.lower() not in self.strings:
                self.fail("%%%s%% is not in [Strings]" % name)
                return ""
            return self.strings[name.lower()]
        return re.sub(r"%([^%]+)%", repl, text)

    def run(self):
        a = self.args
        files = [f for f in a.files.split(",") if f]
        v = "version"
        want = {"Signature": "$Windows NT$", "Class": "System", "ClassGuid": SYSTEM_CLASS,
                "CatalogFile": "xenbus.cat", "PnpLockdown": "1"}
        for k, val in want.items():
            got = self.one(v, k)
            if got is not None and got.strip('"').lower() != val.lower():
                self.fail("[Version] %s=%s, want %s" % (k, got, val))
        dv = self.one(v, "DriverVer") or ""
        if not re.fullmatch(r"\d\d/\d\d/\d{4},\d+\.\d+\.\d+\.\d+", dv):
            self.fail("[Version] DriverVer=%s is not mm/dd/yyyy,w.x.y.z" % dv)
        # Every %token% anywhere must resolve.
        for sec in self.s.values():
            for k, val in sec:
                self.subst(k)
                if val:
                    self.subst(val)
        sdf = [k for k, _ in self.sec("SourceDisksFiles")]
        if sorted(sdf) != sorted(files):
            self.fail("[SourceDisksFiles] names %s, the package holds %s" % (sorted(sdf), sorted(files)))
        manu = self.sec("Manufacturer")
        if len(manu) != 1:
            self.fail("[Manufacturer] must have one entry")
            return
        base, *decos = fields(manu[0][1])
        if sorted(d.lower() for d in decos) != ["ntamd64", "ntx86"]:
            self.fail("[Manufacturer] must decorate for NTamd64 and NTx86, has %s" % decos)
        hwids = ["PCI\\VEN_5853&DEV_0002", "PCI\\VEN_5853&DEV_0001"]
        if a.vendor_device:
            d = a.vendor_device
            hwids.insert(0, "PCI\\VEN_5853&DEV_%s&SUBSYS_%s5853&REV_01" % (d, d))
        services = [fields(x) for x in self.values("XenBus_Inst.Services", "AddService")] \
            if "xenbus_inst.services" in self.s else []
        has_bus = "xenbus.sys" in files
        installs = set()
        for deco in decos:
            models = self.sec("%s.%s" % (base, deco))
            got = [fields(val)[1] for _, val in models]
            if got != (hwids if has_bus else []):
                self.fail("[%s.%s] hardware IDs %s, want %s" % (base, deco, got, hwids if has_bus else []))
            installs |= {fields(val)[0] for _, val in models}
        if not has_bus:
            if services or installs:
                self.fail("without xenbus.sys the INF must not install a device or service")
            return
        if installs != {"XenBus_Inst"}:
            self.fail("models use install sections %s" % installs)
        self.check_install(files, services)

    def service(self, name, binary, flags):
        want = {"ServiceType": "0x1", "StartType": "0x0", "ErrorControl": "0x1",
                "ServiceBinary": "%12%\\" + binary, "LoadOrderGroup": "Boot Bus Extender"}
        entry = [s for s in self.services if s[0].lower() == name]
        if len(entry) != 1:
            self.fail("AddService for %s appears %d times" % (name, len(entry)))
            return None
        if int(entry[0][1] or "0", 0) != flags:
            self.fail("AddService=%s flags %s, want 0x%x" % (name, entry[0][1], flags))
        sec = entry[0][2]
        for k, val in want.items():
            got = (self.one(sec, k) or "").strip('"')
            if val.startswith("0x"):
                try:
                    same = int(got, 0) == int(val, 0)
                except ValueError:
                    same = False
            else:
                same = got == val
            if not same:
                self.fail("[%s] %s=%s, want %s" % (sec, k, got, val))
        return sec

    def regs(self, section_list):
        out = []
        for sec in section_list:
            for key, val in self.sec(sec):
                out.append(fields(self.subst(key + "," + val if val is not None else key)))
        return out

    def check_install(self, files, services):
        self.services = services
        if (self.one("XenBus_Inst", "FeatureScore") or "").lower() != "0xfe":
            self.fail("[XenBus_Inst] FeatureScore must be 0xFE")
        copied = []
        for cf in self.values("XenBus_Inst", "CopyFiles"):
            copied += [k for k, _ in self.sec(cf)]
        if sorted(copied) != sorted(files):
            self.fail("CopyFiles copy %s, the package holds %s" % (sorted(copied), sorted(files)))
        if any(s[0].lower() == "xen" for s in services):
            self.fail("xen.sys must not have a service")
        bus = self.service("xenbus", "xenbus.sys", 0x2)
        if bus:
            regs = self.regs([x for x in self.values(bus, "AddReg")])
            for want in (["HKR", "Parameters", "SupportedClasses", "0x00010000", "VIF", "VBD", "VKBD", "IFACE", "CONS"],
                         ["HKR", "Parameters", "SyntheticClasses", "0x00010000", "IFACE", "CONS"],
                         ["HKLM", "SYSTEM\\CurrentControlSet\\Services\\XEN\\Unplug", "NICS", "0x00010001", "0"],
                         ["HKLM", "SYSTEM\\CurrentControlSet\\Services\\XEN\\Unplug", "DISKS", "0x00010001", "0"]):
                if want not in regs:
                    self.fail("xenbus registry lacks %s" % ",".join(want))
        hw = self.regs(self.values("XenBus_Inst.HW", "AddReg"))
        for want in (["HKR", "Interrupt Management\\MessageSignaledInterruptProperties", "MSISupported", "0x00010001", "1"],
                     ["HKR", "Interrupt Management\\GroupPolicy", "", "0x00010001", "1"]):
            if want not in hw:
                self.fail("device key lacks %s" % ",".join(want))
        if "xenfilt.sys" in files:
            filt = self.service("xenfilt", "xenfilt.sys", 0)
            if filt:
                regs = self.regs(self.values(filt, "AddReg"))
                for want in (["HKR", "Parameters", "*PNP0A03", "0x00000000", "PCI"],
                             ["HKR", "Parameters", "Internal_IDE_Channel", "0x00000000", "IDE"]):
                    if want not in regs:
                        self.fail("xenfilt registry lacks %s" % ",".join(want))
        elif any(s[0].lower() == "xenfilt" for s in services):
            self.fail("xenfilt service without xenfilt.sys")
        inst_regs = self.regs(self.values("XenBus_Inst", "AddReg"))
        filters = [r for r in inst_regs if len(r) > 2 and r[2] == "UpperFilters"]
        want = [["HKLM", "SYSTEM\\CurrentControlSet\\Control\\Class\\" + c, "UpperFilters", "0x00010008", "XENFILT"]
                for c in (SYSTEM_CLASS, HDC_CLASS)]
        if self.args.force_activate:
            if sorted(filters) != sorted(want):
                self.fail("FORCE_ACTIVATE: UpperFilters registration %s, want %s" % (filters, want))
        elif filters:
            self.fail("UpperFilters must be left to xen.sys at run time: %s" % filters)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("inf")
    p.add_argument("--files", required=True)
    p.add_argument("--vendor-device")
    p.add_argument("--force-activate", action="store_true")
    c = Checker(p.parse_args().inf, p.parse_args())
    c.run()
    for e in c.errors:
        print("infcheck: %s" % e, file=sys.stderr)
    return 1 if c.errors else 0


if __name__ == "__main__":
    sys.exit(main())
