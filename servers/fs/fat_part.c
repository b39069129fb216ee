/* Partitioned disks.  Real disks start with a master boot record: a table
 * of four partitions at byte 446 of sector 0, not a FAT boot sector.  A
 * disk whose sector 0 is no FAT boot sector but a valid MBR is mounted at
 * its first FAT16 partition; one with no FAT16 partition is refused with
 * what it does hold, never as a FAT volume with a bad jump instruction. */
#include "servers/fs/fat_int.h"

#define MBR_TABLE 446u
#define MBR_ENTRY 16u

static bool fat16_type(uint8_t t) { return t == 0x04 || t == 0x06 || t == 0x0E; }

static const char *type_name(uint8_t t)
{
	switch (t) {
	case 0x01: return "FAT12";
	case 0x0B: case 0x0C: return "FAT32";
	case 0x07: return "NTFS/exFAT";
	case 0x05: case 0x0F: return "extended";
	case 0x82: return "Linux swap";
	case 0x83: return "Linux";
	case 0xEE: return "GPT";
	default: return "other";
	}
}

/* Does sector 0 hold a plausible FAT BPB (then it is no MBR)?  The jump
 * instruction alone does not tell: GRUB's MBR starts with one too. */
static bool looks_like_boot_sector(const uint8_t *b)
{
	uint32_t spc = b[13];
	return rd16(b + 11) == 512 && spc && !(spc & (spc - 1)) && rd16(b + 14) != 0 &&
	       b[16] >= 1 && b[16] <= 4 && (b[21] == 0xF0 || b[21] >= 0xF8);
}

int fat_find_partition(struct fat_vol *v, const uint8_t *sec0, uint32_t *start, uint32_t *count)
{
	char seen[64] = "";
	size_t used = 0;
	*start = 0;
	*count = v->dev.sectors;
	if (sec0[510] != 0x55 || sec0[511] != 0xAA || looks_like_boot_sector(sec0))
		return 0;	/* a FAT volume from sector 0, or not FAT at all */
	/* a partition table: status bytes 0 or 0x80, at least one entry */
	unsigned entries = 0;
	for (unsigned i = 0; i < 4; i++) {
		const uint8_t *e = sec0 + MBR_TABLE + i * MBR_ENTRY;
		if (e[0] != 0 && e[0] != 0x80)
			return 0;
		entries += e[4] != 0 && rd32(e + 12) != 0;
	}
	if (!entries)
		return 0;	/* then it is a broken boot sector: check_bpb says how */
	for (unsigned i = 0; i < 4; i++) {
		const uint8_t *e = sec0 + MBR_TABLE + i * MBR_ENTRY;
		uint32_t lba = rd32(e + 8), n = rd32(e + 12);
		if (e[4] == 0 || n == 0)
			continue;
		if (fat16_type(e[4])) {
			if (lba == 0 || (v->dev.sectors && (lba >= v->dev.sectors || n > v->dev.sectors - lba)))
				return fat_fail(v, FAT_EBADFS, "partitioned disk: partition %u (FAT16, sectors %u+%u) "
						"lies outside the %u-sector disk", i + 1, (unsigned)lba, (unsigned)n,
						(unsigned)v->dev.sectors);
			*start = lba;
			*count = n;
			return 1;
		}
		used += (size_t)bf_snprintf(seen + used, sizeof seen - used, "%s%u: %s (0x%02x)",
					    used ? ", " : "", i + 1, type_name(e[4]), e[4]);
		if (used >= sizeof seen)
			used = sizeof seen - 1;
	}
	return fat_fail(v, FAT_EBADFS, "partitioned disk with no FAT16 partition (%s)", seen);
}
