// Linux's constants that theory and measurement both use, each with where it comes from.

/** The per-call cap on read/write/sendfile/splice: MAX_RW_COUNT = INT_MAX & PAGE_MASK (include/linux/fs.h);
 *  sendfile(2): "sendfile() will transfer at most 0x7ffff000 (2,147,479,552) bytes". */
export const MAX_RW_COUNT = 0x7ffff000;

/** pipe(7): "the pipe capacity is 16 pages (i.e., 65,536 bytes in a system with a page size of 4096 bytes)". */
export const DEFAULT_PIPE_SIZE = 65536;

/** The page size of x86-64 and most arm64 Linux systems (getconf PAGESIZE); the model's page. */
export const PAGE_SIZE = 4096;
