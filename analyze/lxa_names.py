# SPDX-License-Identifier: GPL-2.0-only
"""Names of what the trace carries as bare numbers: HVM exit reasons.

hvm:vmexit's exit_reason is the hardware's code, whose meaning depends on
the CPU vendor: AMD SVM's VMEXIT_* (Xen 4.17
xen/arch/x86/include/asm/hvm/svm/vmcb.h) or Intel VMX's EXIT_REASON_*
(xen/arch/x86/include/asm/hvm/vmx/vmx.h).  The facility XML declares the
field as a plain integer for that reason, so the names live here, as
Xen's headers spell them (lower case, prefix dropped).
"""

SVM = {0x60: "intr", 0x61: "nmi", 0x62: "smi", 0x63: "init", 0x64: "vintr",
       0x65: "cr0_sel_write", 0x66: "idtr_read", 0x67: "gdtr_read",
       0x68: "ldtr_read", 0x69: "tr_read", 0x6a: "idtr_write",
       0x6b: "gdtr_write", 0x6c: "ldtr_write", 0x6d: "tr_write",
       0x6e: "rdtsc", 0x6f: "rdpmc", 0x70: "pushf", 0x71: "popf",
       0x72: "cpuid", 0x73: "rsm", 0x74: "iret", 0x75: "swint",
       0x76: "invd", 0x77: "pause", 0x78: "hlt", 0x79: "invlpg",
       0x7a: "invlpga", 0x7b: "ioio", 0x7c: "msr", 0x7d: "task_switch",
       0x7e: "ferr_freeze", 0x7f: "shutdown", 0x80: "vmrun",
       0x81: "vmmcall", 0x82: "vmload", 0x83: "vmsave", 0x84: "stgi",
       0x85: "clgi", 0x86: "skinit", 0x87: "rdtscp", 0x88: "icebp",
       0x89: "wbinvd", 0x8a: "monitor", 0x8b: "mwait",
       0x8c: "mwait_conditional", 0x8d: "xsetbv", 0x8e: "rdpru",
       0x400: "npf"}
for _n in range(16):
    SVM[_n] = "cr%d_read" % _n
    SVM[16 + _n] = "cr%d_write" % _n
    SVM[32 + _n] = "dr%d_read" % _n
    SVM[48 + _n] = "dr%d_write" % _n
for _n, _e in enumerate(("de", "db", "nmi", "bp", "of", "br", "ud", "nm",
                         "df", "09", "ts", "np", "ss", "gp", "pf", "15",
                         "mf", "ac", "mc", "xf", None, "cp")):
    if _e:
        SVM[64 + _n] = "exception_" + _e

VMX = {0: "exception_nmi", 1: "external_interrupt", 2: "triple_fault",
       3: "init", 4: "sipi", 5: "io_smi", 6: "other_smi",
       7: "pending_virt_intr", 8: "pending_virt_nmi", 9: "task_switch",
       10: "cpuid", 11: "getsec", 12: "hlt", 13: "invd", 14: "invlpg",
       15: "rdpmc", 16: "rdtsc", 17: "rsm", 18: "vmcall", 19: "vmclear",
       20: "vmlaunch", 21: "vmptrld", 22: "vmptrst", 23: "vmread",
       24: "vmresume", 25: "vmwrite", 26: "vmxoff", 27: "vmxon",
       28: "cr_access", 29: "dr_access", 30: "io_instruction",
       31: "msr_read", 32: "msr_write", 33: "invalid_guest_state",
       34: "msr_loading", 36: "mwait_instruction", 37: "monitor_trap_flag",
       39: "monitor_instruction", 40: "pause_instruction",
       41: "mce_during_vmentry", 43: "tpr_below_threshold",
       44: "apic_access", 45: "eoi_induced", 46: "access_gdtr_or_idtr",
       47: "access_ldtr_or_tr", 48: "ept_violation", 49: "ept_misconfig",
       50: "invept", 51: "rdtscp", 52: "vmx_preemption_timer_expired",
       53: "invvpid", 54: "wbinvd", 55: "xsetbv", 56: "apic_write",
       58: "invpcid", 59: "vmfunc", 62: "pml_full", 63: "xsaves",
       64: "xrstors", 74: "bus_lock", 75: "notify"}

# The largest VMX exit reason Xen 4.17 knows: any code above it can only
# be an SVM one, which is how "--hvm auto" tells the two apart.
VMX_MAX = max(VMX)


def exit_reason_name(vendor, code):
    """The name of exit reason CODE for VENDOR ("svm", "vmx" or None:
    unknown vendor), or its number in hex."""
    table = SVM if vendor == "svm" else VMX if vendor == "vmx" else {}
    return table.get(code, "0x%x" % code)
