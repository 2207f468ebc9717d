#!/usr/bin/python3
"""Independent checks of a driver package's catalog (no code shared with tools/mkcat).

  catcheck.py dump CAT              print the catalog's members and attributes
  catcheck.py pehash FILE           Authenticode SHA-256 of a PE image (pefile offsets)
  catcheck.py check CAT DIR NAME... the catalog names exactly NAME... (files in DIR), each
                                    under its own digest: Authenticode for PE images, a digest
                                    of the whole file otherwise (SHA-256, or SHA-1 in a
                                    version 1 catalog)
Exit status 0 when the check holds, 1 with a reason on stderr otherwise.
"""
import hashlib
import sys

import pefile

OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
OID_CTL = "1.3.6.1.4.1.311.10.1"
OID_CATALOG_LIST = "1.3.6.1.4.1.311.12.1.1"
OID_MEMBER_V1 = "1.3.6.1.4.1.311.12.1.2"
OID_MEMBER_V2 = "1.3.6.1.4.1.311.12.1.3"
OID_NAME_VALUE = "1.3.6.1.4.1.311.12.2.1"
OID_MEMBER_INFO = "1.3.6.1.4.1.311.12.2.2"
OID_INDIRECT = "1.3.6.1.4.1.311.2.1.4"
OID_PE_DATA = "1.3.6.1.4.1.311.2.1.15"
OID_CAB_DATA = "1.3.6.1.4.1.311.2.1.25"
OID_SHA256 = "2.16.840.1.101.3.4.2.1"
OID_SHA1 = "1.3.14.3.2.26"
SIP_PE = "{C689AAB8-8E78-11D0-8C47-00C04FC295EE}"
SIP_FLAT = "{DE351A42-8E59-11D0-8C47-00C04FC295EE}"


class Bad(Exception):
    pass


def tlv(buf, pos, end):
    """One DER element at pos: (tag, content start, content end)."""
    if pos + 2 > end:
        raise Bad("truncated element")
    tag, n = buf[pos], buf[pos + 1]
    pos += 2
    if n & 0x80:
        k = n & 0x7F
        if k == 0 or k > 4 or pos + k > end:
            raise Bad("bad length")
        n = int.from_bytes(buf[pos:pos + k], "big")
        pos += k
    if pos + n > end:
        raise Bad("element runs past its parent")
    return tag, pos, pos + n


def children(buf, start, end):
    out = []
    while start < end:
        tag, s, e = tlv(buf, start, end)
        out.append((tag, s, e))
        start = e
    return out


def oid(buf, s, e):
    b = buf[s:e]
    first = b[0]
    parts = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    v = 0
    for c in b[1:]:
        v = (v << 7) | (c & 0x7F)
        if not c & 0x80:
            parts.append(v)
            v = 0
    return ".".join(map(str, parts))


def expect(cond, what):
    if not cond:
        raise Bad(what)


def bmp(buf, s, e):
    return buf[s:e].decode("utf-16-be")


def wide(buf, s, e):
    text = buf[s:e].decode("utf-16-le")
    expect(text.endswith("\0"), "wide value without its NUL")
    return text[:-1]


def name_value(buf, s, e):
    seq = children(buf, s, e)
    expect(len(seq) == 3 and [t for t, _, _ in seq] == [0x1E, 0x02, 0x04], "bad name/value")
    return bmp(buf, *seq[0][1:]), wide(buf, *seq[2][1:])


def parse(path):
    buf = open(path, "rb").read()
    tag, s, e = tlv(buf, 0, len(buf))
    expect(tag == 0x30 and e == len(buf), "not one DER SEQUENCE")
    ci = children(buf, s, e)
    expect(oid(buf, *ci[0][1:]) == OID_SIGNED_DATA, "not PKCS#7 SignedData")
    sd = children(buf, *children(buf, *ci[1][1:])[0][1:])
    eci = children(buf, *sd[2][1:])
    expect(oid(buf, *eci[0][1:]) == OID_CTL, "content is not a CTL")
    ctl = children(buf, *children(buf, *eci[1][1:])[0][1:])
    usage = children(buf, *ctl[0][1:])
    expect(oid(buf, *usage[0][1:]) == OID_CATALOG_LIST, "subject usage is not a catalog list")
    alg = children(buf, *ctl[3][1:])
    version = oid(buf, *alg[0][1:])
    expect(version in (OID_MEMBER_V1, OID_MEMBER_V2), "unknown member list version")
    # Catalog version 1 carries SHA-1 member digests, version 2 SHA-256.
    cat = {"members": [], "ext": {}, "signers": 0,
           "alg": OID_SHA256 if version == OID_MEMBER_V2 else OID_SHA1}
    for tag, ms, me in children(buf, *ctl[4][1:]):
        m = children(buf, ms, me)
        member = {"tag": wide(buf, *m[0][1:]), "attrs": {}}
        for _, as_, ae in children(buf, *m[1][1:]):
            a = children(buf, as_, ae)
            kind = oid(buf, *a[0][1:])
            vals = children(buf, *a[1][1:])
            expect(len(vals) == 1, "attribute with %d values" % len(vals))
            vs, ve = vals[0][1:]
            if kind == OID_NAME_VALUE:
                n, v = name_value(buf, vs, ve)
                member["attrs"][n] = v
            elif kind == OID_MEMBER_INFO:
                mi = children(buf, vs, ve)
                member["sip"] = bmp(buf, *mi[0][1:])
            elif kind == OID_INDIRECT:
                ind = children(buf, vs, ve)
                data = children(buf, *ind[0][1:])
                member["data"] = oid(buf, *data[0][1:])
                dig = children(buf, *ind[1][1:])
                member["alg"] = oid(buf, *children(buf, *dig[0][1:])[0][1:])
                member["digest"] = buf[dig[1][1]:dig[1][2]].hex().upper()
        cat["members"].append(member)
    if len(ctl) > 5:
        expect(ctl[5][0] == 0xA0, "unexpected CTL field")
        for _, xs, xe in children(buf, *children(buf, *ctl[5][1:])[0][1:]):
            x = children(buf, xs, xe)
            expect(oid(buf, *x[0][1:]) == OID_NAME_VALUE, "unknown CTL extension")
            inner = children(buf, *x[-1][1:])[0]
            n, v = name_value(buf, *inner[1:])
            cat["ext"][n] = v
    cat["signers"] = len(children(buf, *sd[-1][1:])) if sd[-1][0] == 0x31 else 0
    return cat


def pe_hash(path, algorithm="sha256"):
    data = open(path, "rb").read()
    pe = pefile.PE(data=data, fast_load=True)
    checksum = pe.OPTIONAL_HEADER.get_field_absolute_offset("CheckSum")
    sec = pe.OPTIONAL_HEADER.DATA_DIRECTORY[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_SECURITY"]]
    secdir = sec.get_file_offset()
    end = sec.VirtualAddress if sec.Size else len(data)
    h = hashlib.new(algorithm)
    h.update(data[:checksum])
    h.update(data[checksum + 4:secdir])
    h.update(data[secdir + 8:end])
    if not sec.Size and len(data) % 8:
        h.update(b"\0" * (8 - len(data) % 8))
    return h.hexdigest().upper()


def is_pe(path):
    with open(path, "rb") as f:
        return f.read(2) == b"MZ"


def check(cat_path, directory, names):
    cat = parse(cat_path)
    by_name = {}
    for m in cat["members"]:
        name = m["attrs"].get("File")
        expect(name is not None, "member %s without a File attribute" % m["tag"])
        expect(name not in by_name, "%s listed twice" % name)
        by_name[name] = m
    expect(sorted(by_name) == sorted(names),
           "catalog names %s, package has %s" % (sorted(by_name), sorted(names)))
    tags = [m["tag"] for m in cat["members"]]
    expect(tags == sorted(tags), "members are not sorted by tag")
    for name in names:
        path = "%s/%s" % (directory, name)
        m = by_name[name]
        pe = is_pe(path)
        algorithm = "sha256" if cat["alg"] == OID_SHA256 else "sha1"
        want = pe_hash(path, algorithm) if pe else \
            hashlib.new(algorithm, open(path, "rb").read()).hexdigest().upper()
        expect(m["tag"] == want, "%s: catalog tag %s, file digest %s" % (name, m["tag"], want))
        expect(m.get("digest") == want, "%s: indirect-data digest differs from the tag" % name)
        expect(m.get("alg") == cat["alg"], "%s: digest algorithm does not match the catalog version" % name)
        expect(m.get("data") == (OID_PE_DATA if pe else OID_CAB_DATA), "%s: wrong data kind" % name)
        expect(m.get("sip") == (SIP_PE if pe else SIP_FLAT), "%s: wrong member info" % name)
        expect(m["attrs"].get("OSAttr") == "2:6.1,2:6.2,2:6.3,2:10.0", "%s: OSAttr" % name)
    expect("OS" in cat["ext"], "no catalog-wide OS attribute")
    return cat


def main(argv):
    try:
        if len(argv) == 3 and argv[1] == "dump":
            cat = parse(argv[2])
            for m in cat["members"]:
                print("member", m["tag"], " ".join("%s=%s" % kv for kv in sorted(m["attrs"].items())),
                      m.get("sip"), m.get("data"))
            for k, v in sorted(cat["ext"].items()):
                print("ext %s=%s" % (k, v))
            print("signers", cat["signers"])
        elif len(argv) == 3 and argv[1] == "pehash":
            print(pe_hash(argv[2]))
        elif len(argv) >= 4 and argv[1] == "check":
            check(argv[2], argv[3], argv[4:])
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except (Bad, IndexError, ValueError, UnicodeDecodeError, pefile.PEFormatError) as e:
        print("catcheck: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
