/* utest: the ring-3 side of the kernel's QEMU integration tests.  init
 * spawns it with a role number (the spawn argument) and the capabilities
 * that role needs; see servers/init/selftest.c for what each role proves. */
#include <stdint.h>
#include "lib/user/sys.h"

enum {
	ROLE_PING_SERVER = 1, ROLE_PING_CLIENT = 2,
	ROLE_GRANT_SERVER = 3, ROLE_GRANT_CLIENT = 4,
	ROLE_ECHO_SERVER = 5, ROLE_PORT_IO_OK = 6,
	ROLE_WRITE_RO = 10, ROLE_EXEC_DATA, ROLE_READ_KERNEL, ROLE_CLI,
	ROLE_DIVIDE, ROLE_STACK_OVERFLOW, ROLE_SPIN, ROLE_PORT_IO, ROLE_UD,
	ROLE_NULL,
};

#define LABEL_PING 0x100
#define LABEL_STOP 0xDEAD
#define HEAP ((uint8_t *)USER_HEAP_BASE)

static const char read_only[] = "this string lives on a read-only page";
static uint8_t data_page[64] = { 0xC3 };	/* "ret", but on an NX page */
volatile uint32_t sink;

static void ping_server(void)
{
	struct bf_msg m;
	int r = bf_recv(0, &m);
	for (;;) {
		if (r < 0) {
			bf_printf("utest: server recv failed: %s\n", bf_strerror(r));
			bf_exit(1);
		}
		if (m.label == LABEL_STOP) {
			m.label = 0;
			bf_reply(&m);
			bf_exit(0);
		}
		/* a reply that depends on every word and on the badge */
		m.label = m.label + 1;
		m.w[0] = m.w[0] + 1;
		m.w[1] = m.w[1] ^ 0x5A5A5A5Au;
		m.w[2] = m.w[2] * 3u;
		m.w[3] = m.w[3] - 7u + m.badge;
		r = bf_reply_recv(0, &m);
	}
}

static int ping_client(uint32_t calls)
{
	for (uint32_t i = 0; i < calls; i++) {
		struct bf_msg m = { LABEL_PING, { i, i * 7u, i ^ 0xFFFFu, 1000u + i }, 0 };
		int r = bf_call(0, &m);
		if (r < 0 || m.label != LABEL_PING + 1 || m.w[0] != i + 1 ||
		    m.w[1] != ((i * 7u) ^ 0x5A5A5A5Au) || m.w[2] != (i ^ 0xFFFFu) * 3u ||
		    m.w[3] != 1000u + i - 7u + 42u) {
			bf_printf("utest: call %u bad reply (r=%d label=%x w=%x %x %x %x)\n",
				  i, r, m.label, m.w[0], m.w[1], m.w[2], m.w[3]);
			return 1;
		}
	}
	struct bf_msg stop = { LABEL_STOP, { 0, 0, 0, 0 }, 0 };
	bf_call(0, &stop);
	bf_printf("utest: %u IPC round trips with correct payloads\n", calls);
	return 0;
}

/* Receives a granted pair of pages, checks them, then a read-only shared
 * page, which it tries to write: that must kill it. */
static void grant_server(void)
{
	struct bf_msg m;
	if (bf_recv(0, &m) < 0 || !(m.label & MSG_GRANT) || m.w[3] != 2)
		bf_exit(2);
	uint8_t *p = (uint8_t *)m.w[2];
	uint32_t sum = 0;
	for (uint32_t i = 0; i < 2 * PAGE_SIZE; i++) {
		if (p[i] != (uint8_t)(i * 13 + 1))
			bf_exit(3);
		sum += p[i];
	}
	p[5] = 0x77;		/* granted pages are ours now, writable */
	m.label = 1;
	m.w[0] = sum;
	m.w[1] = p[5];
	bf_reply_recv(0, &m);
	if (!(m.label & MSG_SHARE_RO))
		bf_exit(4);
	volatile uint8_t *ro = (uint8_t *)m.w[2];
	if (ro[0] != 0xAB)
		bf_exit(5);
	bf_printf("utest: read-only share seen, now writing it\n");
	ro[0] = 1;		/* must be fatal: WRITE_RO */
	bf_exit(6);
}

static int grant_client(void)
{
	if (bf_map_anon(USER_HEAP_BASE, 3, MAP_READ | MAP_WRITE))
		return 10;
	uint32_t expect = 0;
	for (uint32_t i = 0; i < 2 * PAGE_SIZE; i++) {
		HEAP[i] = (uint8_t)(i * 13 + 1);
		expect += HEAP[i];
	}
	struct bf_msg m = { MSG_GRANT | 1, { 0, 0, USER_HEAP_BASE, 2 }, 0 };
	if (bf_call(0, &m) < 0 || m.w[0] != expect || m.w[1] != 0x77)
		return 11;
	/* the grant moved the pages: they are no longer ours */
	if (bf_write((const char *)HEAP, 1) != E_FAULT)
		return 12;
	HEAP[2 * PAGE_SIZE] = 0xAB;
	struct bf_msg s = { MSG_SHARE_RO | 2, { 0, 0, USER_HEAP_BASE + 2 * PAGE_SIZE, 1 }, 0 };
	int r = bf_call(0, &s);
	if (r != E_DEAD)
		return 13;	/* the server died writing our page */
	if (HEAP[2 * PAGE_SIZE] != 0xAB)
		return 14;	/* and our copy is untouched */
	/* bad grants are refused before anything moves */
	struct bf_msg bad = { MSG_GRANT | 1, { 0, 0, USER_HEAP_BASE + 123, 1 }, 0 };
	if (bf_call(0, &bad) != E_INVAL)
		return 15;
	struct bf_msg code = { MSG_GRANT | 1, { 0, 0, USER_BASE, 1 }, 0 };
	if (bf_call(0, &code) != E_PERM)
		return 16;	/* executable pages never travel */
	bf_printf("utest: grant and read-only share behaved\n");
	return 0;
}

static void echo_server(void)
{
	struct bf_msg m;
	int r = bf_recv(0, &m);
	for (;;) {
		if (r >= 0)
			m.w[0] += 1;
		r = bf_reply_recv(0, &m);
	}
}

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static uint32_t recurse(uint32_t n)
{
	volatile uint8_t pad[512];
	pad[0] = (uint8_t)n;
	return recurse(n + 1) + pad[0];
}

int main(uint32_t role)
{
	switch (role) {
	case ROLE_PING_SERVER: ping_server(); break;
	case ROLE_PING_CLIENT: return ping_client(10000);
	case ROLE_GRANT_SERVER: grant_server(); break;
	case ROLE_GRANT_CLIENT: return grant_client();
	case ROLE_ECHO_SERVER: echo_server(); break;
	case ROLE_PORT_IO_OK: {
		uint8_t v;
		__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"((uint16_t)0x1F7));
		return 0;
	}
	case ROLE_WRITE_RO: *(volatile char *)read_only = 'X'; break;
	case ROLE_EXEC_DATA: ((void (*)(void))data_page)(); break;
	case ROLE_READ_KERNEL: sink = *(volatile uint32_t *)0x100000; break;
	case ROLE_CLI: __asm__ volatile("cli"); break;
	case ROLE_DIVIDE: { volatile int z = 0; sink = 10 / z; break; }
	case ROLE_STACK_OVERFLOW: sink = recurse(0); break;
	case ROLE_SPIN: for (;;) sink++;
	case ROLE_PORT_IO: { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"((uint16_t)0x1F7)); sink = v; break; }
	case ROLE_UD: __asm__ volatile("ud2"); break;
	case ROLE_NULL: sink = *(volatile uint32_t *)0; break;
	}
	bf_printf("utest: role %u survived, which it must not\n", role);
	return 99;
}
