# SPDX-License-Identifier: GPL-2.0-only
"""The input: an lttng-xen CTF trace read with babeltrace2's Python
bindings (bt2), or a xentrace file converted first by lttng-xen-import.

Each event goes to the model with its CPU (the packet context's cpu_id of
its stream), its time in clock ticks and, for the events the model
reads, the fields it asks for (lxa_model.FIELDS).  Discarded events
(babeltrace2's discarded-events messages: lttng-xen's per-packet counts,
xentrace's TRC_LOST_RECORDS after import) go to the model as such.
"""
import os
import re
import struct
import subprocess
import sys

XT_CPU_CHANGE = 0x2001f003      # the header of xentrace's first record
CTF_MAGIC = 0xc1fc1fc1
TRACER_NAME = "xen-lttng"       # ctf/stream-header.tsdl.in's env


class InputError(Exception):
    """An input that cannot be analysed: the message says what, where
    and why."""


def bt2_module():
    try:
        import bt2
    except ImportError as e:
        raise InputError("cannot load babeltrace2's Python bindings (%s): "
                         "install the Debian package python3-bt2 and run "
                         "this program with /usr/bin/python3" % e)
    return bt2


def prepare(path, tsc_mhz, importer, workdir):
    """The CTF trace directory to read for PATH, and a note on how it was
    obtained.  A xentrace file is converted into WORKDIR/xentrace-ctf."""
    if not os.path.exists(path):
        raise InputError("cannot read %s: No such file or directory" % path)
    if os.path.isdir(path):
        if not os.path.isfile(os.path.join(path, "metadata")):
            raise InputError("%s is not a CTF trace: it has no metadata file"
                             % path)
        return path, None
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError as e:
        raise InputError("cannot read %s: %s" % (path, e.strerror))
    if len(head) < 4:
        raise InputError("%s is neither a CTF trace directory nor a xentrace "
                         "file: it holds %d bytes" % (path, len(head)))
    word = struct.unpack("<I", head)[0]
    if os.path.basename(path) == "metadata":
        return os.path.dirname(path) or ".", None
    if word == CTF_MAGIC:
        raise InputError("%s is one stream file of a CTF trace: give the "
                         "trace's directory, %s" %
                         (path, os.path.dirname(path) or "."))
    if word != XT_CPU_CHANGE:
        raise InputError("%s is neither a CTF trace directory nor a xentrace "
                         "file: it starts with 0x%08x, not with a xentrace "
                         "CPU-change record (0x%08x)" %
                         (path, word, XT_CPU_CHANGE))
    out = os.path.join(workdir, "xentrace-ctf")
    cmd = [importer, "--quiet", "--no-progress", "--output", out]
    if tsc_mhz:
        cmd += ["--tsc-mhz", str(tsc_mhz)]
    cmd.append(path)
    try:
        p = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        raise InputError("cannot run %s to convert the xentrace file %s: %s"
                         " (build it with make, or give --import PROGRAM)"
                         % (importer, path, e.strerror))
    if p.returncode != 0:
        msg = (p.stderr.strip() or p.stdout.strip()).splitlines()
        msg = msg[-1] if msg else "%s exited %d" % (importer, p.returncode)
        # The partial trace it leaves is ours to delete: not worth naming.
        msg = re.sub(r"; \S+ holds the records before it$", "", msg)
        raise InputError("cannot convert the xentrace file %s: %s" %
                         (path, msg))
    note = "xentrace file %s, converted by lttng-xen-import%s" % (
        path, " at %s MHz" % tsc_mhz if tsc_mhz else
        " at 1 GHz (no --tsc-mhz: times are TSC ticks read as ns)")
    return out, note


def bt2_error_text(e):
    """babeltrace2's causes, root first, without repetitions."""
    lines = []
    try:
        for cause in e:
            for line in str(cause.message).splitlines():
                line = line.strip()
                # The graph's own bookkeeping says nothing about the trace.
                if "comp-addr=" in line or line.startswith(
                        "Component initialization method failed"):
                    continue
                if line and line not in lines:
                    lines.append(line)
    except TypeError:
        pass
    if not lines:
        lines = [str(e).strip().splitlines()[0] if str(e).strip()
                 else type(e).__name__]
    return ": ".join(lines[:4])


class Reader:
    """Feeds a model from a CTF trace directory."""

    def __init__(self, tracedir, model, progress=False):
        self.tracedir, self.model, self.progress = tracedir, model, progress
        self.freq = None           # clock ticks per second
        self.origin = None         # (tick, ns from the Unix epoch) of one event
        self.clock_name = None
        self.env = None            # the trace's environment, once checked
        self.events = 0

    def fields_of(self, cls, name, bt2):
        """The accessor of one event class: [(model name, trace name,
        kind)], kind "u" (unsigned integer), "s" (signed), "label" (an
        enumeration's value and label), "array", "str"; None when the
        model reads no field of it."""
        from lxa_model import FIELDS
        want = FIELDS.get(name)
        if want is None:
            return None
        pfc = cls.payload_field_class
        have = {}
        if pfc is not None:
            for k in pfc.keys():
                have[k.lstrip("_")] = (k, pfc[k].field_class)
        acc = []
        for w in want:
            fname, _, label = w.partition(":")
            if fname not in have:
                raise InputError(
                    "%s: event %s has no field %r (its fields: %s): "
                    "lttng-xen-analyze reads %s of it; the trace's event "
                    "model is not the one this program knows" %
                    (self.tracedir, name, fname,
                     ", ".join(sorted(have)) or "none",
                     ", ".join(x.partition(":")[0] for x in want)))
            tname, fc = have[fname]
            if isinstance(fc, bt2._StringFieldClassConst):
                kind = "str"
            elif isinstance(fc, bt2._ArrayFieldClassConst):
                kind = "array"
            elif label and isinstance(fc, (
                    bt2._UnsignedEnumerationFieldClassConst,
                    bt2._SignedEnumerationFieldClassConst)):
                kind = "label"
            elif isinstance(fc, bt2._SignedIntegerFieldClassConst):
                kind = "s"
            elif isinstance(fc, bt2._UnsignedIntegerFieldClassConst):
                kind = "u"
            else:
                raise InputError(
                    "%s: event %s: field %r is not an integer, string or "
                    "array (%s): the trace's event model is not the one "
                    "lttng-xen-analyze knows" %
                    (self.tracedir, name, fname, type(fc).__name__))
            acc.append((fname, tname, kind))
        return acc

    def check_env(self, trace):
        env = {}
        for k in trace.environment:
            env[k] = str(trace.environment[k])
        self.env = env
        name = env.get("tracer_name")
        if name != TRACER_NAME:
            raise InputError(
                "%s is not an lttng-xen trace: its metadata says tracer_name"
                " = %s, not \"%s\" (lttng-xen-analyze reads traces of the Xen"
                " hypervisor written by lttd-xen or lttng-xen-import)" %
                (self.tracedir, '"%s"' % name if name is not None else
                 "nothing", TRACER_NAME))

    def run(self):
        bt2 = bt2_module()
        try:
            self._run(bt2)
        except bt2._Error as e:
            raise InputError("cannot read the trace %s: babeltrace2: %s" %
                             (self.tracedir, bt2_error_text(e)))
        if self.env is None:
            raise InputError("%s holds no stream: not a trace of anything"
                             % self.tracedir)
        self.model.finish()

    def _run(self, bt2):
        """The message loop.  Events go through babeltrace2's native
        functions (bt2.native_bt, what the public classes call) when
        they are there: five times faster than building the public
        objects for every event and field; otherwise, or with
        LTTNG_XEN_ANALYZE_PUBLIC_API=1, through the public API.  Both give
        the same values (tests/analyze/test-bad-input.sh compares them)."""
        model = self.model
        try:
            from bt2 import native_bt as nb
        except ImportError:
            nb = None
        names = ("message_event_borrow_event_const",
                 "message_event_borrow_default_clock_snapshot_const",
                 "clock_snapshot_get_value", "event_borrow_class_const",
                 "event_class_get_id", "event_borrow_stream_const",
                 "event_borrow_payload_field_const",
                 "field_structure_borrow_member_field_by_name_const",
                 "field_integer_unsigned_get_value",
                 "field_integer_signed_get_value", "field_string_get_value",
                 "field_array_get_length",
                 "field_array_borrow_element_field_by_index_const")
        fast = nb is not None and all(hasattr(nb, n) for n in names) and \
            os.environ.get("LTTNG_XEN_ANALYZE_PUBLIC_API") != "1"
        if fast:
            borrow_ev = nb.message_event_borrow_event_const
            borrow_cs = nb.message_event_borrow_default_clock_snapshot_const
            cs_val = nb.clock_snapshot_get_value
            ev_cls = nb.event_borrow_class_const
            cls_id = nb.event_class_get_id
            ev_stream = nb.event_borrow_stream_const
            ev_payload = nb.event_borrow_payload_field_const
            member = nb.field_structure_borrow_member_field_by_name_const
            uget = nb.field_integer_unsigned_get_value
            sget = nb.field_integer_signed_get_value
            strget = nb.field_string_get_value
            alen = nb.field_array_get_length
            aget = nb.field_array_borrow_element_field_by_index_const
        EventMsg = bt2._EventMessageConst
        PacketBegin = bt2._PacketBeginningMessageConst
        StreamBegin = bt2._StreamBeginningMessageConst
        Discarded = bt2._DiscardedEventsMessageConst
        DiscardedPackets = bt2._DiscardedPacketsMessageConst
        stream_cpu = {}
        classes = {}
        labels = {}                # (class id, field, value): label
        progress_every = 500000
        event = model.event
        for msg in bt2.TraceCollectionMessageIterator(self.tracedir):
            t = type(msg)
            if t is EventMsg:
                if fast:
                    p = msg._ptr
                    ev = borrow_ev(p)
                    ts = cs_val(borrow_cs(p))
                    cid = cls_id(ev_cls(ev))
                    skey = int(ev_stream(ev))
                else:
                    e = msg.event
                    ts = msg.default_clock_snapshot.value
                    cid = e.cls.id
                    skey = e.stream.addr
                spec = classes.get(cid)
                if spec is None:
                    spec = classes[cid] = self.new_class(msg, bt2)
                name, acc = spec
                cpu = stream_cpu.get(skey)
                if cpu is None:
                    cpu = stream_cpu[skey] = \
                        int(msg.event.packet.context_field["cpu_id"])
                f = None
                if acc:
                    f = {}
                    if fast:
                        pl = ev_payload(ev)
                        for fname, tname, kind in acc:
                            fp = member(pl, tname)
                            if kind == "u":
                                f[fname] = uget(fp)
                            elif kind == "s":
                                f[fname] = sget(fp)
                            elif kind == "label":
                                v = uget(fp)
                                lab = labels.get((cid, fname, v))
                                if lab is None:
                                    lab = labels[(cid, fname, v)] = \
                                        self.label(msg, tname)
                                f[fname] = (v, lab)
                            elif kind == "array":
                                f[fname] = [uget(aget(fp, i))
                                            for i in range(alen(fp))]
                            else:
                                f[fname] = strget(fp)
                    else:
                        pl = msg.event.payload_field
                        for fname, tname, kind in acc:
                            v = pl[tname]
                            if kind == "label":
                                f[fname] = (int(v), self.label(msg, tname))
                            elif kind == "array":
                                f[fname] = [int(x) for x in v]
                            elif kind == "str":
                                f[fname] = str(v)
                            else:
                                f[fname] = int(v)
                event(cpu, ts, name, f)
                self.events += 1
                if self.progress and self.events % progress_every == 0:
                    print("lttng-xen-analyze: %d events read" %
                          self.events, file=sys.stderr)
            elif t is PacketBegin:
                ctx = msg.packet.context_field
                if ctx is None or "cpu_id" not in ctx:
                    raise InputError(
                        "%s is not an lttng-xen trace: its packets have "
                        "no cpu_id in their context" % self.tracedir)
                stream_cpu[msg.packet.stream.addr] = int(ctx["cpu_id"])
            elif t is StreamBegin:
                if self.env is None:
                    self.check_env(msg.stream.trace)
            elif t is Discarded or t is DiscardedPackets:
                # A lost packet: unknown events, an unknown count.
                cpu = stream_cpu.get(msg.stream.addr)
                begin = end = None
                sc = msg.stream.cls
                if (sc.discarded_events_have_default_clock_snapshots
                        if t is Discarded else
                        sc.discarded_packets_have_default_clock_snapshots):
                    begin = msg.beginning_default_clock_snapshot.value
                    end = msg.end_default_clock_snapshot.value
                model.discarded_events(
                    cpu if cpu is not None else -1,
                    (msg.count or 0) if t is Discarded else 0,
                    begin, end)

    def new_class(self, msg, bt2):
        """(name, accessor) of the class of MSG's event; the clock."""
        snap = msg.default_clock_snapshot
        if self.freq is None:
            cc = snap.clock_class
            self.freq = cc.frequency
            self.clock_name = cc.name
            self.origin = (snap.value, snap.ns_from_origin)
        cls = msg.event.cls
        return cls.name, self.fields_of(cls, cls.name, bt2)

    @staticmethod
    def label(msg, tname):
        v = msg.event.payload_field[tname]
        return v.labels[0] if v.labels else str(int(v))
