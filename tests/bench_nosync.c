/* For tests/bench_save.sh only: fsync and fdatasync that return at once,
 * put in front of the C library with LD_PRELOAD, so that a save can be
 * timed "excluding the disk's fsync" as the performance table defines it.
 * Everything else the save does (the statements, the WAL writes into the
 * page cache, the list redrawn) is still done.  Never for real data. */
#include <unistd.h>

int fsync(int fd)
{
    (void)fd;
    return 0;
}

int fdatasync(int fd)
{
    (void)fd;
    return 0;
}
