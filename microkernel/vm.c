/* PAE page tables: see vm.h. */
#include <string.h>
#include "microkernel/vm.h"
#include "microkernel/physmem.h"

#define PTE_P   (1ull << 0)
#define PTE_RW  (1ull << 1)
#define PTE_US  (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_PS  (1ull << 7)
#define PTE_G   (1ull << 8)
#define PTE_NX  (1ull << 63)
#define PTE_ADDR 0x000FFFFFFFFFF000ull

#define BIG_PAGE (2u << 20)

static paddr_t kernel_pd;

static uint64_t *table(paddr_t pa) { return phys_to_virt(pa); }

static paddr_t zeroed_frame(void)
{
	paddr_t pa = frame_alloc();
	if (pa)
		memset(phys_to_virt(pa), 0, FRAME_SIZE);
	return pa;
}

static unsigned seg_flags(const struct kseg *segs, int nseg, uint32_t va, int *found)
{
	for (int i = 0; i < nseg; i++)
		if (va >= segs[i].start && va < segs[i].end) {
			*found = 1;
			return segs[i].flags;
		}
	*found = 0;
	return VM_WRITE;
}

static uint64_t kernel_bits(unsigned flags)
{
	uint64_t e = PTE_P | PTE_G;
	if (flags & VM_WRITE)
		e |= PTE_RW;
	if (!(flags & VM_EXEC))
		e |= PTE_NX;
	return e;
}

/* The direct map of RAM: 4 KiB pages where the kernel image lies (each
 * section with its own rights), 2 MiB pages elsewhere, all supervisor. */
int vm_kernel_init(uint32_t ram_bytes, const struct kseg *segs, int nseg)
{
	if (ram_bytes > VM_MMIO_BASE)
		ram_bytes = VM_MMIO_BASE;	/* the last 2 MiB: device registers */
	for (int i = 0; i < nseg; i++)
		if ((segs[i].flags & VM_WRITE) && (segs[i].flags & VM_EXEC))
			return E_WX;
	kernel_pd = zeroed_frame();
	if (!kernel_pd)
		return E_NOMEM;
	uint64_t *pd = table(kernel_pd);
	uint32_t image_end = 0;
	for (int i = 0; i < nseg; i++)
		if (segs[i].end > image_end)
			image_end = segs[i].end;
	for (uint32_t big = 0; big < ram_bytes; big += BIG_PAGE) {
		uint32_t i = big / BIG_PAGE;
		if (big < image_end) {
			paddr_t ptf = zeroed_frame();
			if (!ptf)
				return E_NOMEM;
			uint64_t *pt = table(ptf);
			for (uint32_t j = 0; j < 512; j++) {
				uint32_t va = big + j * FRAME_SIZE;
				int found;
				unsigned fl = seg_flags(segs, nseg, va, &found);
				if (va == 0 || va >= ram_bytes)
					continue;	/* page 0 stays unmapped: catches NULL */
				pt[j] = va | kernel_bits(fl);
			}
			pd[i] = ptf | PTE_P | PTE_RW;
		} else {
			pd[i] = big | PTE_PS | kernel_bits(VM_WRITE);
		}
	}
	return 0;
}

uint32_t vm_kernel_pd(void) { return kernel_pd; }

/* A device's registers (the local APIC) at va in VM_MMIO_BASE..1 GiB:
 * supervisor, read+write, NX, uncached, global; in the shared kernel
 * directory, so every address space has them. */
int vm_kernel_map_mmio(uint32_t va, paddr_t pa)
{
	if (va < VM_MMIO_BASE || va >= KERNEL_LIMIT || ((va | pa) & (FRAME_SIZE - 1)))
		return E_INVAL;
	uint64_t *pde = &table(kernel_pd)[va >> 21];
	if (!(*pde & PTE_P)) {
		paddr_t pt = zeroed_frame();
		if (!pt)
			return E_NOMEM;
		*pde = pt | PTE_P | PTE_RW;
	}
	table((paddr_t)(*pde & PTE_ADDR))[(va >> 12) & 511] =
		pa | PTE_P | PTE_RW | PTE_PWT | PTE_PCD | PTE_G | PTE_NX;
	return 0;
}

int vm_space_create(struct addrspace *as)
{
	memset(as, 0, sizeof *as);
	as->pdpt = zeroed_frame();
	as->pd[1] = zeroed_frame();
	as->pd[2] = zeroed_frame();
	if (!as->pdpt || !as->pd[1] || !as->pd[2]) {
		if (as->pdpt) frame_unref(as->pdpt);
		if (as->pd[1]) frame_unref(as->pd[1]);
		if (as->pd[2]) frame_unref(as->pd[2]);
		memset(as, 0, sizeof *as);
		return E_NOMEM;
	}
	as->pd[0] = kernel_pd;
	uint64_t *pdpt = table(as->pdpt);
	for (int i = 0; i < 3; i++)
		pdpt[i] = as->pd[i] | PTE_P;	/* PAE PDPTEs carry no rights */
	return 0;
}

static int user_va(uint32_t va)
{
	return va >= USER_BASE && va < USER_TOP && (va & (FRAME_SIZE - 1)) == 0;
}

/* The PTE for va, creating its page table when asked. */
static uint64_t *pte_for(const struct addrspace *as, uint32_t va, int create)
{
	uint64_t *pd = table(as->pd[va >> 30]);
	uint64_t *pde = &pd[(va >> 21) & 511];
	if (!(*pde & PTE_P)) {
		if (!create)
			return 0;
		paddr_t pt = zeroed_frame();
		if (!pt)
			return 0;
		/* Rights live in the leaf entries; the directory allows all. */
		*pde = pt | PTE_P | PTE_RW | PTE_US;
	}
	return &table((paddr_t)(*pde & PTE_ADDR))[(va >> 12) & 511];
}

/* May a space take n more frames?  The memory quota, counted here, in
 * the one path every mapping takes. */
static int may_grow(const struct addrspace *as, uint32_t n)
{
	if (!as->limit)
		return 1;
	return as->pages + as->tables + n <= as->limit && frames_free() >= VM_RESERVE + n;
}

int vm_map(struct addrspace *as, uint32_t va, paddr_t pa, unsigned flags)
{
	if ((flags & VM_WRITE) && (flags & VM_EXEC))
		return E_WX;
	if (!user_va(va) || !as->pdpt)
		return E_INVAL;
	if (!frame_is_ram(pa) || frame_refcount(pa) == 0)
		return E_INVAL;
	uint64_t *pde = &table(as->pd[va >> 30])[(va >> 21) & 511];
	int new_table = !(*pde & PTE_P);
	if (!may_grow(as, new_table ? 2 : 1))
		return E_QUOTA;
	uint64_t *pte = pte_for(as, va, 1);
	if (!pte)
		return E_NOMEM;
	as->tables += new_table;
	if (*pte & PTE_P)
		return E_EXIST;
	if (!frame_ref(pa))
		return E_NOMEM;
	uint64_t e = pa | PTE_P | PTE_US;
	if (flags & VM_WRITE)
		e |= PTE_RW;
	if (!(flags & VM_EXEC))
		e |= PTE_NX;
	*pte = e;
	as->pages++;
	return 0;
}

int vm_unmap(struct addrspace *as, uint32_t va)
{
	if (!user_va(va) || !as->pdpt)
		return E_INVAL;
	uint64_t *pte = pte_for(as, va, 0);
	if (!pte || !(*pte & PTE_P))
		return E_NOENT;
	paddr_t pa = (paddr_t)(*pte & PTE_ADDR);
	*pte = 0;
	arch_tlb_invalidate(as, va);
	frame_unref(pa);
	as->pages--;
	return 0;
}

int vm_lookup(const struct addrspace *as, uint32_t va, paddr_t *pa, unsigned *flags)
{
	va &= ~(FRAME_SIZE - 1);
	if (!user_va(va) || !as->pdpt)
		return E_FAULT;
	uint64_t *pte = pte_for(as, va, 0);
	if (!pte || !(*pte & PTE_P))
		return E_FAULT;
	if (pa)
		*pa = (paddr_t)(*pte & PTE_ADDR);
	if (flags)
		*flags = ((*pte & PTE_RW) ? VM_WRITE : 0) | ((*pte & PTE_NX) ? 0 : VM_EXEC);
	return 0;
}

void vm_space_destroy(struct addrspace *as)
{
	if (!as->pdpt)
		return;
	for (int d = 1; d <= 2; d++) {
		uint64_t *pd = table(as->pd[d]);
		for (int i = 0; i < 512; i++) {
			if (!(pd[i] & PTE_P))
				continue;
			paddr_t ptf = (paddr_t)(pd[i] & PTE_ADDR);
			uint64_t *pt = table(ptf);
			for (int j = 0; j < 512; j++)
				if (pt[j] & PTE_P)
					frame_unref((paddr_t)(pt[j] & PTE_ADDR));
			frame_unref(ptf);
		}
		frame_unref(as->pd[d]);
	}
	frame_unref(as->pdpt);
	memset(as, 0, sizeof *as);
}

static void check_leaf(struct bf_audit *acc, uint64_t dir, uint64_t leaf,
		       uint32_t va, int kernel_range, uint32_t task_id)
{
	int w = (dir & PTE_RW) && (leaf & PTE_RW);
	int x = !(dir & PTE_NX) && !(leaf & PTE_NX);
	int u = (dir & PTE_US) && (leaf & PTE_US);
	/* Code has one holder: an ELF text page or an installed page is
	 * moved, never shared.  A user-executable frame with another holder
	 * could be writable in some other address space, which the per-space
	 * W^X test above cannot see, so it counts as a violation too. */
	if (x && u && !kernel_range && frame_refcount((paddr_t)(leaf & PTE_ADDR)) != 1)
		w = 1;
	acc->entries++;
	if ((w && x) || (kernel_range && u)) {
		if (w && x)
			acc->wx_violations++;
		if (kernel_range && u)
			acc->user_kernel++;
		if (acc->wx_violations + acc->user_kernel == 1) {
			acc->first_bad_va = va;
			acc->first_bad_task = task_id;
		}
	}
}

/* Walk every present entry the CPU could use for this address space. */
void vm_audit(const struct addrspace *as, struct bf_audit *acc, uint32_t task_id)
{
	if (!as->pdpt)
		return;
	acc->spaces++;
	const uint64_t *pdpt = table(as->pdpt);
	for (int d = 0; d < 4; d++) {
		if (!(pdpt[d] & PTE_P))
			continue;
		const uint64_t *pd = table((paddr_t)(pdpt[d] & PTE_ADDR));
		for (uint32_t i = 0; i < 512; i++) {
			uint64_t pde = pd[i];
			uint32_t base = ((uint32_t)d << 30) | (i << 21);
			if (!(pde & PTE_P))
				continue;
			if (pde & PTE_PS) {
				check_leaf(acc, pde, pde, base, d == 0, task_id);
				continue;
			}
			const uint64_t *pt = table((paddr_t)(pde & PTE_ADDR));
			for (uint32_t j = 0; j < 512; j++)
				if (pt[j] & PTE_P)
					check_leaf(acc, pde, pt[j], base | (j << 12), d == 0, task_id);
		}
	}
}
