// SPDX-License-Identifier: GPL-2.0-only
/*
 * lttng-clock-xen-tsc: LTTng-modules' trace clock on the host's TSC, the
 * clock of the lttng-xen hypervisor trace, so that a guest's kernel
 * trace and the hypervisor's share one time base.
 *
 * The clock is the one the hypervisor trace declares (lttd-xen's
 * metadata): name "tsc", the host's TSC frequency as Xen measured it
 * (CPUID leaf base+3, sub-leaf 2: Xen's cpu_khz, the producer's tsc_hz),
 * the clock uuid and the offset from the epoch given as parameters (read
 * from the hypervisor trace's metadata: the offset measured once, in
 * dom0, instead of once per kernel).
 *
 * It reads the TSC with rdtsc.  That is the host's TSC only when Xen
 * neither emulates rdtsc for the domain (its TSC mode, sub-leaf 0) nor
 * offsets or scales it (HVM, PVH): such a domain is refused, with the
 * reason, rather than traced on a clock that is not the hypervisor's.
 *
 * Load it before lttng-sessiond loads LTTng's tracer:
 *   modprobe lttng-clock-xen-tsc uuid=UUID offset=CYCLES
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/uuid.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/xen/hypervisor.h>
#include <xen/xen.h>

#include <lttng/clock.h>
#include <lttng/tracer.h>

static char *uuid;
module_param(uuid, charp, 0444);
MODULE_PARM_DESC(uuid, "the hypervisor trace's clock uuid (required)");

static char *offset;
module_param(offset, charp, 0444);
MODULE_PARM_DESC(offset,
		 "the hypervisor trace's clock offset from the epoch, in cycles (offset_s * freq + offset); without it LTTng measures it from this domain's realtime clock");

static u64 tsc_hz;
static s64 offset_cycles;
static bool have_offset;
static char uuid_s[LTTNG_MODULES_UUID_STR_LEN];

static u64 xen_tsc_read64(void)
{
	return rdtsc_ordered();
}

static u64 xen_tsc_freq(void)
{
	return tsc_hz;
}

static int xen_tsc_uuid(char *out)
{
	memcpy(out, uuid_s, LTTNG_MODULES_UUID_STR_LEN);
	return 0;
}

static const char *xen_tsc_name(void)
{
	return "tsc";
}

static const char *xen_tsc_description(void)
{
	return "Time stamp counter of the host, as the hypervisor reads it";
}

static int xen_tsc_offset(int64_t *out)
{
	if (!have_offset)
		return -1;
	*out = offset_cycles;
	return 0;
}

static struct lttng_trace_clock xen_tsc_clock = {
	.read64 = xen_tsc_read64,
	.freq = xen_tsc_freq,
	.uuid = xen_tsc_uuid,
	.name = xen_tsc_name,
	.description = xen_tsc_description,
	.offset = xen_tsc_offset,
};

/* Is this domain's rdtsc the host's TSC?  Sets tsc_hz; 0 or -EINVAL. */
static int __init xen_tsc_check(void)
{
	u32 base, vtsc, mode, guest_khz, host_khz, off_lo, off_hi, ebx, ecx, edx;

	if (!xen_domain()) {
		pr_err("lttng-clock-xen-tsc: refused: not running on Xen\n");
		return -EINVAL;
	}
	base = xen_cpuid_base();
	if (!base) {
		pr_err("lttng-clock-xen-tsc: refused: Xen's CPUID leaves are not visible\n");
		return -EINVAL;
	}
	cpuid_count(base + 3, 0, &vtsc, &mode, &guest_khz, &edx);
	cpuid_count(base + 3, 1, &off_lo, &off_hi, &ecx, &edx);
	cpuid_count(base + 3, 2, &host_khz, &ebx, &ecx, &edx);
	if (vtsc & 1) {
		pr_err("lttng-clock-xen-tsc: refused: Xen emulates this domain's rdtsc (TSC mode %u): it does not read the host's TSC that the hypervisor trace counts; run the domain with tsc_mode=\"native\" (xl.cfg) to trace it on the hypervisor's clock\n",
		       mode);
		return -EINVAL;
	}
	if (!host_khz) {
		pr_err("lttng-clock-xen-tsc: refused: Xen does not give the host's TSC frequency (CPUID 0x%x sub-leaf 2)\n",
		       base + 3);
		return -EINVAL;
	}
	if (!xen_pv_domain() && (off_lo || off_hi || guest_khz != host_khz)) {
		pr_err("lttng-clock-xen-tsc: refused: this domain's TSC is the host's offset by %lld cycles and at %u kHz (the host's: %u kHz); Xen gives no correction LTTng could apply\n",
		       (long long)((u64)off_hi << 32 | off_lo), guest_khz,
		       host_khz);
		return -EINVAL;
	}
	tsc_hz = (u64)host_khz * 1000;
	return 0;
}

static int __init lttng_clock_xen_tsc_init(void)
{
	int ret;

	if (!uuid || !uuid_is_valid(uuid)) {
		pr_err("lttng-clock-xen-tsc: uuid=%s: give the hypervisor trace's clock uuid (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, from its metadata)\n",
		       uuid ? uuid : "(none)");
		return -EINVAL;
	}
	strscpy(uuid_s, uuid, sizeof(uuid_s));
	if (offset) {
		ret = kstrtos64(offset, 10, &offset_cycles);
		if (ret) {
			pr_err("lttng-clock-xen-tsc: offset=%s: not a number of cycles\n",
			       offset);
			return ret;
		}
		have_offset = true;
	}
	ret = xen_tsc_check();
	if (ret)
		return ret;
	ret = lttng_clock_register_plugin(&xen_tsc_clock, THIS_MODULE);
	if (ret == -EBUSY) {
		pr_err("lttng-clock-xen-tsc: LTTng's tracer is in use already: load this module before lttng-sessiond loads the tracer\n");
		return ret;
	}
	if (ret) {
		pr_err("lttng-clock-xen-tsc: LTTng refused the clock (%d): another clock plugin is loaded?\n",
		       ret);
		return ret;
	}
	if (have_offset)
		pr_info("lttng-clock-xen-tsc: LTTng's clock is the host's TSC: %llu Hz, uuid %s, offset %lld cycles\n",
			tsc_hz, uuid_s, offset_cycles);
	else
		pr_info("lttng-clock-xen-tsc: LTTng's clock is the host's TSC: %llu Hz, uuid %s, offset measured by LTTng\n",
			tsc_hz, uuid_s);
	return 0;
}
module_init(lttng_clock_xen_tsc_init);

static void __exit lttng_clock_xen_tsc_exit(void)
{
	lttng_clock_unregister_plugin(&xen_tsc_clock, THIS_MODULE);
}
module_exit(lttng_clock_xen_tsc_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("lttng-xen");
MODULE_DESCRIPTION("LTTng trace clock: the host's TSC, as the lttng-xen hypervisor trace counts it");
