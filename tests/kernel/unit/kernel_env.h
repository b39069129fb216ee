#ifndef TESTS_KERNEL_ENV_H
#define TESTS_KERNEL_ENV_H
#include "microkernel/task.h"
#include "microkernel/physmem.h"
#include "microkernel/kernel.h"
#define FAKE_RAM_MB 16u
extern uint8_t *fake_ram;
extern struct task *current;	/* the kernel's is per CPU (percpu.h) */
extern int need_resched;
extern int sched_ready_calls, schedule_calls, irq_notify_gone_calls;
extern int code_publish_calls;			/* arch_code_publish calls */
extern const volatile uint32_t *code_publish_watch;	/* an entry to look at then */
extern uint32_t code_publish_saw;		/* what it held */
void fake_ram_init(void);
void fake_kernel_init(void);	/* RAM and the kernel's page tables */
struct task *fake_task(int idx);
void fake_cap(struct task *t, int slot, int type, int rights, int obj, uint32_t badge);
#endif
