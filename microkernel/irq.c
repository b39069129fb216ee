/* Hardware interrupts for user-level drivers.  An IRQ bound to a
 * notification is masked when it fires and the bit is signalled; the
 * driver acknowledges with SYS_IRQ_ACK, which unmasks it.  The timer and
 * the console UART stay in the kernel. */
#include "microkernel/kernel.h"
#include "microkernel/task.h"
#include "microkernel/arch/x86/pic.h"
#include "microkernel/percpu.h"

static struct {
	int notify;		/* notification index or -1 */
	uint32_t bit;
	struct task *owner;
} bound[16];

void irq_init(void)
{
	for (int i = 0; i < 16; i++)
		bound[i].notify = -1;
}

int irq_bind(int irq, int notify_index, uint32_t bit, struct task *owner)
{
	if (irq < 0 || irq >= 16 || irq == 0 || irq == 2 || irq == 4)
		return E_INVAL;
	bound[irq].notify = notify_index;
	bound[irq].bit = bit;
	bound[irq].owner = owner;
	pic_unmask(irq);
	return 0;
}

void irq_ack(int irq)
{
	if (irq > 0 && irq < 16 && bound[irq].notify >= 0)
		pic_unmask(irq);
}

void irq_dispatch(int irq)
{
	if (irq == 0) {
		timer_ticks(1, 1);
	} else if (irq == 4) {
		console_input_irq();
	} else if (bound[irq].notify >= 0) {
		pic_mask(irq);
		ipc_notify_obj(&notifications[bound[irq].notify], bound[irq].bit);
	} else {
		pic_mask(irq);	/* nobody wants it */
	}
}

/* n ticks of this CPU's timer at once: this one and those owed, taken
 * while another CPU held the lock (arch/x86/idt.c tick_deferred).  The
 * PIT's (pit, CPU 0) also keep the time and the IPC timeouts; an AP's
 * local APIC timer does that CPU's accounting.  A task killed by one of
 * them gets no more. */
void timer_ticks(uint32_t n, int pit)
{
	if (pit) {
		ticks += n;
		ipc_tick();
	}
	for (uint32_t i = 0; i < n && current->state != T_ZOMBIE; i++) {
		if (pit)
			sched_tick();
		else
			cpu_tick();
	}
}

/* A notification that goes takes its IRQ bindings with it: the slot may
 * be another object's soon. */
void irq_notify_gone(int index)
{
	for (int i = 0; i < 16; i++)
		if (bound[i].notify == index) {
			bound[i].notify = -1;
			bound[i].owner = 0;
			pic_mask(i);
		}
}

void irq_task_gone(struct task *t)
{
	for (int i = 0; i < 16; i++)
		if (bound[i].owner == t) {
			bound[i].notify = -1;
			bound[i].owner = 0;
			pic_mask(i);
		}
}
