/* S-mode entry on every hart (from start.c). Hart 0 brings the kernel
 * up; the others wait for it, then join the scheduler. */
#include "kernel/aspace.h"
#include "kernel/bootargs.h"
#include "kernel/console.h"
#include "kernel/fs.h"
#include "kernel/ipi.h"
#include "kernel/kalloc.h"
#include "kernel/kpt/kpt.h"
#include "kernel/param.h"
#include "kernel/plic.h"
#include "kernel/printf.h"
#include "kernel/proc.h"
#include "kernel/riscv.h"
#include "kernel/trap.h"
#include "kernel/uart.h"
#include "kernel/vm.h"

extern uint64 boot_dtb;
static volatile int booted;

void
main(void)
{
	cpu_init_tp();
	if (cpuid() == 0) {
		static char cmd[BOOTARGS_MAX];
		/* The device tree sits in RAM the allocator will hand out:
		 * read it before kalloc_init(). */
		bootargs_init(boot_dtb);
		shoot_boot();
		printf_init();
		uart_init();
		console_init();
		kalloc_init();
		kvm_init();
		kvm_hart_init();
		kpt_boot();
		aspace_boot();
		proc_init();
		trap_hart_init();
		plic_init();
		plic_hart_init();
		fs_init();
		proc_userinit(bootarg("cmd", cmd, sizeof(cmd)));
		__sync_synchronize();
		booted = 1;
	} else {
		while (!booted)
			;
		__sync_synchronize();
		kvm_hart_init();
		trap_hart_init();
		plic_hart_init();
	}
	ipi_hart_up();
	/* User programs may read cycle, time and instret. */
	csr_write(scounteren, COUNTEREN_CY_TM_IR);
	scheduler();
}
