# SPDX-License-Identifier: GPL-2.0-only
"""An independent reading of the facility XML, for the tests.

genevent is the product's parser; this one (ElementTree, a few lines) is
the tests' oracle for what the files declare, so that a genevent bug
cannot hide behind its own reading of them.
"""
import glob
import os
import xml.etree.ElementTree as ET

INT_TYPES = {"u8": (8, False), "u16": (16, False), "u32": (32, False),
             "u64": (64, False), "s8": (8, True), "s16": (16, True),
             "s32": (32, True), "s64": (64, True)}


def num(s):
    return int(s, 0) if not s.startswith("-") else -int(s[1:], 0)


class Field:
    def __init__(self, el, enums):
        self.name = el.get("name")
        t = el.get("type")
        self.string = t == "string"
        self.enum = enums.get(t)
        self.bits, self.signed = INT_TYPES.get(
            t, INT_TYPES.get(self.enum["type"]) if self.enum else (0, False))
        # bits="N": the value is recorded in N bits (a bit field)
        self.width = int(el.get("bits")) if el.get("bits") else self.bits
        # saturate="true": a value that does not fit is recorded as all ones
        self.saturate = (el.get("saturate") or "").strip() in ("true", "1")
        # domain="true": the field holds a domain id (Xen's domain filter)
        self.domain = (el.get("domain") or "").strip() in ("true", "1")
        self.length = int(el.get("length")) if el.get("length") else None
        self.length_field = el.get("length-field")
        self.hex = el.get("base") == "hex"


class Event:
    def __init__(self, fac, el, enums):
        self.facility = fac
        self.name = el.get("name")
        self.full = "%s:%s" % (fac, self.name)
        # xsd:boolean, surrounding white space allowed
        self.frequent = (el.get("frequent") or "").strip() in ("true", "1")
        self.fields = [Field(f, enums) for f in el.findall("field")]
        self.length_fields = {f.length_field for f in self.fields
                              if f.length_field}
        self.xentrace = []
        for x in el.findall("xentrace"):
            unpacks = {}
            for u in x.findall("unpack"):
                unpacks[u.get("field")] = {
                    "from": u.get("from", "data"),
                    "bit": int(u.get("word", "0")) * 32 + int(u.get("shift", "0")),
                    "width": int(u.get("width")) if u.get("width") else None,
                    "value": num(u.get("value")) if u.get("value") else None,
                }
            self.xentrace.append({"name": x.get("name"), "id": num(x.get("id")),
                                  "mask": num(x.get("id-mask", "0")),
                                  "unpacks": unpacks})


def load(paths=None, guest=False):
    """Every hypervisor event of the facility files: paths, else
    $FACILITIES, else facilities/*.xml; with guest=True, the guest
    facilities' events (side="guest") instead."""
    top = os.environ.get("TOP", ".")
    if not paths and os.environ.get("FACILITIES"):
        paths = os.environ["FACILITIES"].split()
    paths = paths or sorted(glob.glob(os.path.join(top, "facilities", "*.xml")))
    events = []
    for p in paths:
        root = ET.parse(p).getroot()
        if (root.get("side") == "guest") != guest:
            continue
        fac = root.get("name")
        enums = {}
        for e in root.findall("enum"):
            enums[e.get("name")] = {
                "type": e.get("type"),
                "values": {num(v.get("value")): v.get("name")
                           for v in e.findall("value")}}
        events += [Event(fac, e, enums) for e in root.findall("event")]
    return events
